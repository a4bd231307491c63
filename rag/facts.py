"""Facts for a question: what figure it asks for, and the facts of the library that state it.

A question asking for a figure is read into a `FigureRequest` (the indicator in the user's words,
the measure — growth, rate, amount… — and whether the target or the result is meant); the facts
extracted at ingest (rag/figures.py) are then matched by place, year, reading, measure and
indicator. The indicator is matched by name (the normalised names of rag/data/indicators.tsv, or
one name written inside the other) and by meaning: the question's indicator phrase is embedded
and compared with the stored vectors of the reports' indicator phrases, so "实际利用外资" finds
"实际吸收外资" and "经济增速" finds "国内生产总值增长".

Example:
    >>> request = read_request("2025年全国GDP增长目标是多少？")
    >>> (request.indicator, request.measure, request.reading)
    ('GDP', 'growth', 'target')
"""
from __future__ import annotations

import functools
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np

from rag.domain import indicator_aliases, linking_verbs, measure_words, output_words
from rag.figures import indicator_tokenizer, normalise_indicator, word_tags
from rag.years import without_plans
from vectorstore.normalize import for_matching
from vectorstore.records import StoredFact

# Words of a question that ask or compare rather than name what is asked about.
_ASKING = re.compile(r"百分之几|百分之多少|差多少|是多少|为多少|有多少|多少|多高|多大|几[个家所条项套座班种批次场倍成]?|谁的?|哪(?:一)?(?:个|年|些|里)?的?|"
                     r"更高|更低|更多|更少|最高|最低|分别|各(?:是|为|自)|相比|比较|对比|相差|差距|多多少|少多少|高多少|"
                     r"低多少|一共|合计|总共|之和|是否|什么|怎么样?|如何|呢|吗")
_TARGET_WORDS = re.compile(r"目标|预期|计划|任务|力争|打算|拟|安排|要求|要|规定")
_RESULT_WORDS = re.compile(r"实际|完成|实现|达到|结果|最终|最后|(?<![多少高低])了多少")  # "比2016年多了多少" asks a difference
# Doing verbs that ask what was done unless a plan word comes before them ("要达到", "计划要求到1957年钢产量达到多少")
_DONE_VERBS = re.compile(r"完成|实现|达到")
_MEASURE_ASKED = (
    ("share", re.compile(r"比重|占比|比例|占.{0,12}多少")),
    ("decline", re.compile(r"下降|降低|减少|回落|降了|降幅")),
    ("growth", re.compile(r"增长|增速|增幅|涨幅|上涨|涨了|涨多少|提高|增长率")),
    ("rate", re.compile(r"率|强度|指数")),
)
_AMOUNT_ASKED = re.compile(r"多少(?:亿|万|元|斤|吨|公里|平方|亩|千瓦|钱)|总量|总额|规模|产量|总值"
                           r"|(?:奖|奖励|补贴|补助|资助|给予)多少")  # what is paid is money, not a count
_COUNT_ASKED = re.compile(r"多少(?:人|个|家|所|条|项|套|户|名|座|班|种|批|次|场|辆|件)|几(?:个|家|所|条|项|套|座|班|种|批|次|场)")
# Words at either end of a question's indicator phrase that are not part of the indicator's name.
# The indicator of a growth a question names no indicator of: a work report's growth target is the economy's.
UNNAMED_GROWTH = "经济增速"
# A growth rate named as a thing ("增长目标", "增速"), not a growth asked of something said before ("实际增长了多少").
_GROWTH_NAMED = re.compile(r"增速|增长目标|增长速度|增长率")
_EDGE_WORDS = ("实际", "每年", "完成了", "完成", "实现了", "实现", "达到了", "达到", "目标", "预期", "计划", "力争", "打算",
               "安排", "要求", "的", "是", "为", "了", "开了", "全国", "我国", "中国", "国家", "国务院", "全年", "当年",
               "今年", "年度", "年", "水平", "情况", "指标", "数值", "数字", "报告", "政府工作报告", "提出", "定为",
               "设定", "预计", "大约", "约", "草案", "以后", "以来", "以前")


