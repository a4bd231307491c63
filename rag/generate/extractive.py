"""The extractive generator: answers with the report's own sentences, each cited.

Every sentence of the retrieved passages is scored (0..1) on
  - coverage: how much of the question's content (its terms, weighted by length) the
    sentence contains, its section heading counting half;
  - figure: whether it carries the kind of figure asked for ("多少人" → a figure in 人 next
    to a question term, "比重" → a percentage), or the name asked for (rag/generate/name_reader.py:
    "第几届", "哪位院士", "叫什么"), or for a list, an enumeration of as many items as asked
    (rag/generate/list_reader.py: "以项目建设、产业孵化、经济普查“三项工作”为切口");
  - reading: whether it is the plan or the result the question asks about;
  - rank: how high its passage was retrieved.
Hard rules come first: a sentence must name the indicator the question names (under any of
its names, and not only as the base of a share), its passage must be about the year asked for
when its report's year is known, and for one year it must not sum up a five-year period. The
best sentence answers; for a comparison, the best sentence of each side (place, year, plan or
result) does; more sentences join while they cover what is still missing. For a list, and for a
question about neither a figure nor a name ("如何…", "需要什么材料"), the answer reads on: the
whole enumeration (rag/generate/list_reader.py) or what a heading heads
(rag/generate/heading_reader.py), each item cited. The figures or the name that answer lead the
answer, in bold, each cited.

Example:
    >>> draft = ExtractiveGenerator(AnswerSettings()).generate("郑州2020年金融业增加值多少？", constraints, passages)
    >>> draft.text.splitlines()[0]
    '**1302.9亿元**[1]'
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from rag.constraints import QueryConstraints
from rag.domain import time_limit_patterns
from rag.generate.base import Draft, ReportReader
from rag.generate.heading_reader import heading_body
from rag.generate.list_reader import enumeration_size, items_asked, list_fit, list_items
from rag.generate.name_reader import NameAsk, editions_named, name_asked, named_span
from rag.numbers import (Figure, find_figures, is_calendar_year, is_change, lost_digits, unit_matches,
                         without_share_bases)
from rag.question import PLAN_CUES, Facet, QuestionProfile, indicator_variants, mentions, profile_question
from rag.retrieve import RetrievedPassage, about_year
from rag.sentences import TextSpan
from rag.years import plan_years, year_forms
from rag.settings import AnswerSettings
from vectorstore.normalize import for_matching
from vectorstore.records import StoredChunk

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*")
_LONG_SENTENCE = 200
_WINDOW = 120
# A line that is only a personal name, spaced out or not ("李\u3000强", "\u3000李克强").
_NAME_LINE = re.compile(r"\s*[\u4e00-\u9fff](?:\s?[\u4e00-\u9fff]){1,3}\s*")
_SPACES = re.compile(r"\s+")
_CLAUSE = re.compile(r"[^，,；;。！？!?\n]+[，,；;。！？!?]*")
# A paragraph that sums up a five-year plan period ("五年来，…进出口总额近2万亿元"): its figures are
# not one year's, whatever year its section reviews.
_PLAN_PERIOD = r"五年来|过去五年|“?十[一二三四五六]五”?(?:以来|时期|期间)"
_SPAN_PARAGRAPH = re.compile(rf"\s*(?:{_PLAN_PERIOD})")
_SPAN_SENTENCE = re.compile(rf"{_PLAN_PERIOD}|五年累计|年均增长")
_PERIOD_OPENING = 16  # a paragraph says which period it sums up in its first words
# An official's title followed by a name: "市长王新伟在", "区长 李伟光".
_PERSON_TITLE = re.compile(r"(市长|区长|县长|省长|书记)\s*[\u4e00-\u9fff](\s?[\u4e00-\u9fff]){1,2}(?=在|作|同志|，|,|\s|$)")


# list_fit of a sentence that enumerates (0.8 and up) and how close to the best it must score to lead.
_ENUMERATES = 0.8
_NEARLY_AS_GOOD = 0.85


@dataclass(frozen=True)
class Candidate:
    """A sentence of a passage: its place in the canonical text, what it covers and its score."""

    passage: int          # 1-based number of the passage in the list given
    start: int
    end: int
    text: str
    score: float
    covered: frozenset[str]
    figures: tuple[Figure, ...]
    region: str | None
    years: frozenset[int]
    mode: str
    fit: float = 1.0      # whether it carries the kind of answer asked for (see _figure_fit)


def _sentences(passage: RetrievedPassage) -> list[tuple[int, int, str]]:
    """Sentences of a passage as (start, end, text) in canonical offsets; very long ones as clause windows.

    A line holding only a name stays with the line before it: a speaker is set as "国务院总理\n李　强".
    """
    chunk = passage.chunk
    out: list[tuple[int, int, str]] = []
    for m in _SENTENCE.finditer(chunk.text):
        gap = chunk.text[out[-1][1] - chunk.start:m.start()] if out else ""
        if out and _NAME_LINE.fullmatch(m.group()) and "\n" in gap and not gap.strip():
            start = out[-1][0]
            end = chunk.start + m.start() + len(m.group().rstrip())
            out[-1] = (start, end, chunk.text[start - chunk.start:end - chunk.start])
            continue
        text = m.group().strip()
        if len(text) < 4:
            continue
        start = chunk.start + m.start() + (len(m.group()) - len(m.group().lstrip()))
        if len(text) <= _LONG_SENTENCE:
            out.append((start, start + len(text), text))
            continue
        clauses = [(start + c.start(), start + c.end()) for c in _CLAUSE.finditer(text)]
        i = 0
        while i < len(clauses):
            j = i
            while j + 1 < len(clauses) and clauses[j + 1][1] - clauses[i][0] <= _WINDOW:
                j += 1
            a, b = clauses[i][0], clauses[j][1]
            out.append((a, b, chunk.text[a - chunk.start:b - chunk.start]))
            i = j + 1
    return out


def _in_span_paragraph(chunk: StoredChunk, start: int) -> bool:
    """Whether the sentence at canonical offset `start` lies in a paragraph summing up a plan period
    (judged only where the paragraph starts inside the passage)."""
    opening = chunk.text.rfind("\n", 0, start - chunk.start)
    return opening >= 0 and bool(_SPAN_PARAGRAPH.match(chunk.text, opening + 1))


def _other_period(chunk: StoredChunk, start: int, text: str, years: tuple[int, ...]) -> bool:
    """Whether the sentence at canonical offset `start`, or the paragraph it belongs to by its opening
    ("“十三五”时期，…"), is about a five-year plan period that holds none of `years`."""
    opening = chunk.text[chunk.text.rfind("\n", 0, start - chunk.start) + 1:][:_PERIOD_OPENING]
    named = {y for _, first, last in plan_years(f"{opening}\n{text}") for y in range(first, last + 1)}
    return bool(named) and not named & set(years)


def _reading(passage: RetrievedPassage, text: str) -> str:
    """'actual' for a review of a past year, 'plan' for the year ahead (by section, else by wording)."""
    chunk = passage.chunk
    if chunk.year is not None and chunk.period_year is not None:
        return "actual" if chunk.period_year < chunk.year else "plan"
    return "plan" if PLAN_CUES.search(text) or chunk.year is None else "actual"


def _figure_fit(profile: QuestionProfile, text: str, figures: tuple[Figure, ...], covered: frozenset[str],
                ask: NameAsk | None = None) -> float:
    """1 when the sentence carries the kind of answer asked for next to a question term, partly otherwise."""
    if ask:
        if named_span(ask, text):
            return 1.0
        if ask.kind == "edition":
            return 0.0  # "第几届" is answered only by a sentence that writes the edition
        if ask.kind != "person":
            return 0.8  # the sentence may still state the name in a way not read as one
    if profile.wants_person or (ask and ask.kind == "person"):
        return 1.0 if _PERSON_TITLE.search(text) else 0.0
    if profile.wants_time_limit and not profile.units:
        # A sentence that states no limit may still answer ("当场办结"): it only ranks below one that does.
        return 1.0 if time_limit_patterns()[1].search(text) else 0.5
    if profile.units:
        fitting = [f for f in figures if any(unit_matches(f, u) for u in profile.units)]
        if not fitting:
            return 0.0
        near = any(0 <= f.start - (m.end()) <= 14 or 0 <= m.start() - f.end <= 2
                   for f in fitting for t in covered for v in indicator_variants(t)
                   for m in re.finditer(re.escape(v), text))
        return 1.0 if near else 0.6
    if profile.wants_number:
        # "浓度是多少" asks for a level: "浓度下降12.1%" does not give it.
        return 1.0 if any(profile.asks_change or not is_change(f, text) for f in figures) else 0.0
    return 1.0


class ExtractiveGenerator:
    """Offline answers built from the passages' own sentences."""

    def __init__(self, settings: AnswerSettings, reader: ReportReader | None = None) -> None:
        self.settings = settings
        self.reader = reader

    def candidates(self, profile: QuestionProfile, constraints: QueryConstraints,
                   passages: list[RetrievedPassage], ask: NameAsk | None = None,
                   editions: tuple[str, ...] = (), alternatives: tuple[str, ...] = ()) -> list[Candidate]:
        """Every admissible sentence of the first passages, scored, best first (`ask`: the name asked for;
        `editions`: the editions the question names, which the passage must write; `alternatives`: the
        items a list question enumerates itself, "哪些航天、深潜成就", any of which is its topic too)."""
        terms = profile.terms
        total = sum(terms.values()) or 1.0
        # The kind a name is asked by ("哪处遗产") need not be written beside the name ("…沙山湖泊群申遗成功"):
        # a question about nothing else asks no topic of the sentence.
        kind_only = ask and ask.noun and all(t in ask.noun for t in profile.topics)
        topics = () if kind_only else profile.topics
        out = []
        for number, passage in enumerate(passages[: self.settings.passages_considered], 1):
            chunk = passage.chunk
            if not all(e in chunk.text for e in editions):
                continue  # "第六届全国人大期间" is not answered by a passage of the twelfth
            # "2016年政府工作报告里提到…": any passage of that year's report is about what was asked.
            if constraints.years and chunk.year is not None and chunk.year not in constraints.report_years \
                    and not any(about_year(chunk, y) for y in constraints.years):
                continue
            years = frozenset(y for y in constraints.years if about_year(chunk, y))
            context = for_matching(f"{chunk.section}{chunk.title}")
            for start, end, text in _sentences(passage):
                matched = for_matching(text)  # "重工業" is matched as "重工业"; the text shown stays as written
                subject = without_share_bases(matched)  # "…占GDP比重10.9%" is not about GDP
                if profile.indicators and not all(mentions(subject, i) or mentions(context, i) for i in profile.indicators):
                    continue
                over_span = _in_span_paragraph(chunk, start) or bool(_SPAN_SENTENCE.search(text))
                # "…2020年全市生产总值完成…", "到一九八五年，粮食产量达到八千亿斤"
                names_year = any(form in text for y in constraints.years for form in year_forms(y))
                # "2018年报告说…" asks what that report says, its five-year review included.
                of_report = chunk.year is not None and chunk.year in constraints.report_years
                if constraints.years and not profile.spans_years and over_span and not names_year and not of_report:
                    continue
                if constraints.years and _other_period(chunk, start, text, constraints.years):
                    continue  # "“十三五”时期，…200万亩" does not answer a question about 十四五
                # A list's items need not repeat its topic: "成功举办北京奥运会、上海世博会" under the heading
                # "“十一五”时期…的回顾". A figure must name what it is about in its own sentence.
                topic_text = f"{matched}{context}" if profile.list_size is not None else matched
                if topics and not any(mentions(topic_text, t) for t in (*topics, *alternatives)):
                    continue  # about something else: "30个示范园" does not answer "多少个5G基站"
                mode = _reading(passage, text)
                if profile.strict_mode and mode != profile.mode:
                    continue
                covered = frozenset(t for t in terms if mentions(matched, t))
                in_context = frozenset(t for t in terms if t in context) - covered
                coverage = (sum(terms[t] for t in covered) + 0.5 * sum(terms[t] for t in in_context)) / total
                figures = tuple(f for f in find_figures(text) if not lost_digits(f) and not is_calendar_year(f))
                figure = _figure_fit(profile, text, figures, covered, ask)
                if profile.list_size is not None:  # a list is answered by a sentence that enumerates
                    figure = list_fit(profile.list_size,
                                      enumeration_size(chunk.text, TextSpan(start, end, text), chunk.start))
                reading = 1.0 if profile.mode is None or profile.mode == mode else 0.0
                # Ties of overlap go to the passage first in the fused order and in meaning (the dense search's order).
                score = 0.55 * coverage + 0.25 * figure + 0.1 * reading + 0.05 / number \
                    + 0.05 / (passage.dense_rank or number)
                if profile.spans_years and over_span:
                    score += 0.1  # "“十三五”期间…多少": the five-year sum, not the last year's figure
                out.append(Candidate(number, start, end, text, score, covered, figures, chunk.region, years, mode,
                                     figure))
        return sorted(out, key=lambda c: -c.score)

    def generate(self, question: str, constraints: QueryConstraints, passages: list[RetrievedPassage],
                 on_token: Callable[[str], None] | None = None) -> Draft:
        """The answer: the best sentences with their [n], led by the figures asked for; '' when nothing is good enough.

        It is composed at once, so `on_token` receives the whole text in one piece.
        """
        draft = self._compose(question, constraints, passages)
        if on_token and draft.text:
            on_token(draft.text)
        return draft

    def _compose(self, question: str, constraints: QueryConstraints, passages: list[RetrievedPassage]) -> Draft:
        profile = profile_question(question, constraints)
        ask = name_asked(question) if profile.list_size is None else None
        alternatives = items_asked(question) if profile.list_size is not None else ()
        ranked = self.candidates(profile, constraints, passages, ask, editions_named(question), alternatives)
        threshold = self.settings.min_sentence_score
        # Only a sentence with the kind of answer asked for (a figure in 人, a person…) can lead.
        ranked = [c for c in ranked if c.fit > 0] + [c for c in ranked if c.fit == 0]
        if profile.list_size is not None:
            ranked = _enumerating_first(ranked)
        if not ranked or ranked[0].score < threshold or ranked[0].fit == 0:
            return Draft(text="", quotes={})
        chosen = self._choose(profile, ranked, threshold)
        best = chosen[0]
        extra: list[RetrievedPassage] = []
        # A list, or what a question about no figure and no name is answered by: read on from the best
        # sentence (for a list), from every sentence chosen (for the rest: "怎么罚" is answered further on).
        if profile.list_size is not None or not (profile.units or profile.wants_number or profile.wants_person or ask):
            items: list[Candidate] = []
            for head in chosen if profile.list_size is None else chosen[:1]:
                if not any(_overlaps(head, i) for i in items):
                    read, extra = self._read_on(profile, head, passages, extra)
                    items += [i for i in read if not any(_overlaps(i, o) for o in items)]
            # A sentence the list holds is shown as its items (a clause window of it would repeat them).
            chosen = [c for c in chosen if not any(_overlaps(c, i) for i in items)] + items
        # Reading order: by report (in the order first cited), then by place in the report.
        docs = [*passages, *extra]
        first = {}
        for c in sorted(chosen, key=lambda c: c.passage):
            first.setdefault(docs[c.passage - 1].chunk.doc, c.passage)
        chosen = sorted(dict.fromkeys(chosen), key=lambda c: (first[docs[c.passage - 1].chunk.doc], c.start))
        quotes: dict[int, tuple[int, int]] = {}
        for c in chosen:
            a, b = quotes.get(c.passage, (c.start, c.end))
            quotes[c.passage] = (min(a, c.start), max(b, c.end))
        leads = (_lead_name(ask, best), _lead_figures(profile, chosen),
                 _comparison(profile, chosen, [*passages, *extra]))
        lead = "\n".join(x for x in leads if x)
        body = "\n".join(f"{c.text}[{c.passage}]" for c in chosen)
        return Draft(text=f"{lead}\n\n{body}" if lead else body, quotes=quotes, extra=tuple(extra))

    def _choose(self, profile: QuestionProfile, ranked: list[Candidate], threshold: float) -> list[Candidate]:
        """The best sentence, or the best of each facet; then sentences that add what is missing."""
        if profile.facets:
            chosen = [best for facet in profile.facets
                      if (best := next((c for c in ranked if _fits(c, facet)), None)) and best.score >= 0.8 * threshold]
            if chosen:
                return list(dict.fromkeys(chosen))
        chosen = [ranked[0]]
        covered = set(ranked[0].covered)
        for cand in ranked[1:]:
            if len(chosen) >= self.settings.max_sentences or cand.score < max(threshold, 0.8 * ranked[0].score):
                break
            if cand.fit > 0 and cand.covered - covered and not any(_overlaps(c, cand) for c in chosen):
                chosen.append(cand)
                covered |= cand.covered
        return chosen

    def _read_on(self, profile: QuestionProfile, head: Candidate, passages: list[RetrievedPassage],
                 extra: list[RetrievedPassage]) -> tuple[list[Candidate], list[RetrievedPassage]]:
        """What follows the head sentence and answers with it, and any passages read on for it.

        The enumeration the head sentence opens or belongs to, read to its end across the passages
        that follow it in the report (rag/generate/list_reader.py), and, when the head is a heading
        ("（一）落实各单位主体责任。", "第十五条 …"), the sentences it heads (rag/generate/heading_reader.py):
        the first of the two for a list question, the second for any other. For "哪四条…", when the
        enumeration is not the number of items asked: the following sentences that open alike
        ("空中丝绸之路…", "陆上丝绸之路…"), or, when the report has exactly as many top-level sections
        as items asked for, their headings; for "哪些" answered by a sentence that lists nothing, the
        next that does.
        """
        size = profile.list_size or 0
        head_chunk = [*passages, *extra][head.passage - 1].chunk
        if self.reader:
            known = {p.chunk.chunk_id for p in [*passages, *extra]}
            extra = [*extra, *(RetrievedPassage(c, 0.0) for c in self.reader.following(head_chunk, 2)
                               if c.chunk_id not in known)]
        numbered = {p.chunk.chunk_id: n for n, p in enumerate([*passages, *extra], 1)}
        window = _contiguous(head_chunk, [p.chunk for p in [*passages, *extra]])
        text, offset = _joined(window)
        head_span = TextSpan(head.start, head.end, head.text)
        # A list question wants the sibling items of a heading; any other, what the heading heads.
        readers = (list_items, heading_body) if profile.list_size is not None else (heading_body, list_items)
        spans = next((found for read in readers if (found := read(text, head_span, offset))), [])
        items = [_plain(numbered[chunk.chunk_id], RetrievedPassage(chunk, 0.0), a, b, t)
                 for span in spans for chunk, a, b, t in _by_chunk(span, window)]
        # Every passage read is returned, used or not: the items' passage numbers count them all.
        if spans and (not size or len(spans) == size):
            return items, extra
        if not size:
            listed = _enumeration_after(head, passages) if profile.list_size == 0 else []
            return items or listed, extra
        if len(re.findall(r"[、，,]", head.text)) >= size - 1:
            return [], extra  # the list is written out in the sentence itself
        later = []
        for p in [*passages, *extra]:
            if p.chunk.doc == head_chunk.doc and p.chunk.start >= head_chunk.start:
                n = numbered[p.chunk.chunk_id]
                later += [_plain(n, p, a, b, t) for a, b, t in _sentences(p) if a >= head.end]
        later = [c for c in sorted(later, key=lambda c: c.start) if c.start - head.end < 3000]
        alike = _alike(later, size)
        if len(alike) < size and self.reader:
            headings = self.reader.top_sections(head_chunk.doc)
            if len(headings) == size:
                alike, extra = [], [*extra]
                for heading, chunk in headings:
                    if chunk.chunk_id not in numbered:
                        extra.append(RetrievedPassage(chunk, 0.0))
                        numbered[chunk.chunk_id] = len(passages) + len(extra)
                    alike.append(_plain(numbered[chunk.chunk_id], RetrievedPassage(chunk, 0.0), chunk.start,
                                        chunk.start + len(heading), heading))
        return alike or items or later[:size], extra


