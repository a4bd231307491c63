"""Condense: turn a follow-up ("那金水区呢？", "下一年呢，目标开到多少班？") into a standalone question.

A follow-up keeps the place, year and topic of the conversation unless it names its own:
a new place or year replaces the old one, "下一年/次年/明年" moves the year on, and an
elliptical question ("…呢？") borrows the previous question's topic.

Example:
    >>> first = condense("郑州2020年中欧班列开了多少班？", None, library)
    >>> condense("下一年呢，目标开到多少班？", first, library).standalone
    '郑州2021年中欧班列目标开到多少班？'
"""
from __future__ import annotations

import re

from rag.constraints import Library, QueryConstraints, find_regions, parse_constraints
from rag.facts import read_request
from rag.numbers import asks_for_number
from rag.question import nouns
from rag.records import Turn
from rag.years import YEAR
from vectorstore.lexical import add_words

_NEXT_YEAR = re.compile(r"下一年|下一年度|次年|第二年|明年|后一年")
_PREV_YEAR = re.compile(r"上一年|前一年|去年|上年")
_LEAD = re.compile(r"^(那么|那|还有|另外|再问一下|请问)[，,\s]*")
_POINTER = re.compile(r"^(它|这份报告|该报告|这个报告|报告里?)")
_ELLIPSIS = re.compile(r"呢[？?]?$|呢[，,]")
# Nouns every question uses, attributes of some other topic ("总量呢？" = the total of it) and the
# scope a figure is ranked or shared in ("在全国排第几？" = where it ranks): no topic of their own.
_GENERIC = frozenset({"目标", "计划", "报告", "情况", "数量", "多少", "时候", "问题", "方面", "政府", "工作",
                      "总量", "总额", "增速", "增幅", "占比", "比重", "规模", "数字", "金额", "排名", "名次",
                      "实际", "完成", "全国", "全省", "全市", "全区", "全球", "世界", "同类"})
_YEAR_OR_PLACE = re.compile(YEAR + r"\s*年")


def _topic(question: str, library: Library) -> str:
    """The subject of a question without its place, year and question words: "中欧班列"."""
    add_words(())  # the indicator dictionary keeps "中欧班列" whole, whoever loaded jieba first
    text = _YEAR_OR_PLACE.sub("", question)
    for _, region in find_regions(text, library):
        text = text.replace(region, "").replace(region[:-1], "")
    return "".join(word for word in nouns(text) if word not in _GENERIC)


def _place_prefix(regions: tuple[str, ...]) -> str:
    return "、".join(regions)


def _asking_as_before(body: str, previous: str) -> str:
    """An elliptical follow-up that names only what it is about asks what the previous question asked: a figure,
    and its growth or fall where that was asked ("2021年GDP增长目标是多少？" then "那一般公共预算收入呢？"
    asks 一般公共预算收入增长目标是多少; a rate itself is asked as one: "那财政赤字率呢？" asks 财政赤字率是多少).

    >>> _asking_as_before("一般公共预算收入？", "2021年地区生产总值增长目标是多少？")
    '一般公共预算收入增长目标是多少？'
    """
    if not asks_for_number(previous) or asks_for_number(body):
        return body
    asked, own = read_request(previous), read_request(body)
    words = body.rstrip("？?。 ")
    measure = {"growth": "增长", "decline": "下降"}.get(asked.measure or "", "")
    if measure and own.measure is None and not own.indicator.endswith(("率", "指数")):
        words += measure
    if asked.reading == "target" and own.reading is None:
        words += "目标"
    return words + "是多少？"


def condense(question: str, previous: Turn | None, library: Library) -> Turn:
    """Understand `question` in the light of the previous turn of the same chat."""
    question = question.strip()
    own = parse_constraints(question, library)
    if previous is None:
        return Turn(question=question, standalone=question, constraints=own, topic=_topic(question, library))
    prior = previous.constraints
    # A follow-up naming a place the library lacks is about that place, not the previous one.
    regions = own.regions or (() if own.unknown_places else prior.regions)
    unknown = own.unknown_places if (own.unknown_places or own.regions) else prior.unknown_places
    years = own.years
    if not years and prior.years:
        shift = 1 if _NEXT_YEAR.search(question) else -1 if _PREV_YEAR.search(question) else 0
        years = tuple(y + shift for y in prior.years)
    body = _LEAD.sub("", question)
    body = _NEXT_YEAR.sub("", _PREV_YEAR.sub("", body))
    body = _POINTER.sub("", body)
    for _, region in find_regions(body, library):
        body = body.replace(region, "").replace(region[:-1], "")
    body = _YEAR_OR_PLACE.sub("", body)
    body = re.sub(r"^[，,、\s]+", "", body)
    elliptical = bool(_ELLIPSIS.search(question)) or not _topic(body, library)
    if elliptical and not re.sub(r"呢|的|[？?，,。\s]", "", body):
        # "那浙江呢？", "那2019年的呢？": the previous question, with its place and year replaced.
        body = _YEAR_OR_PLACE.sub("", previous.standalone)
        for _, region in find_regions(body, library):
            body = body.replace(region, "").replace(region[:-1], "")
        for place in prior.unknown_places:  # "郑州市中原区…" then "那2022年呢？": 中原区 is named once, in front
            body = body.replace(place, "")
        body = re.sub(r"^[，,、\s]+", "", body)
    elif elliptical:
        # "下一年呢，目标开到多少班？" borrows the topic; "那技术合同成交额呢？" has its own.
        own_topic = _topic(body, library)
        named = re.sub(r"呢|[？?，,。\s]", "", body)
        if own_topic and prior.report_years and not own.years and not own.regions and previous.topic \
                and previous.topic in previous.standalone:
            # "1987年政府工作报告里说1986年钢产量是多少？" then "那发电量呢？": the same report and year, another figure
            return Turn(question=question, standalone=previous.standalone.replace(previous.topic, named),
                        constraints=prior, topic=own_topic)
        body = _asking_as_before(("" if own_topic else previous.topic) + re.sub(r"呢", "", body), previous.standalone)
    place = _place_prefix(regions) or "、".join(unknown)
    year = "、".join(f"{y}年" for y in years)
    standalone = f"{place}{year}{body}"
    constraints = QueryConstraints(regions=regions, unknown_places=unknown, years=years,
                                   report_years=own.report_years)
    return Turn(question=question, standalone=standalone, constraints=constraints,
                topic=_topic(body, library) or previous.topic)
