"""Describe: what a document is — its kind, place, year, date, title, speaker — and its section headings.

Everything here reads the canonical text (through `for_matching`, so traditional characters and
full-width digits read as simplified and half-width), and the file name only as a last resort. What
neither says stays unknown (None); where a value is inferred rather than stated, `year_basis` and
`region_basis` say how. The knowledge used — provinces, places, titles, NPC sessions, document kinds —
lives in `rag/data/`.

Example:
    >>> meta = describe_report("r.txt", "——2024年1月22日在郑州市惠济区第四届人民代表大会\\n惠济区人民政府区长 李伟光\\n各位代表：\\n一、2023年工作回顾")
    >>> (meta.region, meta.parent_region, meta.year, meta.speaker, meta.kind)
    ('惠济区', '郑州市', 2024, '李伟光', '政府工作报告')
    >>> meta = describe_report("2015_国务院.txt", "各位代表：\\n现在，我代表国务院，向大会报告政府工作。\\n一、2014年工作回顾")
    >>> (meta.region, meta.year, meta.title)
    ('全国', 2015, '全国2015年政府工作报告')
"""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import PurePath

import jieba
import jieba.posseg as pseg

from rag.gazetteer import (NATIONAL, data_rows, is_known_place, known_place_pattern, national_phrases, not_places,
                           official_province, speaker_titles)
from rag.years import YEAR, npc_session_year, plan_span, years_named
from vectorstore.normalize import for_matching

jieba.setLogLevel(60)  # jieba logs its dictionary loading at INFO on every start

WORK_REPORT = "政府工作报告"
_CN = r"\u4e00-\u9fff"
_HEAD = 3000          # the header, address and first section: where a report says who speaks
_SPEAKER_HEAD = 800   # who speaks is said before the address ("国务院总理 李强", "我代表国务院")
_TITLE_LINES = 4      # a document's title takes at most this many lines at its top

# "在郑州市惠济区第四届人民代表大会" / "在郑州市十五届人大三次会议": the report's own government.
_SESSION = re.compile(rf"在\s*([{_CN}]{{2,20}}?)\s*(?:第)?[一二三四五六七八九十]+届(?:人民代表大会|人大)")
_CLEAN_PLACE = re.compile(rf"[{_CN}]+?[省市区县](?=[{_CN}]+?[市区县]|$)")
_CONTRIBUTION = re.compile(rf"作出([{_CN}]{{2,3}}?)(?:新的)?更大贡献")
_DATE = re.compile(YEAR + r"年(\d{1,2})月(\d{1,2})日")
_REVIEW_HEADING = re.compile(rf"^\s*[一二三四五六七八九十]+、\s*{YEAR}年.{{0,12}}(?:回顾|以来)", re.M)
_PLAN_HEADING = re.compile(rf"^\s*[一二三四五六七八九十]+、\s*{YEAR}年(?!.*回顾).{{0,16}}(?:工作|任务|目标|要求)", re.M)
_FIVE_YEAR_PLAN = re.compile(r"(?<![0-9])年是.{0,20}“(十[一二三四五六七八九]五)”规划(收官|开局)之年")
_FILE_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d{2})(?![0-9A-Za-z])")
_ADDRESS = re.compile(r"^\s*各位代表", re.M)  # a work report's address: the title, if any, is above it
_TITLE_NOTE = re.compile(r"[（(][^（）()]{1,20}[)）]$")  # "（试行）", "(2021—2025年)" after a title
_NATIONAL_AUTHORITY = re.compile(r"^(?:国务院|中共中央|中华人民共和国|国家[\u4e00-\u9fff]{1,12}?(?:局|部|委员会|委|署|院))")
_AUTHORITY_END = re.compile(r"人民政府|人大|政协|委员会|办公室|办公厅|[局厅委办署院]")

_L1 = re.compile(r"^\s*([一二三四五六七八九十]{1,3})、\s*(\S.*)$")
_L2 = re.compile(r"^\s*[（(]([一二三四五六七八九十]{1,3})[)）]\s*(\S.*)$")
_L2_KEYWORD = re.compile(r"^\s*关键词\s*(\S.{1,30})$")
_L3 = re.compile(r"^\s*(\d{1,2})[.．、](?!\d)\s*(\S.*)$")
_HEADING_MAX = 40
_SIGNATURE_TAIL = 400  # a signature and its date close a document; scraped page furniture may follow them
_SIGNERS = 4           # joint notices are signed by several authorities, one per line
_CLOSING_DATE = re.compile(YEAR + r"年\d{1,2}月\d{1,2}日$")
_DISPLAY_TITLE_MAX = 60