def _enumerating_first(ranked: list[Candidate]) -> list[Candidate]:
    """For a list question: the best sentence that enumerates leads when it scores nearly as well as the
    best one, which enumerates nothing ("重工業需要的資金比較多…" below "即冶金工業、燃料工業…")."""
    if not ranked or ranked[0].fit >= _ENUMERATES:
        return ranked
    lister = next((c for c in ranked if c.fit >= _ENUMERATES), None)
    if lister is None or lister.score < _NEARLY_AS_GOOD * ranked[0].score:
        return ranked
    return [lister, *(c for c in ranked if c is not lister)]


def _contiguous(head: StoredChunk, chunks: list[StoredChunk]) -> list[StoredChunk]:
    """The passages of the head's report that run on from each other around it, in order."""
    mine = sorted({c.chunk_id: c for c in chunks if c.doc == head.doc}.values(), key=lambda c: c.start)
    at = next(i for i, c in enumerate(mine) if c.chunk_id == head.chunk_id)
    first = last = at
    while first > 0 and _adjacent(mine[first - 1], mine[first]):
        first -= 1
    while last + 1 < len(mine) and _adjacent(mine[last], mine[last + 1]):
        last += 1
    return mine[first:last + 1]


def _adjacent(before: StoredChunk, after: StoredChunk) -> bool:
    # Passages are cut at sentence ends; only white space may lie between two that follow each other.
    return 0 <= after.start - before.end <= 2


