"""Lists: an enumeration read to its end, from the sentence that opens it or from one of its items.

The reports write lists in three shapes, read here by their structure, not by their words:
  - a run of clauses joined by "；" and closed by "。" (a targets paragraph: "经济增长6%左右；城镇新增就业
    1200万人以上；…。"): every clause of the run, whichever of them was found;
  - a heading sentence and the run right after it ("突出“五个更加注重”。即：更加注重…；更加注重…。",
    "主要任务如下：\\n（一）…；\\n（二）…。");
  - ordinals ("一是…。二是…。三是…", "第一，…第二，…"): each ordinal's sentence, while the count goes on.

Example:
    >>> text = "主要预期目标是：经济增长6%左右；城镇新增就业70万人以上；居民消费价格涨幅2%左右。其他。"
    >>> [i.text for i in list_items(text, TextSpan(18, 31, "城镇新增就业70万人以上；"))]
    ['主要预期目标是：经济增长6%左右；', '城镇新增就业70万人以上；', '居民消费价格涨幅2%左右。']
"""
from __future__ import annotations

import re

import jieba.posseg as pseg

from rag.sentences import TextSpan, clauses, sentences

# Items beyond this are not read: a list is an answer, not a chapter.
MAX_ITEMS = 20
# How far after the heading sentence its first ordinal may stand, and one ordinal after another.
_ORDINAL_REACH = 80
_ORDINAL_GAP = 1500
_CN = "一二三四五六七八九十"
# "一是" / "第一，" / "（一）" / "1." opening an item; not "统一是" (a character before it) nor "1.5" (a digit after).
_ORDINAL = re.compile(rf"(?<![\u4e00-\u9fff\d])(?:([{_CN}]{{1,3}})是|第([{_CN}]{{1,3}})[，,、：:]|[（(]([{_CN}]{{1,3}})[）)]"
                      rf"|(?<![.．])(\d{{1,2}})[.．、](?!\d))")
# A heading's own numbers: "四、", "第五条", "第二章".
_HEADING_NUMBER = re.compile(rf"[{_CN}]{{1,3}}、|第[{_CN}\d]{{1,4}}[条章节款]")
_RUN_JOINS = ("；", ";")
# A heading sentence announces what follows: it ends with a colon, or the next run opens with "即".
_ANNOUNCES = re.compile(r"[：:]$")
_OPENS_WITH_NAMELY = re.compile(r"^即[：:，,]?")
# Parallel clauses: each opens with a subject (jieba's nouns and names of every kind, abbreviations,
# letters) and is short; three make a list.
_SUBJECT_FLAGS = ("n", "j", "eng")
_PARALLEL_CLAUSE = 14
_PARALLEL_MIN = 3


def opens_with_ordinal(text: str) -> bool:
    """Whether `text` opens with an item or heading number ("一是", "（二）", "3.", "第五条", "四、").

    Example:
        >>> opens_with_ordinal("第十五条 市财政局…"), opens_with_ordinal("统一是关键")
        (True, False)
    """
    return bool(_ORDINAL.match(text) or _HEADING_NUMBER.match(text))


def _count(word: str) -> int:
    """一 … 九十九 as a number."""
    if word == "十":
        return 10
    if word.startswith("十"):
        return 10 + _CN.index(word[1]) + 1
    tens = _CN.index(word[0]) + 1
    if len(word) == 1:
        return tens
    return tens * 10 + (_CN.index(word[2]) + 1 if len(word) == 3 else 0)


def _runs(text: str, offset: int) -> list[list[TextSpan]]:
    """The sentences of `text` grouped into runs: a sentence ending in "；" runs on into the next."""
    runs: list[list[TextSpan]] = []
    for piece in sentences(text, offset):
        if runs and runs[-1][-1].text.endswith(_RUN_JOINS):
            runs[-1].append(piece)
        else:
            runs.append([piece])
    return runs


def _ordinal_marks(text: str, offset: int) -> list[tuple[int, int, int]]:
    """(canonical start, value, style) of every ordinal of `text`; the style tells "一是" from "（一）" from "1."."""
    marks = []
    for m in _ORDINAL.finditer(text):
        style = next(i for i, g in enumerate(m.groups()) if g)
        word = m.group(style + 1)
        marks.append((m.start() + offset, int(word) if word.isdigit() else _count(word), style))
    return marks


def _ordinal_items(text: str, head: TextSpan, offset: int) -> list[TextSpan]:
    """The items of the ordinal sequence ("一是…二是…") that holds the head or opens right after it.

    A sequence counts up in one style; another "一" of that style starts a new one.
    """
    marks = _ordinal_marks(text, offset)
    for i, (start, value, style) in enumerate(marks):
        if value != 1:
            continue
        sequence = [start]
        for later, later_value, later_style in marks[i + 1:]:
            if later_style != style:
                continue
            if later_value != len(sequence) + 1 or later - sequence[-1] > _ORDINAL_GAP:
                break
            sequence.append(later)
        if len(sequence) < 2:
            continue
        items = [_sentence_at(text, offset, s) for s in sequence[:MAX_ITEMS]]
        # The first ordinal may open right after the head or inside it ("要坚决做到“五个必须”:一是…。").
        opens_from_head = head.start <= items[0].start and items[0].start - head.end <= _ORDINAL_REACH
        if opens_from_head or any(i.start <= head.start < i.end for i in items):
            return items
    return []


