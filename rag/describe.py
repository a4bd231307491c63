"""Describe: what a report is — region, year, date, title, speaker — and its section headings.

Everything here reads the canonical text only. What the text does not say stays unknown
(None); where a value is inferred rather than stated, `year_basis` says how.

Example:
    >>> meta = describe_report("r.txt", "——2024年1月22日在郑州市惠济区第四届人民代表大会\\n惠济区人民政府区长 李伟光\\n一、2023年工作回顾")
    >>> (meta.region, meta.parent_region, meta.year, meta.speaker)
    ('惠济区', '郑州市', 2024, '李伟光')
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

import jieba
import jieba.posseg as pseg

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on every start

_CN = r"\u4e00-\u9fff"
_LEVELS = {"省": "省", "市": "市", "区": "区", "县": "县"}

# "在郑州市惠济区第四届人民代表大会" / "在郑州市十五届人大三次会议": the report's own government.
_SESSION = re.compile(
    rf"在((?:[{_CN}]{{2,6}}?[省市])?(?:[{_CN}]{{2,4}}?[市区县])?)\s*(?:第)?[一二三四五六七八九十]+届(?:人民代表大会|人大)"
)
_SPEAKER_TITLE = re.compile(rf"([{_CN}]{{2,4}}?[市区县省])人民政府(?:区长|市长|县长|省长)")
_MAYOR = re.compile(rf"([{_CN}]{{2,4}}?市)市长")
_CONTRIBUTION = re.compile(rf"作出([{_CN}]{{2,3}}?)(?:新的)?更大贡献")
_SPEAKER = re.compile(rf"(?:区长|市长|县长|省长)\s*((?:[{_CN}]\s?){{1,2}}[{_CN}])(?=\s*$|\s*\n|在|作|，|,)", re.M)
_DATE = re.compile(r"(20\d{2})年(\d{1,2})月(\d{1,2})日")
_REVIEW_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、\s*(20\d{2})年.{0,12}(?:回顾|以来)", re.M)
_PLAN_HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、\s*(20\d{2})年(?!.*回顾).{0,16}(?:工作|任务|目标|要求)", re.M)
_FIVE_YEAR_PLAN = re.compile(r"(?<![0-9])年是.{0,20}“(十[一二三四五六七八九]五)”规划(收官|开局)之年")
_FIVE_YEAR_PLAN_START = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026}

_L1 = re.compile(r"^\s*([一二三四五六七八九十]{1,3})、\s*(\S.*)$")
_L2 = re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[)）]\s*(\S.*)$")
_L2_KEYWORD = re.compile(r"^\s*关键词\s*(\S.{1,30})$")
_L3 = re.compile(r"^\s*(\d{1,2})[.．、](?!\d)\s*(\S.*)$")
_HEADING_MAX = 40
# Words jieba tags as place names ("ns") that never name a report's own government.
_NOT_A_PLACE = frozenset({"城市", "新建", "中国", "全国", "全省", "全市", "全区", "国家", "世界", "国际", "中原",
                          "中部", "黄河", "长江", "河南", "亚洲", "欧洲", "中欧", "乡村", "农村", "城乡"})


@dataclass(frozen=True)
class ReportMeta:
    """What is known about one report; None means the text does not say."""

    title: str
    headline: str
    region: str | None
    parent_region: str | None
    year: int | None
    year_basis: str | None
    date: str | None
    speaker: str | None


@dataclass(frozen=True)
class Section:
    """A heading and the span of canonical text it governs (up to the next heading of its level or above)."""

    level: int
    title: str
    start: int
    end: int
    path: tuple[str, ...]
    period_year: int | None


def _own_level(text: str) -> str | None:
    """Which kind of government speaks: the 全市/全区/全县 it addresses most."""
    counts = {lvl: sum(text.count(p + lvl) for p in ("全", "我", "本")) + text.count(lvl + "委") for lvl in "市区县"}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else None


def _split_region(phrase: str) -> tuple[str | None, str | None]:
    """'郑州市惠济区' -> ('惠济区', '郑州市'); '郑州市' -> ('郑州市', None)."""
    parts = re.findall(rf"[{_CN}]+?[省市区县](?=[{_CN}]+?[市区县]|$)", phrase)
    parts = [p for p in parts if not p.endswith("省")] or parts
    if not parts:
        return None, None
    return parts[-1], (parts[-2] if len(parts) > 1 else None)


def _region(text: str) -> tuple[str | None, str | None]:
    head = text[:3000]
    if m := _SESSION.search(head):
        region, parent = _split_region(m.group(1))
        if region:
            return region, parent
    for pattern in (_SPEAKER_TITLE, _MAYOR):
        if m := pattern.search(head):
            return m.group(1), None
    level = _own_level(text)
    if m := _CONTRIBUTION.search(text):
        name = m.group(1)
        if name not in ("新的", "应有", "积极"):
            return name + (level or "市") if not name.endswith(("市", "区", "县")) else name, None
    # Last resort: the place name (jieba's "ns" tag) the report uses far more often than any
    # other, at the level of government the report addresses.
    places = Counter(w.word for w in pseg.cut(text)
                     if w.flag == "ns" and len(w.word) >= 2 and w.word not in _NOT_A_PLACE)
    ranked = places.most_common(2)
    if level and ranked and ranked[0][1] >= 10 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        name = ranked[0][0]
        return (name if name.endswith(("市", "区", "县")) else name + level), None
    return None, None


def _year(text: str) -> tuple[int | None, str | None, str | None]:
    """(year, basis, date) from the header date, the section headings, or the five-year-plan phrase."""
    if m := _DATE.search(text[:400]):
        year, month, day = (int(g) for g in m.groups())
        return year, "报告日期", f"{year:04d}-{month:02d}-{day:02d}"
    if m := _PLAN_HEADING.search(text):
        return int(m.group(1)), f"工作安排标题“{m.group(0).strip()}”", None
    if m := _REVIEW_HEADING.search(text):
        return int(m.group(1)) + 1, f"回顾上一年的标题“{m.group(0).strip()}”", None
    if m := _FIVE_YEAR_PLAN.search(text[:3000]):
        start = _FIVE_YEAR_PLAN_START.get(m.group(1))
        if start:
            year = start + (4 if m.group(2) == "收官" else 0)
            return year, f"推断：文中称当年为“{m.group(1)}”规划{m.group(2)}之年", None
    return None, None, None


def _speaker(text: str) -> str | None:
    m = _SPEAKER.search(text[:3000])
    return re.sub(r"\s", "", m.group(1)) if m else None


def describe_report(name: str, text: str) -> ReportMeta:
    """Read region, year, date, speaker and a display title out of a report's canonical text."""
    headline = next((line.strip() for line in text.split("\n") if line.strip()), name)
    region, parent = _region(text)
    year, basis, date = _year(text)
    title = f"{region or '地区未知'}{f'{year}年' if year else '（年份未知）'}政府工作报告"
    return ReportMeta(title=title, headline=re.sub(r"\s+", "", headline) if len(headline) < 20 else headline,
                      region=region, parent_region=parent, year=year, year_basis=basis, date=date,
                      speaker=_speaker(text))