@dataclass(frozen=True)
class FigureRequest:
    """What figure a question asks for: indicator in the user's words, measure, and target or result."""

    indicator: str
    indicator_norm: str
    measure: str | None        # growth, decline, rate, share, amount, count, any; None: a level of any kind
    reading: str | None        # target or result; None when the question does not say
    reports: tuple[int, ...] = ()  # the years of the reports the figure must be stated in; () any
    since: int | None = None       # the base year of a growth over several years ("1974年比1964年增长")


def _asked_measure(question: str) -> str | None:
    for measure, pattern in _MEASURE_ASKED:
        if pattern.search(question):
            return measure
    if _COUNT_ASKED.search(question):
        return "count"
    if _AMOUNT_ASKED.search(question):
        return "amount"
    return None


def _asked_reading(question: str) -> str | None:
    target = _TARGET_WORDS.search(question)
    result = any(not (target and m.start() > target.start() and _DONE_VERBS.fullmatch(m.group()))
                 for m in _RESULT_WORDS.finditer(question))
    target = bool(target)
    if target == result:
        return None
    return "target" if target else "result"


def first_reading(text: str) -> str | None:
    """The reading of the first word in `text` that names one: "2023年实际要提高多少" is of what happened, its
    later 要 asks the difference.

    >>> first_reading("2023年实际要提高多少个"), first_reading("2024年目标比"), first_reading("2024年")
    ('result', 'target', None)
    """
    found = [(m.start(), reading) for reading, words in (("target", _TARGET_WORDS), ("result", _RESULT_WORDS))
             if (m := words.search(text))]
    return min(found)[1] if found else None


def _trim(segment: str) -> str:
    """A segment without the question words at its ends ("实际利用外资" keeps 实际: a known name wins)."""
    changed = True
    while changed and segment:
        changed = False
        if segment in indicator_aliases():
            break
        for word in (*_EDGE_WORDS, *sorted(measure_words(), key=len, reverse=True), *_AVERAGING):
            # "国民生产总值每年平均增长": an average over years is how it is measured, not part of its name
            if segment.endswith(word) and segment != word:
                segment, changed = segment[: -len(word)], True
                break
            if segment.startswith(word) and segment != word and word not in _AVERAGING:
                segment, changed = segment[len(word):], True
                break
    return segment


def indicator_candidates(question: str, places: Sequence[str] = ()) -> list[str]:
    """The words of `question` that may name the indicator, longest first: its longest stretch once places, years,
    question words, measure words and comparison bases ("比上年", "比2022年") are removed, and the known names in it.

    >>> indicator_candidates("2021年财政赤字率是按多少安排的？")
    ['财政赤字率']
    >>> indicator_candidates("2017年国家定的经济增速目标是多少？")[0]
    '经济增速'
    """
    text = _without_frame(question, places)
    # 比 opens a comparison base ("GDP增速比2022年快了"), except inside 比重/比例.
    parts = [p for p in re.split(r"(?:[\s，,。？?！!、：:；;（）()和与及跟]|同比|比(?![重例率值])[上去前本]?年?)+", text) if p]
    parts = [run for part in parts for run in _content_runs(part)]
    segments = [_trim(p) for p in parts]
    segments = sorted(dict.fromkeys(s for s in segments if len(s) >= 2 and s not in _EDGE_WORDS
                                    and s not in measure_words()), key=len, reverse=True)
    # Besides the longest stretch, only the known names inside the question ("定的经济增速" -> 经济增速): a shorter
    # stretch of its own ("投资" of "重点项目全年要完成多少投资") would name some other figure. A name inside a longer
    # candidate is not tried ("中央财政赤字" is not 财政赤字, "城镇登记失业率" not 失业率).
    known = [name for name in indicator_aliases() if len(name) >= 2 and any(name in p for p in parts)]
    ordered = sorted(dict.fromkeys([*known, *segments[:1]]), key=lambda c: (-len(c), c not in known))
    return [c for i, c in enumerate(ordered) if not any(_names_a_kind_of(longer, c) for longer in ordered[:i])]


