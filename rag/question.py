"""What a question asks for: its terms, the indicator it names, the kind of answer, and its facets.

A facet is one side of a comparison: a place, a year, or the plan-versus-actual reading
("年初目标和实际完成各是多少"). Each facet needs its own supporting sentence.

Example:
    >>> p = profile_question("郑州2020年新增城镇就业，年初目标和实际完成各是多少人？", QueryConstraints(("郑州市",), (), (2020,)))
    >>> (p.units, p.indicators, [f.mode for f in p.facets])
    (('人',), ('新增城镇就业',), ['plan', 'actual'])
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import product

from rag.constraints import QueryConstraints
from rag.numbers import UNITS, asks_for_change, asks_for_number, expected_units, unit_anchors, without_share_bases
from rag.domain import time_limit_patterns
from rag.years import plan_span
import jieba.posseg as pseg

from vectorstore.lexical import add_words, indicator_terms, tokenize

PLAN_CUES = re.compile(r"计划|目标|力争|预期|打算|准备|要(?!求)|将要|拟|安排")
ACTUAL_CUES = re.compile(r"实际|最终|最后|完成了|实现了|达到了|截至|年底|了多少|开了|卖了|做到了|新增了|开通了|交付了|登记的|实际完成")
# Explicit words that rule the other reading out, not just lean towards one: a result does not
# answer "年初计划…多少" (nor a target "实际…多少"), even when it is the only figure there is.
STRICT_ACTUAL = re.compile(r"实际|截至|最终|最后")
STRICT_PLAN = re.compile(r"年初|计划|目标|预期")
_PERSON = re.compile(r"是谁|谁作|谁做|哪位")
_LIST = re.compile(r"哪些|哪几|分别是哪|是哪[一二两三四五六七八九十]+|有哪|哪[一二两三四五六七八九十]+[项条个家类方面]"
                   r"|分别(?:是|指|为)什么|都(?:是|有)什么|包括什么")
# A numbered slogan whose items are asked for: "“五强”分别是什么" asks for five.
# Not a plan period ("“十一五”": a numeral follows the number), and the count written before the quotes
# counts first ("三个“十条”" asks for three).
_QUOTED_COUNT = re.compile(r"([一二两三四五六七八九十]+)个“[^“”]{1,8}”"
                           r"|“([一二两三四五六七八九十]+)(?![一二两三四五六七八九十])[\u4e00-\u9fff]{1,6}”")
# What such a slogan is asked with ("“五个更加注重”都指什么", "“三个坚持”是什么").
_ASKS_WHAT = re.compile(r"什么|哪")
# Questions a passage answers in words, not with a figure: how, what materials, conditions or content.
_HOW = re.compile(r"如何|怎么|怎样|什么(?:材料|条件|要求|内容|程序|流程|渠道|方式|情形|手续)|多长时间|多久")
# Question words jieba reads as nouns ("多长时间"): no sentence needs to write them.
_ASKING_NOUN = re.compile(r"^(?:多[少长久大]|什么|哪|几)")
_SUPERLATIVE = re.compile(r"(?:哪个|哪一个|哪里|谁|哪家|哪年)(?:的\S{0,6})?([最更][高低多少大小])")
# A question about a span of years ("“十三五”期间年均增长多少"), not about one year's figure.
_SPAN = re.compile(r"五年|十[一二三四五六]五|年均|累计|以来|期间|时期")
_CN_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
_COUNT = re.compile(r"哪([一二两三四五六七八九十]+)[项条个家类方面大]")


# Names the reports use interchangeably for one indicator.
_SYNONYMS = (("成交额", "交易额"), ("GDP", "地区生产总值"), ("GDP", "生产总值"), ("进出口额", "进出口总额"),
             ("进出口总额", "进出口"), ("财政收入", "一般公共预算收入"), ("经济总量", "生产总值"),
             ("外贸进出口", "进出口"), ("民生支出", "民生领域投入"), ("民生支出", "民生投入"),
             ("粮食总产量", "粮食总产"), ("粮食产量", "粮食总产"), ("新增城镇就业", "城镇新增就业"))


def indicator_variants(indicator: str) -> tuple[str, ...]:
    """An indicator and the other names the reports give it ("技术合同成交额" -> also "技术合同交易额")."""
    variants = [indicator]
    for a, b in _SYNONYMS:
        for x, y in ((a, b), (b, a)):
            if x in indicator:
                variants.append(indicator.replace(x, y))
    return tuple(dict.fromkeys(variants))


def with_synonyms(question: str) -> str:
    """The question followed by the other names of the indicators it names, for lexical search.

    The reports write "地区生产总值" where users ask for "GDP": BM25 finds only the words written.

    Example:
        >>> with_synonyms("郑州2020年GDP是多少？")
        '郑州2020年GDP是多少？ 地区生产总值 生产总值'
    """
    extra = [y for a, b in _SYNONYMS for x, y in ((a, b), (b, a)) if x in question and y not in question]
    return " ".join([question, *dict.fromkeys(extra)])


def mentions(text: str, indicator: str) -> bool:
    """Whether `text` names `indicator` under any of its names."""
    return any(v in text for v in indicator_variants(indicator))


@dataclass(frozen=True)
class Facet:
    """One side of a question: a place, a year and a reading (plan/actual), None where any will do."""

    region: str | None = None
    year: int | None = None
    mode: str | None = None


@dataclass(frozen=True)
class QuestionProfile:
    """Everything the answerer needs to know about a question."""

    terms: dict[str, float]
    indicators: tuple[str, ...]
    units: tuple[str, ...]
    wants_number: bool
    wants_person: bool
    list_size: int | None
    mode: str | None
    strict_mode: bool
    facets: tuple[Facet, ...]
    superlative: str | None = None    # "最高" for "哪个最高", "更少" for "哪个更少"…
    spans_years: bool = False         # asks about a span of years ("十三五"期间, 年均, 累计), not one year
    topics: tuple[str, ...] = ()      # the nouns the question is about; an answer names at least one
    anchors: dict[str, tuple[str, ...]] = field(default_factory=dict)  # unit -> words written before its figure
    wants_time_limit: bool = False    # "多长时间办完": answered by a sentence stating a limit ("30个工作日内")
    asks_change: bool = False         # how much something changed ("下降了多少"), not what it is ("浓度是多少")


def _as_written(token: str, question: str) -> str:
    """A search token in the question's own letter case ("gdp" -> "GDP"): sentences are matched as written."""
    at = question.lower().find(token)
    return question[at:at + len(token)] if at >= 0 else token