def _joined(chunks: list[StoredChunk]) -> tuple[str, int]:
    """The text of passages that follow each other, as one stretch of canonical text, and its offset.

    The white space between two passages is read as a line break: it never joins two paragraphs.
    """
    text = chunks[0].text
    for before, after in zip(chunks, chunks[1:]):
        text += "\n" * (after.start - before.end) + after.text
    return text, chunks[0].start


def _by_chunk(span: TextSpan, chunks: list[StoredChunk]) -> list[tuple[StoredChunk, int, int, str]]:
    """A list item cut at passage ends, so each piece is cited by the passage that holds it."""
    out = []
    for chunk in chunks:
        a, b = max(span.start, chunk.start), min(span.end, chunk.end)
        if a >= b:
            continue
        piece = chunk.text[a - chunk.start:b - chunk.start]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append((chunk, a + lead, a + lead + len(piece.strip()), piece.strip()))
    return out


def _plain(number: int, passage: RetrievedPassage, start: int, end: int, text: str) -> Candidate:
    """A sentence read for a list: cited, but not scored against the question."""
    return Candidate(number, start, end, text, 0.0, frozenset(), tuple(find_figures(text)),
                     passage.chunk.region, frozenset(), "plan")


def _alike(sentences: list[Candidate], size: int) -> list[Candidate]:
    """The largest group (2..size) of sentences whose openings share a phrase ("空中丝绸之路…", "陆上丝绸之路…"), in order."""
    best: list[Candidate] = []
    for n in range(6, 1, -1):  # longer shared phrases first, so they win ties
        groups: dict[str, list[Candidate]] = {}
        for cand in sentences:
            opening = _item_opening(cand.text)
            for key in {opening[i:i + n] for i in range(len(opening) - n + 1)}:
                groups.setdefault(key, []).append(cand)
        for group in groups.values():
            if 2 <= len(group) <= size and len(group) > len(best):
                best = group
    return best