# Verbs of a question that say what was done with a figure, never part of its name (as whole words only:
# "定" ends "稳定", "发" ends "研发").
_SETTING_VERBS = frozenset(("定", "定在", "发", "发了", "打算", "要求", "安排", "提出", "控制", "控制在", "降到", "达"))
# jieba's tags of the words that never belong to an indicator's name and so end one: prepositions (把, 在),
# conjunctions, particles (的, 了), modal words, punctuation.
_AVERAGING = ("平均", "年均")
_OPENING_QUOTES = ("“", "「")
_CLOSING_QUOTES = ("”", "」")
_QUOTES = _OPENING_QUOTES + _CLOSING_QUOTES
_PARTICLE_TAGS = ("p", "c", "u", "y", "e", "o", "x")
_LATIN = re.compile(r"[A-Za-z0-9.]+")
_YEARS_COUNT = re.compile(r"[一二两三四五六七八九十几]+年")


def _content_runs(part: str) -> list[str]:
    """The stretches of `part` between words that cannot be inside an indicator's name, each without the
    question's frame words (实际, 目标, 计划…) and without a one-character verb or a linking verb at its end
    ("把经济增速目标定在" -> 经济增速; "粮食实际产量" -> 粮食产量; "钢产量要达到" -> 钢产量).

    >>> _content_runs("规划纲要里工业总产值打算增长")
    ['规划纲要', '工业总产值增长']
    >>> _content_runs("我国经济全年实际增速")
    ['经济增速']
    """
    runs: list[list[str]] = [[]]
    quoted = False
    for word, tag in _latin_joined(word_tags(part)):
        # A quoted name inside an indicator's is part of it, whatever its words ("新增“四上”企业"), and so is the 的
        # after it ("中央财政用于“三农”的支出"); one that opens or ends a stretch is set apart below.
        if word in _QUOTES or quoted:
            quoted = word in _OPENING_QUOTES or (quoted and word not in _CLOSING_QUOTES)
            runs[-1].append(word)
        elif (word == "的" and runs[-1] and runs[-1][-1] in _CLOSING_QUOTES) or (tag == "q" and not runs[-1]):
            continue  # nor does a classifier open a name ("多少家“四上”企业")
        elif word in indicator_aliases():
            runs[-1].append(word)
        elif _breaks(word, tag) and (word not in _EDGE_WORDS or tag.startswith(_PARTICLE_TAGS)):
            runs.append([])
        elif word not in _EDGE_WORDS:  # "我国经济全年实际增速" still names 经济增速
            runs[-1].append(word)
    stripped = []
    for run in (piece for run in runs for piece in _quoted_edges_apart(run)):
        while run and _ends_nothing(run[-1]):
            run.pop()
        while run and run[0] in _SETTING_VERBS:  # a linking verb may open a name: 新增就业
            run.pop(0)
        if run:
            stripped.append("".join(run))
    return stripped


def _quoted_edges_apart(run: list[str]) -> list[list[str]]:
    """A stretch's words with a quoted name that ends it set apart, unquoted ("首家“国家级生态农场”": 首家 and
    国家级生态农场), and quotes left unpaired dropped; a quoted name inside it or opening it stays ("“四上”企业").

    >>> _quoted_edges_apart(["首家", "“", "生态农场", "”"]), _quoted_edges_apart(["用于", "“", "三农", "”", "支出"])
    ([['首家'], ['生态农场']], [['用于', '“', '三农', '”', '支出']])
    """
    pieces = []
    if run and run[-1] in _CLOSING_QUOTES and (opening := _first(run[::-1], _OPENING_QUOTES)) is not None:
        opening = len(run) - 1 - opening
        pieces += [run[:opening], run[opening + 1:-1]]
    else:
        pieces.append(run)
    return [piece if _paired(piece) else [w for w in piece if w not in _QUOTES] for piece in pieces]


def _first(words: list[str], among: tuple[str, ...]) -> int | None:
    return next((i for i, word in enumerate(words) if word in among), None)


def _paired(words: list[str]) -> bool:
    return sum(w in _OPENING_QUOTES for w in words) == sum(w in _CLOSING_QUOTES for w in words)