@dataclass(frozen=True)
class ReportMeta:
    """What is known about one document; None means neither its text nor its file name says."""

    title: str
    headline: str
    region: str | None
    parent_region: str | None
    year: int | None
    year_basis: str | None
    date: str | None
    speaker: str | None
    kind: str | None = None            # 政府工作报告, 通知, 意见, 办法, 公告, 统计公报, 规划…
    region_basis: str | None = None    # how the place was found, when not from the text's own header
    # The year the document as a whole is about: a statistical communiqué published in 2024 reviews the
    # year its title names (2023), a notice "关于做好2025年度…的通告" the year ahead; else its own year.
    period_year: int | None = None


@dataclass(frozen=True)
class Section:
    """A heading and the span of canonical text it governs (up to the next heading of its level or above)."""

    level: int
    title: str
    start: int
    end: int
    path: tuple[str, ...]
    period_year: int | None


@functools.cache
def _kind_rules() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((kind, re.compile(pattern)) for kind, pattern in data_rows("document_kinds.tsv"))


def _title_lines(text: str) -> list[str]:
    """The first lines of a document, and each run of them joined ("政府工作报\\n告" is one title)."""
    lines = [re.sub(r"\s+", "", line) for line in text[:_SPEAKER_HEAD].split("\n") if line.strip()][:_TITLE_LINES]
    lines = lines[:next((i for i, line in enumerate(lines) if _ADDRESS.match(line)), len(lines))]
    joined = ["".join(lines[i:j]) for i in range(len(lines)) for j in range(i + 2, len(lines) + 1)]
    return [_TITLE_NOTE.sub("", line) for line in lines + joined]


def _kind(text: str) -> tuple[str | None, str | None]:
    """(kind, the title line that says it) from the first lines; a work report also by its address."""
    lines = _title_lines(text)
    for kind, pattern in _kind_rules():
        for line in lines:
            if pattern.search(line):
                return kind, line
    head = text[:_SPEAKER_HEAD]
    if WORK_REPORT in head or re.search(r"报告(?:政府)?工作", head) or _ADDRESS.search(head):
        return WORK_REPORT, None
    return None, None


def _known(name: str) -> str | None:
    """`name` as a known place: its own official name, or the province it is a short name of."""
    if is_known_place(name):
        return name
    return official_province(name)


def _region_in(phrase: str) -> tuple[str | None, str | None]:
    """'郑州市惠济区' -> ('惠济区', '郑州市'): known names first, else a phrase made only of 市/区/县 names.

    A province before a city only locates it: "河南省郑州市" is 郑州市's, with no parent given.
    """
    names = known_place_pattern().findall(phrase) or _CLEAN_PLACE.findall(phrase)
    local = [n for n in names if not official_province(n)] or names
    if not local:
        return None, None
    return local[-1], (local[-2] if len(local) > 1 else None)


def _own_level(text: str) -> str | None:
    """Which kind of government speaks: the 全省/全市/全区/全县 it addresses most."""
    counts = {lvl: sum(text.count(p + lvl) for p in ("全", "我", "本")) + text.count(lvl + "委") for lvl in "省市区县"}
    best = max(counts, key=counts.get)
    return best if counts[best] > 0 else None


def _addresses_the_country(text: str) -> bool:
    """A text that speaks of "我国" far more than of any province, city or county of its own."""
    own = text.count("我国")
    local = sum(text.count(p + lvl) for p in ("全", "我", "本") for lvl in "省市区县")
    return own >= 10 and own >= 3 * local


def _place_of_level(name: str, level: str | None) -> str | None:
    """A short name jieba found, at the level of government the text addresses, if that is a known place."""
    province = official_province(name)
    if province and level in ("省", "区"):
        return province
    if level and not province:
        return _known(name if name.endswith(("市", "区", "县")) else name + level)
    return None


def _innermost(line: str, m: re.Match[str]) -> tuple[str, str | None]:
    """The place a run of place names starting at `m` ends with, and the one before it as its parent
    ("盐城市亭湖区人民政府" -> ('亭湖区', '盐城市')): the run names one government, its last place."""
    end = m.end()
    while (nxt := known_place_pattern().match(line, end)) is not None:
        end = nxt.end()
    region, parent = _region_in(line[m.start():end])
    return (region, parent) if region else (m.group(), None)


def _authority_place(text: str) -> tuple[str, str | None] | None:
    """The place of the authority that issues a document, with its parent, from its title lines
    ("德阳市人民政府办公室关于…" -> 德阳市; "国家税务总局南阳市税务局" -> 南阳市; "国务院办公厅…" -> 全国;
    "盐城市亭湖区2024年…统计公报" -> 亭湖区 of 盐城市)."""
    for line in _title_lines(text)[:_TITLE_LINES]:
        for m in known_place_pattern().finditer(line):
            if not official_province(m.group()) or _AUTHORITY_END.search(line, m.end()):
                return _innermost(line, m)
        if _NATIONAL_AUTHORITY.match(line):
            return NATIONAL, None
    return None