def _terms(question: str, constraints: QueryConstraints) -> dict[str, float]:
    """Content terms weighted by length; places and years are matched by their own rules."""
    drop = {str(y) for y in constraints.years} | {"年"} | set(UNITS)
    terms = {_as_written(t, question): float(min(len(t), 4)) for t in tokenize(question)
             if t not in drop and not any(t in region for region in constraints.regions)}
    # Search-mode tokens overlap ("金融", "金融业", "金融业增加值"): keep the longest only.
    return {t: w for t, w in terms.items() if not any(t != o and t in o for o in terms)}


def plan_or_actual(question: str) -> str | None:
    """"plan" for a question about a target, "actual" for one about a result, None if it does not say.

    Example:
        >>> plan_or_actual("2015年GDP增长目标是多少？"), plan_or_actual("2015年GDP实际增长多少？")
        ('plan', 'actual')
    """
    plan, actual = bool(PLAN_CUES.search(question)), bool(ACTUAL_CUES.search(question))
    if plan == actual:
        return None
    return "plan" if plan else "actual"


def _chinese_count(word: str) -> int | None:
    """一 … 九十九 as a number ("五" -> 5, "十二" -> 12)."""
    if word == "十":
        return 10
    if word.startswith("十"):
        return 10 + _CN_DIGITS.get(word[1:], 0)
    return _CN_DIGITS.get(word[0], 0) * (10 if word.endswith("十") and len(word) > 1 else 1) or None


def _list_size(question: str) -> int | None:
    if m := _COUNT.search(question):
        return _chinese_count(m.group(1))
    slogans = [before or inside for before, inside in _QUOTED_COUNT.findall(question)]
    if not _LIST.search(question) and not (slogans and _ASKS_WHAT.search(question)):
        return None
    return (_chinese_count(slogans[-1]) or 0) if slogans else 0