def _sentence_at(text: str, offset: int, start: int) -> TextSpan:
    """The stretch from canonical `start` to the end of its sentence ("。", not "；") or line."""
    rest = text[start - offset:]
    stop = re.search(r"[。！？!?]+[”’」』）)]*|\n", rest)
    body = rest[:stop.end() if stop else len(rest)].rstrip()
    return TextSpan(start, start + len(body), body)


def inline_items(sentence: str) -> int:
    """How many items the longest "、" enumeration of one clause of `sentence` names (0 when none does).

    A list is often written inside one clause: "以项目建设、产业孵化、经济普查“三项工作”为切口".

    Example:
        >>> inline_items("培育生物制造、量子科技、具身智能、6G等未来产业，推动发展。")
        4
    """
    counts = [c.text.count("、") + 1 for c in clauses(sentence) if "、" in c.text]
    return max(counts, default=0)


def parallel_items(sentence: str) -> int:
    """How many items a run of parallel clauses of `sentence` names (0 when it has none): three or more
    short clauses in a row, each opening with its own subject, a name or a noun ("神舟十号遨游太空，
    嫦娥三号成功登月，蛟龙深潜再创纪录"). Clauses that go on from one subject ("从容应对挑战，奋力
    攻坚克难") open with a verb or an adverb and list nothing.

    Example:
        >>> parallel_items("神舟十号遨游太空，嫦娥三号成功登月，蛟龙深潜再创纪录。")
        3
        >>> parallel_items("我们从容应对挑战，奋力攻坚克难，圆满实现全年目标。")
        0
    """
    best = run = 0
    for clause in clauses(sentence):
        body = clause.text.rstrip("，,。；;！？!?：:”’」』）)")
        first = next(iter(pseg.cut(body)), None) if body else None
        subject_led = first is not None and first.flag.startswith(_SUBJECT_FLAGS) and len(body) <= _PARALLEL_CLAUSE
        run = run + 1 if subject_led else 0
        best = max(best, run)
    return best if best >= _PARALLEL_MIN else 0


def items_asked(question: str) -> tuple[str, ...]:
    """The words a list question enumerates itself ("哪些航天、深潜成就" -> 航天, 深潜): a sentence about
    any one of them is about what was asked.

    Example:
        >>> items_asked("提到了哪些航天、深潜成就？"), items_asked("有哪些成就？")
        (('航天', '深潜'), ())
    """
    words = [w for w in pseg.cut(question)]
    found = [w.word for i, w in enumerate(words) if len(w.word) >= 2 and w.flag != "x"
             and any(0 <= j < len(words) and words[j].word == "、" for j in (i - 1, i + 1))]
    return tuple(dict.fromkeys(found))


def enumeration_size(text: str, head: TextSpan, offset: int = 0) -> int:
    """How many items the enumeration `head` opens or belongs to names: its items read to their end
    (see `list_items`), else the items it writes inline (see `inline_items`) or as parallel clauses
    (see `parallel_items`); 0 when it lists nothing.

    Example:
        >>> enumeration_size("做到“两个必须”:一是必须讲政治。二是必须抓落实。", TextSpan(0, 18, "做到“两个必须”:一是必须讲政治。"))
        2
    """
    return max(len(list_items(text, head, offset)), inline_items(head.text), parallel_items(head.text))


def list_fit(size: int, found: int) -> float:
    """How well a sentence whose enumeration names `found` items answers a list question asking for
    `size` items (0: "哪些", any number): 1 for the number asked, less for another list, least for none.

    For "哪些" the longer enumeration is the fuller answer.

    Example:
        >>> list_fit(5, 5), list_fit(5, 3), list_fit(0, 4), list_fit(0, 2), list_fit(3, 0)
        (1.0, 0.8, 1.0, 0.8, 0.6)
    """
    if found < 2:
        return 0.6
    if size:
        return 1.0 if found == size else 0.8
    return min(1.0, 0.6 + 0.1 * found)


def list_items(text: str, head: TextSpan, offset: int = 0) -> list[TextSpan]:
    """The items of the enumeration `head` opens or belongs to, in order; [] when it is in none.

    `text` is a stretch of canonical text starting at `offset`; `head` is a sentence of it in canonical
    offsets. The head itself is among the items only when it is one of them (a clause of the run).
    """
    ordinal = _ordinal_items(text, head, offset)
    if ordinal:
        return ordinal
    runs = _runs(text, offset)
    at = next((i for i, run in enumerate(runs) if run[0].start <= head.start < run[-1].end), None)
    if at is None:
        return []
    if len(runs[at]) >= 2:
        return runs[at][:MAX_ITEMS]
    if at + 1 < len(runs) and len(runs[at + 1]) >= 2:
        following = runs[at + 1]
        namely = _OPENS_WITH_NAMELY.match(following[0].text)
        if namely or _ANNOUNCES.search(runs[at][-1].text):
            first = following[0]
            lead = namely.end() if namely else 0  # "即：更加注重…；" is read as "更加注重…；"
            return [TextSpan(first.start + lead, first.end, first.text[lead:]), *following[1:MAX_ITEMS]]
    return []
