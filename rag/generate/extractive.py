"""The extractive generator: answers with the report's own sentences, each cited.

Every sentence of the retrieved passages is scored (0..1) on
  - coverage: how much of the question's content (its terms, weighted by length) the
    sentence and its section heading contain;
  - figure: whether it carries the kind of figure asked for ("多少人" → a figure in 人,
    "比重" → a percentage);
  - year: whether its passage is about the year asked for;
  - rank: how high its passage was retrieved.
The best sentence answers; more sentences join while they cover what is still missing
(the second half of a two-part question, the other side of a comparison). The figures
that answer the question lead the answer, in bold, followed by the sentences that state them.

Example:
    >>> draft = ExtractiveGenerator(AnswerSettings()).generate("郑州2020年金融业增加值多少？", constraints, passages)
    >>> draft.text
    '**1302.9亿元**[1]\\n\\n金融业增加值完成1302.9亿元、增长4.1%、占GDP比重10.9%[1]'
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from rag.constraints import QueryConstraints
from rag.generate.base import Draft
from rag.numbers import Figure, asks_for_number, expected_units, find_figures, unit_matches
from rag.retrieve import RetrievedPassage, about_year
from rag.settings import AnswerSettings
from vectorstore.lexical import tokenize

_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]*")
_LONG_SENTENCE = 160
_CLAUSE = re.compile(r"[^，,；;。！？!?\n]+[，,；;。！？!?]*")


@dataclass(frozen=True)
class Candidate:
    """A sentence of a passage: its place in the canonical text and its score."""

    passage: int          # 1-based number of the passage in the list given
    start: int
    end: int
    text: str
    score: float
    covered: frozenset[str]
    figures: tuple[Figure, ...]


def _sentences(passage: RetrievedPassage) -> list[tuple[int, int, str]]:
    """Sentences of a passage as (start, end, text) in canonical offsets; long ones cut into clause groups."""
    chunk = passage.chunk
    out = []
    for m in _SENTENCE.finditer(chunk.text):
        text = m.group().strip()
        if len(text) < 4:
            continue
        start = chunk.start + m.start() + (len(m.group()) - len(m.group().lstrip()))
        if len(text) <= _LONG_SENTENCE:
            out.append((start, start + len(text), text))
            continue
        # A very long sentence: windows of consecutive clauses, about 80 characters each.
        clauses = [(start + c.start(), start + c.end()) for c in _CLAUSE.finditer(text)]
        i = 0
        while i < len(clauses):
            j = i
            while j + 1 < len(clauses) and clauses[j + 1][1] - clauses[i][0] <= 80:
                j += 1
            a, b = clauses[i][0], clauses[j][1]
            out.append((a, b, chunk.text[a - chunk.start:b - chunk.start]))
            i = j + 1
    return out


def _question_terms(question: str, constraints: QueryConstraints) -> dict[str, float]:
    """Content terms of the question, weighted by length; places and years are matched elsewhere."""
    drop = {str(y) for y in constraints.years} | {"年"}
    for region in constraints.regions:
        drop |= {region, region[:-1]}
    terms = {t: float(min(len(t), 4)) for t in tokenize(question) if t not in drop}
    # Search-mode tokens overlap ("金融", "金融业", "金融业增加值"): keep the longest, not all.
    return {t: w for t, w in terms.items() if not any(t != o and t in o for o in terms)}


class ExtractiveGenerator:
    """Offline answers built from the passages' own sentences."""

    def __init__(self, settings: AnswerSettings) -> None:
        self.settings = settings

    def candidates(self, question: str, constraints: QueryConstraints,
                   passages: list[RetrievedPassage]) -> list[Candidate]:
        """Every sentence of the first passages, scored, best first."""
        terms = _question_terms(question, constraints)
        total = sum(terms.values()) or 1.0
        units = expected_units(question)
        wants_number = asks_for_number(question)
        out = []
        for number, passage in enumerate(passages[: self.settings.passages_considered], 1):
            chunk = passage.chunk
            year_ok = not constraints.years or chunk.period_year is None and chunk.year is None or any(
                about_year(chunk, y) for y in constraints.years)
            for start, end, text in _sentences(passage):
                covered = frozenset(t for t in terms if t in text)
                in_context = frozenset(t for t in terms if t in chunk.section or t in chunk.title) - covered
                coverage = (sum(terms[t] for t in covered) + 0.5 * sum(terms[t] for t in in_context)) / total
                figures = tuple(find_figures(text))
                if units:
                    figure = 1.0 if any(unit_matches(f, u) for f in figures for u in units) else 0.0
                elif wants_number:
                    figure = 1.0 if figures else 0.0
                else:
                    figure = 1.0
                rank = 1.0 / number
                score = 0.6 * coverage + 0.2 * figure + 0.12 * (1.0 if year_ok else 0.0) + 0.08 * rank
                out.append(Candidate(number, start, end, text, score, covered, figures))
        return sorted(out, key=lambda c: -c.score)

    def generate(self, question: str, constraints: QueryConstraints,
                 passages: list[RetrievedPassage]) -> Draft:
        """The answer: the best sentences with their [n], led by the figures asked for; '' when nothing is good enough."""
        ranked = self.candidates(question, constraints, passages)
        threshold = self.settings.min_sentence_score
        if not ranked or ranked[0].score < threshold:
            return Draft(text="", quotes={})
        chosen = [ranked[0]]
        covered = set(ranked[0].covered)
        regions_seen = {passages[ranked[0].passage - 1].chunk.region}
        for cand in ranked[1:]:
            if len(chosen) >= self.settings.max_sentences or cand.score < max(threshold, 0.75 * ranked[0].score):
                break
            region = passages[cand.passage - 1].chunk.region
            adds_terms = bool(cand.covered - covered)
            adds_side = len(constraints.regions) > 1 and region not in regions_seen
            if (adds_terms or adds_side) and not any(c.start < cand.end and cand.start < c.end for c in chosen):
                chosen.append(cand)
                covered |= cand.covered
                regions_seen.add(region)
        chosen.sort(key=lambda c: (c.passage, c.start))
        quotes = {c.passage: (c.start, c.end) for c in chosen}
        lead = _lead_figures(question, _question_terms(question, constraints), chosen)
        body = "\n".join(f"{c.text}[{c.passage}]" for c in chosen)
        return Draft(text=f"{lead}\n\n{body}" if lead else body, quotes=quotes)