def _facets(question: str, constraints: QueryConstraints) -> tuple[Facet, ...]:
    regions = constraints.regions if len(constraints.regions) > 1 else (None,)
    # The years of a span ("“十三五”期间") are one period asked about, not sides to compare.
    years = constraints.years if len(constraints.years) > 1 and not _SPAN.search(question) else (None,)
    both_modes = bool(PLAN_CUES.search(question)) and bool(ACTUAL_CUES.search(question))
    modes = ("plan", "actual") if both_modes else (None,)
    if len(regions) > 1 and len(regions) == len(years):
        # "郑州2020年、金水区2019年、惠济区2023年": each place with its own year.
        pairs = list(zip(regions, years))
    else:
        pairs = list(product(regions, years))
    facets = tuple(Facet(r, y, m) for (r, y), m in product(pairs, modes))
    return facets if len(facets) > 1 else ()


def profile_question(question: str, constraints: QueryConstraints) -> QuestionProfile:
    """Read what `question` asks for."""
    mode = plan_or_actual(question)
    list_size = _list_size(question)
    # "专项资金的分配结果要在多长时间内公开" names money but asks for a time limit in words.
    in_words = list_size is not None or (bool(_HOW.search(question)) and not asks_for_number(question))
    units = () if in_words else expected_units(question)
    return QuestionProfile(
        terms=_terms(question, constraints),
        # "“十四五”" is kept whole by the dictionary but names a period, which `constraints.years` holds.
        indicators=tuple(t for t in indicator_terms(without_share_bases(question)) if not plan_span(t)),
        # "哪几个领域" asks for names, not a count.
        units=units,
        wants_number=list_size is None and asks_for_number(question),
        wants_person=bool(_PERSON.search(question)),
        list_size=list_size,
        mode=mode,
        strict_mode=bool(STRICT_ACTUAL.search(question) if mode == "actual"
                         else STRICT_PLAN.search(question) if mode == "plan" else False),
        facets=_facets(question, constraints),
        superlative=m.group(1) if (m := _SUPERLATIVE.search(question)) else None,
        spans_years=bool(_SPAN.search(question)),
        topics=_topics(question, constraints),
        anchors={u: unit_anchors(question, u) for u in units},
        wants_time_limit=bool(time_limit_patterns()[0].search(question)),
        asks_change=asks_for_change(question),
    )


# Nouns that say where or what kind of text, not what about: no answer needs to repeat them.
_NOT_TOPICS = frozenset({"政府", "工作", "报告", "计划", "目标", "情况", "方面", "问题", "全省", "全市", "全区", "多少",
                         "年底", "年初", "今年", "去年", "明年", "数量", "总量", "时候", "实际", "完成"})
_TOPIC_FLAGS = ("n", "nz", "nt", "nr", "vn", "eng", "nrt", "nw")


def nouns(text: str) -> list[str]:
    """The nouns of `text` of two characters or more, with the ones jieba splits into a verb and a
    one-character noun or measure word joined again ("安置"+"房", "充电"+"桩")."""
    tokens = list(pseg.cut(text))
    found = []
    for i, w in enumerate(tokens):
        after = tokens[i + 1] if i + 1 < len(tokens) else None
        if w.flag.startswith("v") and after and after.flag in ("n", "q") and len(after.word) == 1:
            found.append(w.word + after.word)
        elif w.flag in _TOPIC_FLAGS and len(w.word.strip()) >= 2:
            found.append(w.word.strip())
    return found


def _topics(question: str, constraints: QueryConstraints) -> tuple[str, ...]:
    """The nouns a question is about ("5G基站" -> 基站) and the names it quotes, without places, years and
    generic words."""
    add_words(constraints.regions)
    # A name the question quotes ("“五个更加注重”") is what it is about, whatever jieba cuts it into.
    quoted = re.findall(r"“([^“”]{2,24})”", question)
    found = quoted + [word for word in nouns(without_share_bases(question))
                      if word not in _NOT_TOPICS and word not in UNITS and not _ASKING_NOUN.match(word)
                      and not any(word in r for r in constraints.regions)]
    return tuple(dict.fromkeys(found))