def _signature_place(text: str) -> tuple[str, str | None] | None:
    """The place of the authority that signs a document (落款): the short lines right above its closing date
    ("国家税务总局南阳市税务局\n2023年6月20日" -> 南阳市), where a notice names its issuer when its title does not."""
    lines = [re.sub(r"\s+", "", line) for line in text[-_SIGNATURE_TAIL:].split("\n") if line.strip()]
    dated = [i for i, line in enumerate(lines) if _CLOSING_DATE.match(line)]
    if not dated:
        return None
    signers = lines[max(0, dated[-1] - _SIGNERS):dated[-1]]
    for line in reversed(signers):
        if len(line) > _HEADING_MAX or re.search(r"[。，；：:]", line) or not _AUTHORITY_END.search(line):
            break
        if m := known_place_pattern().search(line):
            return _innermost(line, m)
    return None


def _region(text: str, name: str) -> tuple[str | None, str | None, str | None]:
    """(region, parent region, basis): the header first, then what the text addresses, the file name last."""
    head = text[:_HEAD]
    if any(p in text[:_SPEAKER_HEAD] for p in national_phrases("speaker")):
        return NATIONAL, None, None
    if m := _SESSION.search(head):
        region, parent = _region_in(m.group(1))
        if region:
            return region, parent, None
    titles = "|".join(map(re.escape, speaker_titles()))
    if m := re.search(rf"([{_CN}]{{2,12}}?)人民政府(?:{titles})", head):
        region, parent = _region_in(m.group(1))
        if region:
            return region, parent, None
    if found := _signature_place(text) or _authority_place(text):
        return *found, None
    if (m := re.search(rf"([{_CN}]{{2,4}}?市)市长", head)) and is_known_place(m.group(1)):
        return m.group(1), None, None
    if _addresses_the_country(text):
        return NATIONAL, None, "推断：文中通篇以“我国”自称"
    level = _own_level(text)
    if (m := _CONTRIBUTION.search(text)) and (place := _place_of_level(m.group(1), level)):
        return place, None, None
    # The place name (jieba's "ns" tag) the text uses far more often than any other, at the level of
    # government it addresses — and only if that is a real place ("城镇市" is not).
    places = Counter(w.word for w in pseg.cut(text)
                     if w.flag == "ns" and len(w.word) >= 2 and w.word not in not_places())
    ranked = places.most_common(2)
    if level and ranked and ranked[0][1] >= 10 and (len(ranked) == 1 or ranked[0][1] >= 2 * ranked[1][1]):
        if place := _place_of_level(ranked[0][0], level):
            return place, None, None
    return _region_from_file_name(name)


def _region_from_file_name(name: str) -> tuple[str | None, str | None, str | None]:
    """A known place, or the State Council, named in the file name or its folders ("2015_国务院.txt")."""
    stem = for_matching(str(PurePath(name).with_suffix("")))
    if any(p in stem for p in ("国务院", "中央人民政府")):
        return NATIONAL, None, "文件名"
    if m := known_place_pattern().search(stem):
        return m.group(), None, "文件名"
    return None, None, None


def _year(text: str, name: str, title_line: str | None) -> tuple[int | None, str | None, str | None]:
    """(year, basis, date): the header date, the NPC session, the title, the section headings, the
    five-year-plan phrase, and the file name (or a folder of it), which outweighs those inferences
    when they disagree with it."""
    if m := _DATE.search(text[:400]):
        year, month, day = (int(g) for g in m.groups())
        return year, "报告日期", f"{year:04d}-{month:02d}-{day:02d}"
    if year := npc_session_year(text[:_SPEAKER_HEAD]):
        return year, "全国人民代表大会会议届次", None
    if title_line and (m := re.search(YEAR + r"年", title_line)):
        return int(m.group(1)), f"标题“{title_line}”", None
    stated = _file_name_year(name)
    if inferred := _year_from_headings(text):
        year, basis = inferred
        if stated and stated[0] != year:  # the collector's statement outweighs an inference from a heading
            return stated[0], f"{stated[1]}（正文{basis}指向{year}年）", None
        return year, basis, None
    if stated:
        return stated[0], stated[1], None
    return None, None, None


def _year_from_headings(text: str) -> tuple[int, str] | None:
    """The year the section headings or the five-year-plan phrase imply, with how."""
    if m := _PLAN_HEADING.search(text):
        return int(m.group(1)), f"工作安排标题“{m.group(0).strip()}”"
    if m := _REVIEW_HEADING.search(text):
        return int(m.group(1)) + 1, f"回顾上一年的标题“{m.group(0).strip()}”"
    if (m := _FIVE_YEAR_PLAN.search(text[:_HEAD])) and (span := plan_span(m.group(1))):
        year = span[1] if m.group(2) == "收官" else span[0]
        return year, f"推断：文中称当年为“{m.group(1)}”规划{m.group(2)}之年"
    return None