def _breaks(word: str, tag: str) -> bool:
    """Whether a word ends the name before it: a particle; a one-character locative ("里", "下", not the
    "以下" of "3岁以下托位数"); a pronoun ("各", "怎么", not the "每" of "每万人口"); a count of years ("三年")."""
    if tag == "eng":
        return False
    return (tag.startswith(_PARTICLE_TAGS) or (tag.startswith("f") and len(word) == 1)
            or (tag.startswith("r") and word != "每") or bool(_YEARS_COUNT.fullmatch(word)))


def _latin_joined(tagged: Sequence[tuple[str, str]]) -> list[tuple[str, str]]:
    """Neighbouring words of Latin letters, digits and dots made one word again: jieba cuts "PM2.5" at its dot."""
    joined: list[tuple[str, str]] = []
    for word, tag in tagged:
        if joined and _LATIN.fullmatch(word) and _LATIN.fullmatch(joined[-1][0]):
            joined[-1] = (joined[-1][0] + word, "eng")
        else:
            joined.append((word, "eng" if _LATIN.fullmatch(word) and not word.isdigit() else tag))
    return joined


def _ends_nothing(word: str) -> bool:
    """A verb that no indicator's name ends with: a linking verb ("达到") or one that sets or spends a figure
    ("定", "发")."""
    return word not in indicator_aliases() and (word in linking_verbs() or word in _SETTING_VERBS)


def _without_frame(question: str, places: Sequence[str]) -> str:
    """`question` with its places, years and question words blanked: what is left names what is asked about."""
    text = question
    for place in sorted(places, key=len, reverse=True):
        text = text.replace(place, " ")
        if len(place) > 2:
            text = text.replace(place[:-1], " ")
    # the report a figure is asked of ("政府工作报告", "那份预算报告里") names no indicator
    text = re.sub(r"(?:[这那该本]份)?(?:政府工作|预算|国务院|[\u4e00-\u9fff]{0,2}?)报告(?:里|中|上)?", " ", text)
    text = re.sub(r"(?:19|20)\d{2}\s*年?(?:[到至—\-~～](?:19|20)?\d{2,4}\s*年?)?", " ", without_plans(text))
    return _ASKING.sub(" ", text)


def indicator_pair(question: str, places: Sequence[str] = ()) -> tuple[str, str] | None:
    """Two indicators a question joins by 和/与/及/跟 to add or set against each other, or sets one against the
    other ("A比B多多少", "A是B的几倍"), in order.

    >>> indicator_pair("2023年新增城镇就业和农村劳动力转移就业一共多少人？")
    ('新增城镇就业', '农村劳动力转移就业')
    >>> indicator_pair("2008年城镇居民人均可支配收入比农民人均纯收入多多少元？"), indicator_pair("GDP比上年增长多少？")
    (('城镇居民人均可支配收入', '农民人均纯收入'), None)
    """
    text = _without_frame(question, places)
    m = _JOINED_PAIR.search(text) or _RATIO_PAIR.search(text)
    if m is None and (m := _COMPARED_PAIR.search(text)) and m.group(2).startswith(_COMPARISON_BASES):
        m = None  # "比上年", "比去年同期": a base, not a second indicator
    if not m:
        return None
    first, second = _trim(m.group(1)), _trim(m.group(2))
    return (first, second) if len(first) >= 2 and len(second) >= 2 else None


_PAIR_WORD = r"[^\s，,。？?！!、：:；;（）()和与及跟比]"
_JOINED_PAIR = re.compile(rf"({_PAIR_WORD}{{2,}})[和与及跟]({_PAIR_WORD}{{2,}})")
_COMPARED_PAIR = re.compile(rf"({_PAIR_WORD}{{2,}})比({_PAIR_WORD}{{2,}}?)(?:[多少高低快慢]|\s|$)")
_RATIO_PAIR = re.compile(rf"({_PAIR_WORD}{{2,}}?)(?:是|为|相当于)({_PAIR_WORD}{{2,}}?)的")
# What follows 比 when it opens a comparison base, not a second indicator ("比上年增长").
_COMPARISON_BASES = ("上年", "去年", "前年", "上一年", "同期", "年初", "计划", "预期", "目标", "预算", "这", "那", "它", "其")