def _lead_figures(question: str, terms: dict[str, float], chosen: list[Candidate]) -> str:
    """The figures that answer the question, bold, each with its passage number.

    A figure answers when it carries an asked unit and sits right after a question term
    ("增加值完成1302.9亿元") or right before one ("56个老旧小区").
    """
    units = expected_units(question)
    if not units:
        return ""
    picked: list[tuple[int, int, str]] = []
    for order, cand in enumerate(chosen):
        wanted = [f for f in cand.figures if any(unit_matches(f, u) for u in units)]
        for term in terms:
            for m in re.finditer(re.escape(term), cand.text):
                after = [f for f in wanted if 0 <= f.start - m.end() <= 12]
                before = [f for f in wanted if 0 <= m.start() - f.end <= 2]
                near = min(after, key=lambda f: f.start - m.end(), default=None) or (before[-1] if before else None)
                if near:
                    picked.append((order, near.start, f"**{near.text}**[{cand.passage}]"))
    if not picked:
        for unit in units:
            for order, cand in enumerate(chosen):
                match = next((f for f in cand.figures if unit_matches(f, unit)), None)
                if match:
                    picked.append((order, match.start, f"**{match.text}**[{cand.passage}]"))
                    break
    return "、".join(dict.fromkeys(item for _, _, item in sorted(picked)))