def _item_opening(text: str) -> str:
    """The first characters of a list item, after a lead-in ("“五强”，即：创新强，…" -> "创新强，…")."""
    lead = max(text.rfind("：", 0, 12), text.rfind(":", 0, 12))
    return text[lead + 1:lead + 11]


def _enumeration_after(head: Candidate, passages: list[RetrievedPassage]) -> list[Candidate]:
    """For "哪些/哪几个" answered by a sentence that lists nothing ("深度融入郑州都市圈建设。"): the
    next sentence of its passage that does ("以交通同网、产业同链、…为目标"), if one of the next two."""
    if head.text.count("、") >= 2:
        return []
    passage = passages[head.passage - 1]
    following = [(a, b, t) for a, b, t in _sentences(passage) if a >= head.end][:2]
    return [_plain(head.passage, passage, a, b, t) for a, b, t in following if t.count("、") >= 2][:1]


def _fits(cand: Candidate, facet: Facet) -> bool:
    return ((facet.region is None or cand.region == facet.region)
            and (facet.year is None or facet.year in cand.years)
            and (facet.mode is None or cand.mode == facet.mode))


def _overlaps(a: Candidate, b: Candidate) -> bool:
    return a.passage == b.passage and a.start < b.end and b.start < a.end


def _answer_figures(profile: QuestionProfile, cand: Candidate) -> list[Figure]:
    """The figures of a sentence that answer the question, in order.

    A figure answers when it carries an asked unit and sits right after a question term
    ("增加值完成1302.9亿元") or right before one ("56个老旧小区").
    """
    # The most specific terms first: "地区生产总值" places its figure, "增长" alone would place every one.
    specific = [t for t in cand.covered if t in profile.indicators or len(t) >= 3]
    found: list[Figure] = []
    for unit in profile.units:
        wanted = [f for f in cand.figures if unit_matches(f, unit)]
        anchors = [a for a in profile.anchors.get(unit, ()) if a in cand.text]
        # "地区生产总值增长7%左右,固定资产投资增长8%": the anchor written right after the indicator first.
        named = [f"{t}{a}" for t in specific for a in anchors]
        for terms, either_side in ((named, False), (anchors, False), (specific, True), (list(cand.covered), True)):
            near = _nearest(terms, wanted, cand.text, either_side)
            if near:
                found += [f for f in near if f not in found]
                break
    return sorted(found, key=lambda f: f.start)