def _names_a_kind_of(longer: str, name: str) -> bool:
    """Whether `longer` names a narrower thing than `name` inside it: another known name, or a short modifier
    before it ("中央财政赤字"); "每年定的GDP" still asks about GDP."""
    if name not in longer:
        return False
    if longer in indicator_aliases():
        return True
    modifier = longer[:longer.index(name)]
    return "的" not in modifier and len(modifier) <= 4


def _indicator_phrase(question: str, places: Sequence[str] = ()) -> str:
    """The question's longest stretch that may name the indicator."""
    candidates = indicator_candidates(question, places)
    return candidates[0] if candidates else ""


def asked_indicator_norm(words: str) -> str:
    """The normalised name of the indicator a question's words name: a known name they start with
    ("GDP增长目标" -> 生产总值); words before a known name make another thing ("中央财政赤字" is not 财政赤字).

    >>> asked_indicator_norm("GDP增长目标"), asked_indicator_norm("中央财政赤字")
    ('生产总值', '中央财政赤字')
    """
    norm = normalise_indicator(words)
    names = [name for name, target in indicator_aliases().items() if target == norm]
    return norm if norm == words or any(words.startswith(name) for name in names) else words


def read_request(question: str, places: Sequence[str] = ()) -> FigureRequest:
    """What figure `question` asks for; `places` are the place names it names (removed from the indicator)."""
    indicator = _indicator_phrase(question, places)
    measure = _asked_measure(question)
    if not indicator and measure == "growth" and _GROWTH_NAMED.search(question):
        indicator = UNNAMED_GROWTH  # "2004年定的增长目标…": a work report's growth rate named alone is the economy's
    return FigureRequest(indicator=indicator, indicator_norm=asked_indicator_norm(indicator),
                         measure=measure, reading=_asked_reading(question))


@dataclass(frozen=True)
class FactMatch:
    """A fact that may answer a request, and how well its indicator matches (0..1)."""

    fact: StoredFact
    indicator_score: float


# Cosine similarity (e5 query vs passage) from which two indicator phrases that share a word are
# taken to name the same thing. e5 compresses short phrases: measured on the aliases of
# rag/data/indicators.tsv against the indicators of the sample reports, listed aliases score
# 0.79–0.90 and unrelated phrases up to 0.89 ("城镇新增就业" ~ "新增“四上”企业"), so meaning alone
# never decides: it must be high and the phrases must share a two-character word.
MEANING_THRESHOLD = 0.92
# Of two names one inside the other, the shorter must be at least this share of the longer:
# "投入" does not name "规上工业企业创新投入覆盖率".
MIN_CONTAINED_SHARE = 0.4


def _name_score(request: FigureRequest, indicator: str, indicator_norm: str) -> float:
    """How well a fact's indicator (as written, and normalised) names the requested one: 1 the same, 0 not."""
    if not request.indicator:
        return 0.0
    if request.indicator_norm == indicator_norm and request.indicator_norm in indicator_aliases().values():
        return 1.0
    written = _plain(indicator)  # "工業總産值" is 工业总产值
    if request.indicator == written or request.indicator_norm == indicator_norm:
        return 1.0
    if _product(request.indicator) == _product(written):  # "钢产量" asked, "钢由…增加到四千六百六十六万吨" written
        return 1.0
    shorter, longer = sorted((request.indicator, written), key=len)
    if len(shorter) >= 2 and _contains_as_words(longer, shorter) and len(shorter) >= MIN_CONTAINED_SHARE * len(longer):
        return 0.6 + 0.4 * len(shorter) / len(longer)
    return 0.0


@functools.lru_cache(maxsize=65536)
def _product(indicator: str) -> str:
    """The product whose output an indicator names ("钢产量" -> 钢), or the indicator itself."""
    for word in output_words():
        if indicator.endswith(word) and len(indicator) > len(word):
            return indicator[:-len(word)]
    return indicator


@functools.lru_cache(maxsize=65536)
def _plain(indicator: str) -> str:
    """An indicator's name as matched: full-width and traditional characters read plainly."""
    return for_matching(indicator)