def _file_name_year(name: str) -> tuple[int, str] | None:
    """A year in the file's own name, else in the nearest folder ("2015_国务院.txt", "2024/报告.txt")."""
    for part in reversed(PurePath(name).parts):
        if m := _FILE_YEAR.search(for_matching(part)):
            return int(m.group(1)), f"文件名“{part}”"
    return None


def _speaker(matched: str, text: str) -> str | None:
    """The name after a head-of-government title ("区长 李伟光", "国务院总理\\n李强"), as written."""
    titles = "|".join(map(re.escape, speaker_titles()))
    m = re.search(rf"(?:^|(?<=[\s政府院市区县省州盟旗]))(?:{titles})\s*((?:[{_CN}]\s?){{1,2}}[{_CN}])"
                  rf"(?=\s*$|\s*\n|在|作)", matched[:_SPEAKER_HEAD], re.M)
    return re.sub(r"\s", "", text[m.start(1):m.end(1)]) if m else None


def _display_title(region: str | None, year: int | None, kind: str | None, title_line: str | None) -> str:
    """"惠济区2024年政府工作报告"; another kind says so, with its own title when it has one."""
    place = f"{region or '地区未知'}{f'{year}年' if year else '（年份未知）'}"
    if kind == WORK_REPORT:
        return place + WORK_REPORT
    label = place + (kind or "文件")
    if title_line and len(title_line) <= _DISPLAY_TITLE_MAX:
        return f"{label}：{title_line}"
    return label


def _title_year(title_line: str | None) -> int | None:
    """The one year a title names ("绵阳市2023年国民经济和社会发展统计公报" -> 2023); None for none or several."""
    years = set(years_named(title_line or ""))
    return years.pop() if len(years) == 1 else None


def describe_report(name: str, text: str) -> ReportMeta:
    """Read kind, region, year, date, speaker and a display title out of a document's canonical text;
    `name` is its file name, possibly with folders ("2024/报告.txt"), used only when the text is silent."""
    matched = for_matching(text)
    headline = next((line.strip() for line in text.split("\n") if line.strip()), name)
    kind, title_line = _kind(matched)
    region, parent, region_basis = _region(matched, name)
    year, basis, date = _year(matched, name, title_line)
    return ReportMeta(title=_display_title(region, year, kind, title_line),
                      period_year=(_title_year(title_line) if kind != WORK_REPORT else None) or year,
                      headline=re.sub(r"\s+", "", headline) if len(headline) < 20 else headline,
                      region=region, parent_region=parent, year=year, year_basis=basis, date=date,
                      speaker=_speaker(matched, text), kind=kind, region_basis=region_basis)


def _heading(line: str) -> tuple[int, str] | None:
    for level, pattern in ((1, _L1), (2, _L2), (2, _L2_KEYWORD), (3, _L3)):
        if m := pattern.match(line):
            title = line.strip()
            cut = re.search(r"[。；;]", title)
            title = title[: cut.start()] if cut else title
            if len(title) <= _HEADING_MAX or level == 1:
                return level, title[:_HEADING_MAX]
    return None


@functools.cache
def _review_cues() -> tuple[str, ...]:
    return tuple(row[0] for row in data_rows("review_headings.txt"))


def _unnamed_period(title: str, report_year: int | None) -> int | None:
    """The year a top-level heading that names none is about: the year before the report's for a review
    of the past ("一、过去一年工作回顾"), else the report's own."""
    if report_year is not None and any(cue in title for cue in _review_cues()):
        return report_year - 1
    return report_year


def find_sections(text: str, report_year: int | None) -> list[Section]:
    """The headings of the report (一、 / （一） / 1.) as spans of the canonical text, in order.

    A top-level section's `period_year` is the year it is about: the year its heading names
    (a review of 2023 is about 2023; "一、１９９１年国内工作的回顾" of 1991), the year before the
    report's for a review that names none ("一、过去一年工作回顾"), else the report's year.

    Example:
        >>> [s.period_year for s in find_sections("一、过去一年工作回顾\\n甲。\\n二、今年工作安排\\n乙。", 2025)]
        [2024, 2025]
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
            years = re.findall(YEAR + "年", for_matching(title))
            period = int(years[0]) if years else _unnamed_period(title, report_year)
        sections.append(Section(level=level, title=title, start=start, end=end,
                                path=tuple(t for _, t in stack), period_year=period))
    return sections