def _nearest(terms: list[str], figures: list[Figure], text: str, either_side: bool = True) -> list[Figure]:
    """For each place a term (or another name of it) is written, the figure closest to it:
    up to 14 characters after it, or (when `either_side`) right before it."""
    found: list[Figure] = []
    for term in (v for t in terms for v in indicator_variants(t)):
        for m in re.finditer(re.escape(term), text):
            after = [(f.start - m.end(), i, f) for i, f in enumerate(figures) if 0 <= f.start - m.end() <= 14]
            before = [(m.start() - f.end, -i, f) for i, f in enumerate(figures)
                      if either_side and 0 <= m.start() - f.end <= 2]
            if after or before:
                near = min(after + before)[2]
                if near not in found:
                    found.append(near)
    return found


def _lead_name(ask: NameAsk | None, best: Candidate) -> str:
    """The name asked for, bold and cited, as the best sentence writes it ("**第八届进博会**[1]")."""
    span = named_span(ask, best.text) if ask else None
    # A name set across a line break or spaced out ("总理\n李　强") is shown as one word.
    return f"**{_SPACES.sub('', span.text)}**[{best.passage}]" if span else ""


def _lead_figures(profile: QuestionProfile, chosen: list[Candidate]) -> str:
    """The figures that answer the question, bold, each with its passage number."""
    if not profile.units:
        return ""
    return "、".join(dict.fromkeys(f"**{f.text}**[{c.passage}]" for c in chosen for f in _answer_figures(profile, c)))