@functools.lru_cache(maxsize=65536)
def _contains_as_words(longer: str, shorter: str) -> bool:
    """Whether `shorter` is written in `longer` as words of its own: not where jieba's best cut of `longer`
    joins its first character to the one before (工农业总产值 holds 农业总产值, 重工业总产值 holds 工业总产值,
    each naming another figure); 赤字率 in 预算赤字率 and 新增就业 in 城镇新增就业人数 name the same.

    >>> _contains_as_words("工农业总产值", "农业总产值"), _contains_as_words("城镇新增就业人数", "新增就业")
    (False, True)
    """
    start = longer.find(shorter)
    while start >= 0:
        if start == 0 or start in _cuts(longer, start, start + len(shorter)) or not _joined_to_one_before(longer, start):
            return True
        start = longer.find(shorter, start + 1)
    return False


def _joined_to_one_before(text: str, start: int) -> bool:
    """Whether a dictionary word starts one character before `start` and goes on past it ("工农" of 工农业)."""
    words = indicator_tokenizer().FREQ
    return any(words.get(text[start - 1:end]) for end in range(start + 1, len(text) + 1))


def _cuts(text: str, start: int, end: int) -> set[int]:
    """Where jieba's best cut of `text` cuts it, not allowed a word that holds text[start:end] and begins more
    than one character before it (the indicator dictionary knows whole names such as 国内生产总值); a word begun
    one character before is the modifier binding to it (工农业, 总产量)."""
    tokenizer = indicator_tokenizer()
    tokenizer.check_initialized()
    dag = {i: [j for j in ends if not (i < start - 1 and j + 1 >= end)] or [i]
           for i, ends in tokenizer.get_DAG(text).items()}
    route: dict[int, tuple[float, int]] = {}
    tokenizer.calc(text, dag, route)
    cuts, i = {0}, 0
    while i < len(text):
        i = route[i][1] + 1
        cuts.add(i)
    return cuts


def _share_a_word(a: str, b: str) -> bool:
    """Whether two phrases have a two-character stretch in common."""
    return any(a[i:i + 2] in b for i in range(len(a) - 1))


