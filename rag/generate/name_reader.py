"""Names: what a who / which / which-edition / what-is-it-called question asks for, and the span of a
sentence that gives it.

A question names the kind of thing it wants after its question word ("哪位院士", "哪处遗产", "第几届进博会")
and says what that thing did ("获得了…", "申遗成功"). The answer is the name a sentence writes for it:
the edition with its event ("第八届进博会"), a person with the title written beside the name ("李德仁院士",
"市长王新伟"), the proper-noun phrase right before the kind or before what it did ("巴丹吉林沙漠—沙山湖泊群"
申遗成功), or a quoted name ("“金水十条”"). Words are told apart by jieba's parts of speech, not by lists.

Example:
    >>> named_span(name_asked("上海2025年要办好的是第几届进博会？"), "精心办好第八届进博会，放大溢出效应。").text
    '第八届进博会'
    >>> named_span(name_asked("湖北2024年哪位院士获得了国家最高科学技术奖？"), "李德仁院士获国家最高科学技术奖。").text
    '李德仁院士'
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import jieba.posseg as pseg

from rag.gazetteer import honorifics, speaker_titles
from rag.sentences import TextSpan
from vectorstore.normalize import for_matching

# "第几届进博会", "第几批": the edition of an event.
_EDITION_ASKED = re.compile(r"第几(届|次|批|期)")
_EDITION = re.compile(r"第[〇零一二三四五六七八九十百千\d]+(?:届|次|批|期)")
# "哪位院士", "哪处遗产", "哪一家企业": the measure word says one thing is asked for ("哪些" asks for a list).
_EVENT = re.compile(r"[^，,。；;、：:\s的和与及]{1,12}")
_WHICH = re.compile(r"哪一?(位|个|家|处|座|所|条|项|部|支|种|名|款|场|间|块|片|号)")
_WHO = re.compile(r"是谁|谁(?=作|做|获|担任|主持|提出)")
_CALLED = re.compile(r"叫什么|什么名|名称是什么|简称是什么|简称叫|称为什么|称作什么|命名为什么")
# "哪个最高" compares places: a comparison, not a name.
_COMPARES = re.compile(r"哪一?[个家年][^，,。？?]{0,8}[最更]")
_QUOTED = re.compile(r"“([^“”]{2,24})”|《([^《》]{2,30})》")
# Parts of speech a name is made of: nouns of every kind, abbreviations, letters, "国家级"-like words.
_NAME_FLAGS = ("n", "eng", "j", "b")
_JOINERS = "—-–·•"
_PROPER_FLAGS = ("nr", "ns", "nt", "nz", "nrt", "nrfg", "eng")
# A personal name right after a title: two or three characters, spaced out in some layouts ("魏 东"),
# followed by what ends a name ("在", "作", "同志", punctuation or the end).
_NAME_AFTER_TITLE = re.compile(r"\s*[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,2}(?=在|作|同志|[，,。；;、\s]|$)")
# A clause subject that can be a personal name: two to four characters, nothing else.
_SUBJECT_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}")
_NOT_AFTER = {"了", "的", "被", "是", "在", "把", "将", "已", "已经", "曾", "都", "也"}
_MAX_NAME = 24


@dataclass(frozen=True)
class NameAsk:
    """What a question wants named: its kind, the noun it writes for it, and the word after that noun."""

    kind: str         # "edition", "person", "which" or "called"
    noun: str = ""    # "进博会", "院士", "遗产"; "" when the question writes none
    after: str = ""   # the first word the question writes after the noun ("获得", "申遗")


@dataclass(frozen=True)
class _Token:
    start: int
    end: int
    word: str
    flag: str


def _tokens(text: str) -> list[_Token]:
    out, pos = [], 0
    for w in pseg.cut(text):
        out.append(_Token(pos, pos + len(w.word), w.word, w.flag))
        pos += len(w.word)
    return out


def _name_like(token: _Token) -> bool:
    return token.flag.startswith(_NAME_FLAGS) or (token.word in _JOINERS and token.flag == "x")


def _noun_and_after(tokens: list[_Token], start: int) -> tuple[str, str]:
    """The noun phrase a question writes at `start` and the first word after it."""
    i = next((k for k, t in enumerate(tokens) if t.start >= start), len(tokens))
    noun_end = i
    while noun_end < len(tokens) and tokens[noun_end].flag.startswith(("n", "vn", "eng", "j")):
        noun_end += 1
    noun = "".join(t.word for t in tokens[i:noun_end])
    after = next((t.word for t in tokens[noun_end:] if t.word not in _NOT_AFTER and t.flag != "x"), "")
    return noun, after


def name_asked(question: str) -> NameAsk | None:
    """What `question` wants named, or None when it asks for no name (a figure, a list, a comparison).

    Example:
        >>> name_asked("内蒙古2024年哪处遗产申遗成功了？")
        NameAsk(kind='which', noun='遗产', after='申遗')
    """
    if _COMPARES.search(question) or re.search(r"哪些|哪几", question):
        return None
    tokens = _tokens(question)
    if m := _EDITION_ASKED.search(question):
        return NameAsk("edition", *_noun_and_after(tokens, m.end()))
    if m := _WHICH.search(question):
        noun, after = _noun_and_after(tokens, m.end())
        return NameAsk("person" if m.group(1) in "位名" else "which", noun, after)
    if _WHO.search(question):
        return NameAsk("person")
    if m := _CALLED.search(question):
        # "惠企政策简称是什么": the thing named is the noun phrase written before.
        before = [t for t in tokens if t.end <= m.start()]
        while before and not before[-1].flag.startswith(("n", "vn", "j", "eng")):
            before.pop()
        noun = ""
        while before and before[-1].flag.startswith(("n", "vn", "j", "eng")):
            noun = before.pop().word + noun
        return NameAsk("called", noun)
    return None


def editions_named(question: str) -> tuple[str, ...]:
    """The editions a question names ("第六届全国人大期间…" -> 第六届): a passage that writes none of them is
    about another session or event.

    Example:
        >>> editions_named("第六届全国人大期间，国务院是在哪位总理主持下工作的？"), editions_named("第几届进博会？")
        (('第六届',), ())
    """
    return tuple(dict.fromkeys(_EDITION.findall(question)))


def _run_before(tokens: list[_Token], end: int) -> int:
    """Where the name-like words that end at character `end` begin (`end` when none do)."""
    i = next((k for k, t in enumerate(tokens) if t.end > end), len(tokens)) - 1
    start = end
    while i >= 0 and tokens[i].end <= end and _name_like(tokens[i]) and end - tokens[i].start <= _MAX_NAME:
        start = tokens[i].start
        i -= 1
    return start


def _person_after(sentence: str, end: int) -> int:
    """The end of a personal name written right after a title ending at `end` ("市长王新伟在", "区长 魏 东"),
    else `end`."""
    m = _NAME_AFTER_TITLE.match(sentence, end)
    return m.end() if m else end


def _titled_person(sentence: str, tokens: list[_Token], by_honorific: bool) -> tuple[int, int] | None:
    """A head of government's title and the name after it ("市长王新伟"), or, `by_honorific`, a personal
    name before an honorific ("刘少奇同志": 刘少奇), where the sentence writes one."""
    titles = "|".join(map(re.escape, speaker_titles()))
    for m in re.finditer(titles, sentence):
        if (end := _person_after(sentence, m.end())) > m.end():
            return m.start(), end
    for m in re.finditer("|".join(map(re.escape, honorifics())), sentence) if by_honorific else ():
        name = next((t for t in tokens if t.end == m.start() and t.flag.startswith("nr") and len(t.word) >= 2), None)
        if name:
            return name.start, name.end
    return None


def _span(sentence: str, start: int, end: int) -> TextSpan | None:
    text = sentence[start:end].strip(_JOINERS)
    return TextSpan(start, start + len(text), text) if text else None


def named_span(ask: NameAsk, sentence: str) -> TextSpan | None:
    """The span of `sentence` that gives the name asked for, or None when it gives none.

    The sentence is read in its plain form (traditional characters as simplified, see
    vectorstore/normalize.py); the span is given as the sentence writes it ("劉少奇").

    Example:
        >>> named_span(name_asked("关于宪法草案的报告是谁作的？"), "聽了劉少奇同志關於憲法草案的報告").text
        '劉少奇'
    """
    found = _named_span(ask, for_matching(sentence))  # same length: offsets hold
    return TextSpan(found.start, found.end, sentence[found.start:found.end]) if found else None


def _named_span(ask: NameAsk, sentence: str) -> TextSpan | None:
    if ask.kind == "edition":
        m = _EDITION.search(sentence)
        if not m:
            return None
        end = m.end()
        if ask.noun and (at := sentence.find(ask.noun, end, end + 4 + len(ask.noun))) >= 0:
            return _span(sentence, m.start(), at + len(ask.noun))
        # The event named after the edition, up to the clause's end: "第九届亚冬会，" -> 第九届亚冬会.
        event = _EVENT.match(sentence, end)
        return _span(sentence, m.start(), event.end() if event else end)
    tokens = _tokens(sentence)
    if ask.noun:
        spans = [span for at in _occurrences(sentence, ask.noun) if (span := _named_at(ask, sentence, tokens, at))]
        # A proper name ("孙庄村") before a common phrase that ends alike ("和美乡村").
        proper = [span for span in spans if _has_proper_noun(tokens, span)]
        if proper or spans:
            return (proper or spans)[0]
    # What the named thing did ("申遗"): the name is the phrase right before it. One character
    # ("作") is written everywhere; a person is named by a personal name.
    if len(ask.after) >= 2 and (at := sentence.find(ask.after)) > 0:
        start = _run_before(tokens, at)
        span = _span(sentence, start, at) if start < at else None
        if span and (ask.kind != "person" or _has_personal_name(tokens, span)):
            return span
        if ask.kind == "person" and (subject := _clause_subject(sentence, tokens, at)):
            return subject
    if ask.kind == "person":
        # "哪位市长" asks for one with that title: "习近平同志" in the sentence is not the one.
        titled = _titled_person(sentence, tokens, by_honorific=not ask.noun)
        return _span(sentence, *titled) if titled else None
    if ask.kind == "called" or not ask.noun:
        quoted = [m for m in _QUOTED.finditer(sentence)]
        if not quoted:
            return None
        # The quoted name nearest the thing it names ("出台“金水十条”惠企政策").
        near = [abs(m.start() - at) for m in quoted for at in _occurrences(sentence, ask.noun)] if ask.noun else []
        best = min(quoted, key=lambda m: min(abs(m.start() - at) for at in _occurrences(sentence, ask.noun))
                   if near else m.start())
        return _span(sentence, best.start(), best.end())
    return None


def _clause_subject(sentence: str, tokens: list[_Token], at: int) -> TextSpan | None:
    """The subject of the clause whose verb stands at `at`, when it is short enough to be a personal name
    jieba does not know ("，屠呦呦获得…": 屠呦呦), and no pronoun ("我们获得…")."""
    start = max(sentence.rfind(mark, 0, at) for mark in "，,、；;：:。") + 1
    subject = _SUBJECT_NAME.fullmatch(sentence, start, at)
    if not subject or any(t.flag.startswith("r") for t in tokens if start <= t.start < at):
        return None
    return _span(sentence, start, at)


def _occurrences(sentence: str, word: str) -> list[int]:
    return [m.start() for m in re.finditer(re.escape(word), sentence)] if word else []


def _named_at(ask: NameAsk, sentence: str, tokens: list[_Token], at: int) -> TextSpan | None:
    """The name written with the kind asked for at `at`: "李德仁院士", "市长王新伟", "孙庄村"."""
    noun_end = at + len(ask.noun)
    if ask.kind == "person" and (name_end := _person_after(sentence, noun_end)) > noun_end:
        return _span(sentence, at, name_end)
    # "孙庄村" is one word: the kind written at the end of a name starts its run at the word's start.
    inside = next((t for t in tokens if t.start < at < t.end and _name_like(t)), None)
    start = _run_before(tokens, inside.start if inside else at)
    if start >= at:
        return None
    span = _span(sentence, start, noun_end)
    # A person is named by a personal name, not by the office ("金水区人民政府区长").
    if span and ask.kind == "person" and not _has_personal_name(tokens, span):
        return None
    return span


def _has_personal_name(tokens: list[_Token], span: TextSpan) -> bool:
    return any(t.flag.startswith("nr") for t in _within(tokens, span))


def _within(tokens: list[_Token], span: TextSpan) -> list[_Token]:
    return [t for t in tokens if span.start <= t.start and t.end <= span.end]


def _has_proper_noun(tokens: list[_Token], span: TextSpan) -> bool:
    return any(t.flag in _PROPER_FLAGS and len(t.word) >= 2 for t in _within(tokens, span))  # "美"/ns is noise