def _heading(line: str) -> tuple[int, str] | None:
    for level, pattern in ((1, _L1), (2, _L2), (2, _L2_KEYWORD), (3, _L3)):
        if m := pattern.match(line):
            title = line.strip()
            cut = re.search(r"[。；;]", title)
            title = title[: cut.start()] if cut else title
            if len(title) <= _HEADING_MAX or level == 1:
                return level, title[:_HEADING_MAX]
    return None


def find_sections(text: str, report_year: int | None) -> list[Section]:
    """The headings of the report (一、 / （一） / 1.) as spans of the canonical text, in order.

    A top-level section's `period_year` is the year it is about: the year its heading names
    (a review of 2023 is about 2023), else the report's year.
    """
    marks: list[tuple[int, int, str]] = []
    offset = 0
    for line in text.split("\n"):
        if found := _heading(line):
            marks.append((offset + len(line) - len(line.lstrip()), *found))
        offset += len(line) + 1
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    period = report_year
    for i, (start, level, title) in enumerate(marks):
        end = next((s for s, lvl, _ in marks[i + 1:] if lvl <= level), len(text))
        stack = [(lvl, t) for lvl, t in stack if lvl < level] + [(level, title)]
        if level == 1:
            years = re.findall(r"(20\d{2})年", title)
            period = int(years[0]) if years else report_year
        sections.append(Section(level=level, title=title, start=start, end=end,
                                path=tuple(t for _, t in stack), period_year=period))
    return sections