class FactIndex:
    """The library's facts in memory, with their indicator vectors, for looking figures up.

    A look-up filters by year, report, reading and measure over columns, then scores each distinct indicator
    name once: at 200,000 passages one place's facts number 200,000 (a Python test per fact took 340 ms a look-up).
    """

    def __init__(self, facts: Sequence[StoredFact], vectors: np.ndarray,
                 embed_query: Callable[[str], np.ndarray] | None = None) -> None:
        self.facts = list(facts)
        self.vectors = vectors
        self.embed_query = embed_query
        # Rows per place: a question names its places, so a look-up reads only theirs, not the whole library.
        self.rows_of: dict[str | None, list[int]] = {}
        # The years of each place's reports: which places could state a year's figure, without reading every fact.
        self.report_years_of: dict[str | None, set[int]] = {}
        # Codes of each fact's indicator (as written and normalised), reading and measure as a question matches it.
        self._names: dict[tuple[str, str], int] = {}
        self._readings: dict[str | None, int] = {}
        self._measures: dict[str, int] = {}
        columns: tuple[list[int], ...] = ([], [], [], [], [])
        period_years, report_years, names, readings, measures = columns
        for row, fact in enumerate(self.facts):
            self.rows_of.setdefault(fact.place, []).append(row)
            if fact.report_year is not None:
                self.report_years_of.setdefault(fact.place, set()).add(fact.report_year)
            period_years.append(_NO_YEAR if fact.period_year is None else fact.period_year)
            report_years.append(_NO_YEAR if fact.report_year is None else fact.report_year)
            names.append(self._names.setdefault((fact.indicator, fact.indicator_norm), len(self._names)))
            readings.append(self._readings.setdefault(fact.reading, len(self._readings)))
            measures.append(self._measures.setdefault(_change_measure(fact.measure, fact.indicator), len(self._measures)))
        self.places = frozenset(self.rows_of)
        self._period_years, self._report_years, self._name_codes, self._reading_codes, self._measure_codes = (
            np.array(column, dtype=np.int64) for column in columns)
        self._name_list = list(self._names)
        self._place_rows = {place: np.array(rows, dtype=np.int64) for place, rows in self.rows_of.items()}

    def of_place(self, place: str | None) -> list[StoredFact]:
        """The facts of one place's reports, in report and reading order."""
        return [self.facts[row] for row in self.rows_of.get(place, [])]

    def find(self, request: FigureRequest, places: Sequence[str] | None = None,
             years: Sequence[int] | None = None) -> list[FactMatch]:
        """Facts that state the requested figure for one of `places` in one of `years`, best first.

        `places` None or empty: any place; `years` None or empty: any year. A fact's year is the year it is
        about (a review of 2024 in the 2025 report is about 2024).
        """
        if not self.facts or not request.indicator:
            return []
        rows = (np.concatenate([self._place_rows.get(place, _NO_ROWS) for place in dict.fromkeys(places)])
                if places else np.arange(len(self.facts)))
        rows = rows[self._fitting(request, years, rows)]
        if not len(rows):
            return []
        known = set(indicator_aliases().values())
        codes, of_row = np.unique(self._name_codes[rows], return_inverse=True)
        names = [self._name_list[code] for code in codes]
        scores = np.array([_name_score(request, indicator, norm) for indicator, norm in names], dtype=np.float64)[of_row]
        # Meaning only for words no name list knows: a well-known indicator is matched by its names, and
        # e5 finds siblings close (登记失业率 ~ 调查失业率 0.94, 预算收入 ~ 预算支出).
        by_meaning = np.array([request.indicator_norm not in known and norm not in known
                               and _share_a_word(request.indicator, indicator) for indicator, norm in names],
                              dtype=bool)[of_row]
        if self.embed_query is not None and len(self.vectors) and by_meaning.any():
            similarity = self.vectors[rows[by_meaning]] @ self.embed_query(request.indicator)
            meant = np.where(similarity >= MEANING_THRESHOLD, similarity, 0.0)
            scores[by_meaning] = np.maximum(scores[by_meaning], meant)
        matches = [FactMatch(self.facts[row], float(score)) for row, score in zip(rows.tolist(), scores.tolist())
                   if score > 0]
        return sorted(matches, key=lambda m: (-m.indicator_score, m.fact.doc, m.fact.start))

    def _fitting(self, request: FigureRequest, years: Sequence[int] | None, rows: np.ndarray) -> np.ndarray:
        """Which of `rows` are facts of a year, a reading and a measure the request admits."""
        fits = np.ones(len(rows), dtype=bool)
        if years:
            fits &= np.isin(self._period_years[rows], list(years))
        if request.reports:
            fits &= np.isin(self._report_years[rows], list(request.reports))
        if request.reading is not None:
            admitted = {request.reading, "estimate"} if request.reading == "result" else {request.reading}
            fits &= np.isin(self._reading_codes[rows], [c for r, c in self._readings.items() if r in admitted])
        fits &= np.isin(self._measure_codes[rows],
                        [c for m, c in self._measures.items() if _measure_fits(request.measure, m)])
        return fits


# A fact of no known year, in the year columns; no year asked is ever 0.
_NO_YEAR = 0
_NO_ROWS = np.zeros(0, dtype=np.int64)


@functools.lru_cache(maxsize=65536)
def _change_measure(measure: str, indicator: str) -> str:
    """A rate whose indicator names a change ("能耗降幅超过3%", "居民消费价格涨幅2%", "经济增长速度的调控目标定为8%")
    is that change."""
    if measure == "rate" and re.search(r"(?:降幅|下降|降低)(?:的.*)?$", indicator):
        return "decline"
    if measure == "rate" and re.search(r"(?:增幅|涨幅|增速|增长率|增长速度)(?:的.*)?$", indicator):
        return "growth"
    return measure


def _measure_fits(asked: str | None, measure: str) -> bool:
    """Whether a fact of `measure` answers a question asking for `asked` (a rate asked may be a growth stated)."""
    if asked == "any":
        return True
    if asked is None:  # a level is meant: a change ("下降4%", "超过计划4.1%") does not say how high something is
        return measure not in ("growth", "decline", "points", "beyond")
    if asked == "rate":
        return measure in ("rate", "share", "growth", "decline")
    return asked == measure