def _comparison(profile: QuestionProfile, chosen: list[Candidate], passages: list[RetrievedPassage]) -> str:
    """For "哪个最高": each side's figure, cited, and which is highest or lowest — only when every side has one.

    A side is named by its place, and by its year only where the cited passage writes that
    year: every number of the answer must stand in a passage it cites.
    """
    if not profile.superlative or not profile.facets or not profile.units:
        return ""
    sides: list[tuple[str, Figure, int]] = []
    # Compare in the unit every side has, the one asked last first ("民生支出占比" compares %).
    for unit in reversed(profile.units):
        sides = []
        for cand in chosen:
            figures = [f for f in _answer_figures(profile, cand) if unit_matches(f, unit)]
            if figures:
                text = passages[cand.passage - 1].chunk.text
                year = next((f"{y}年" for y in sorted(cand.years) if f"{y}年" in text), "")
                sides.append((f"{cand.region or ''}{year}", figures[0], cand.passage))
        if len(sides) >= max(2, len(profile.facets)):
            break
    else:
        return ""
    value = {id(f): float(f.value.rstrip("%").replace(",", "")) for _, f, _ in sides}
    pick = max if profile.superlative[-1] in "高多大" else min
    label, figure, _ = pick(sides, key=lambda s: value[id(s[1])])
    listed = "、".join(f"{name}{f.text}[{n}]" for name, f, n in sides)
    return f"比较：{listed}，{label}{profile.superlative}。"
