"""Retrieve: dense (Chroma) and lexical (BM25) candidates, fused by weighted reciprocal rank.

The places and years a question names narrow and rank the search: only the named places'
reports are searched (each place on its own when a question compares several), and a
passage about the asked year (its section's year, or the year written in it) is boosted —
the same indicator for the plan year and the review year often sit a few passages apart.

Both searches run in memory over a snapshot of the library read from the store at refresh:
the passages, their vectors (dense: exact cosine, one matrix product) and the BM25 index. A
Chroma query restricted to hundreds of reports took ~80 ms at 20,000 passages, the product takes
~2 ms. The snapshot itself (passages, vectors, BM25 index) is cached beside an on-disk store
(`cache/library/`, :mod:`vectorstore.library_cache`) for the committed reports it was built from,
so a start does not read the whole library back from Chroma; when the library changed, the BM25
tokens of each report still come from `cache/lexical/` (keyed by the tokenizer's dictionary
fingerprint), so only new reports go through jieba (15 s at 20,000 passages).

Example:
    >>> retriever = HybridRetriever(store, embedder, RetrievalSettings())
    >>> passages = retriever.retrieve("郑州2020年金融业增加值多少？")
    >>> passages[0].chunk.doc
    '003_18bb18e33f05a5d4.txt'
"""
from __future__ import annotations

import bisect
import hashlib
import json
import os
import re
import shutil
import tempfile
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

import numpy as np

from rag.constraints import Library, QueryConstraints, parse_constraints
from rag.describe import WORK_REPORT
from rag.facts import FactIndex
from rag.gazetteer import area_kinds
from rag.question import plan_or_actual, with_synonyms
from rag.settings import RetrievalSettings
from rag.years import plan_years, year_forms, years_named
from vectorstore.chroma_store import ChromaStore, release_freed_memory
from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex, add_words, dictionary_fingerprint, tokenize
from vectorstore.library_cache import (CachedLibrary, collector_paused, library_fingerprint, load_library,
                                       save_library)
from vectorstore.records import StoredChunk, StoredDocument


@dataclass(frozen=True)
class RetrievedPassage:
    """A passage with its fused score and the ranks it had in each list (None: not a candidate)."""

    chunk: StoredChunk
    score: float
    dense_rank: int | None = None
    lexical_rank: int | None = None


@dataclass(frozen=True)
class SearchFilters:
    """Restrictions a user sets in the app: only these regions, years or report names."""

    regions: tuple[str, ...] = ()
    years: tuple[int, ...] = ()
    docs: tuple[str, ...] = ()

    def admits(self, doc: StoredDocument) -> bool:
        """Whether a report passes every filter that is set."""
        return ((not self.regions or doc.region in self.regions)
                and (not self.years or doc.year in self.years)
                and (not self.docs or doc.name in self.docs))


@dataclass
class _Snapshot:
    """The library as last read from the store: documents, chunks and the lexical index."""

    documents: list[StoredDocument] = field(default_factory=list)
    chunks: list[StoredChunk] = field(default_factory=list)
    by_id: dict[str, int] = field(default_factory=dict)
    # Row i of `vectors` is chunk i's vector; `doc_index[i]` its report's position in `doc_pos`.
    vectors: np.ndarray = field(default_factory=lambda: np.zeros((0, 0), dtype=np.float32))
    doc_pos: dict[str, int] = field(default_factory=dict)
    doc_index: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))
    lexical: LexicalIndex = field(default_factory=lambda: LexicalIndex.build([]))
    passage_lexical: LexicalIndex = field(default_factory=lambda: LexicalIndex.build([]))  # without headers
    # Per report name: the lines that may be its title or signature (`_owner_lines`), read once per library.
    owner_lines: dict[str, list[str]] = field(default_factory=dict)
    library: Library = field(default_factory=lambda: Library({}, {}))
    facts: FactIndex = field(default_factory=lambda: FactIndex([], np.zeros((0, 0), dtype=np.float32)))
    # Per report name: the start offsets of its chunks and their rows, in reading order.
    starts: dict[str, tuple[list[int], list[int]]] = field(default_factory=dict)
    periods: dict[str, frozenset[int]] = field(default_factory=dict)  # doc_id -> the years its sections are about
    # Every passage's text joined by NULs, and where each ends in it: one C-speed find per word instead of a
    # Python-level test of each passage (85 → 30 ms at 200,000 passages).
    joined_text: str = ""
    text_ends: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    def naming(self, words: Sequence[str]) -> np.ndarray:
        """Boolean mask over the chunks: those whose text holds one of `words`."""
        mask = np.zeros(len(self.chunks), dtype=bool)
        for word in filter(None, words):
            at = self.joined_text.find(word)
            while at >= 0:
                row = int(np.searchsorted(self.text_ends, at, side="right"))
                mask[row] = True
                at = self.joined_text.find(word, int(self.text_ends[row]))  # on from the next passage
        return mask

    def allowed(self, doc_ids: Sequence[str]) -> np.ndarray:
        """Boolean mask over the chunks: those of the reports `doc_ids`."""
        wanted = np.zeros(len(self.doc_pos), dtype=bool)
        wanted[[self.doc_pos[d] for d in doc_ids if d in self.doc_pos]] = True
        return wanted[self.doc_index]


def joined_texts(chunks: Sequence[StoredChunk]) -> dict[str, Any]:
    """The snapshot's `joined_text` and `text_ends` for `chunks`.

    Example:
        >>> joined_texts([StoredChunk("a", "d", "r", 0, 0, 2, "江苏", "", "", "")])["joined_text"]
        '江苏'
    """
    return {"joined_text": "\0".join(c.text for c in chunks),
            "text_ends": np.cumsum([len(c.text) + 1 for c in chunks], dtype=np.int64)}


def _cached_tokens(chunks: Sequence[StoredChunk], cache_dir: Path | None) -> list[list[str]]:
    """`tokenize(chunk.indexed_text)` for every chunk, per report from `cache_dir` when it holds them.

    The cache is one JSON file per report under a folder named by the dictionary fingerprint; a
    file is used only if it was written for the very same passages (a digest of their ids and
    texts), so it can never give other tokens than tokenizing again would. Folders of other
    fingerprints and files of reports no longer in the library are removed. An unwritable cache
    is no error: the tokens are then just computed.
    """
    if cache_dir is None:
        return [tokenize(c.indexed_text) for c in chunks]
    root = cache_dir / "lexical"
    folder = root / dictionary_fingerprint()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in root.iterdir():
            if stale != folder:
                shutil.rmtree(stale, ignore_errors=True)
    except OSError:
        return [tokenize(c.indexed_text) for c in chunks]
    out: list[list[str]] = []
    kept: set[str] = set()
    for doc_id, group in groupby(chunks, key=lambda c: c.doc_id):
        group = list(group)
        digest = hashlib.sha256("\0".join(f"{c.chunk_id}\0{c.indexed_text}" for c in group).encode()).hexdigest()
        path = folder / f"{doc_id}.json"
        kept.add(path.name)
        tokens = None
        try:
            cached = json.loads(path.read_text(encoding="utf-8"))
            if cached.get("digest") == digest:
                tokens = cached["tokens"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass
        if tokens is None:
            tokens = [tokenize(c.indexed_text) for c in group]
            try:  # write beside, then rename: a reader never sees half a file
                fd, tmp = tempfile.mkstemp(dir=folder, suffix=".tmp")
                with os.fdopen(fd, "w", encoding="utf-8") as f:
                    json.dump({"digest": digest, "tokens": tokens}, f, ensure_ascii=False)
                os.replace(tmp, path)
            except OSError:
                pass
        out += tokens
    for path in folder.glob("*.json"):
        if path.name not in kept:
            path.unlink(missing_ok=True)
    return out


def _passage_index(chunks: Sequence[StoredChunk], tokens: Sequence[list[str]]) -> LexicalIndex:
    """BM25 over the passages' own text, without their context headers.

    Within one document every passage carries the same header, so its title's words match them all and
    the header index cannot tell which passage answers; plain passages can. A passage's tokens are its
    indexed tokens after its header's: jieba splits at the line break between them.
    """
    header_tokens: dict[str, int] = {}
    items = []
    for chunk, indexed in zip(chunks, tokens):
        if chunk.header not in header_tokens:
            header_tokens[chunk.header] = len(tokenize(chunk.header))
        items.append((chunk.chunk_id, indexed[header_tokens[chunk.header]:]))
    return LexicalIndex.from_tokens(items)


def _periods(chunks: Sequence[StoredChunk]) -> dict[str, frozenset[int]]:
    years: dict[str, set[int]] = {}
    for chunk in chunks:
        if chunk.period_year is not None:
            years.setdefault(chunk.doc_id, set()).add(chunk.period_year)
    return {doc_id: frozenset(ys) for doc_id, ys in years.items()}


def _read_library(store: ChromaStore, documents: Sequence[StoredDocument]) -> CachedLibrary:
    """The passages and vectors of `documents` as the store holds them, their BM25 index, and their facts."""
    committed = {d.doc_id for d in documents}
    chunks, vectors = store.chunks_and_vectors()
    known = [i for i, c in enumerate(chunks) if c.doc_id in committed]
    if len(known) < len(chunks):  # a report committed between the two reads: seen at the next refresh
        chunks, vectors = [chunks[i] for i in known], vectors[known]
    facts, fact_vectors = store.facts_and_vectors()
    kept = [i for i, f in enumerate(facts) if f.doc_id in committed]
    if len(kept) < len(facts):
        facts, fact_vectors = [facts[i] for i in kept], fact_vectors[kept] if len(fact_vectors) else fact_vectors
    tokens = _cached_tokens(chunks, store.cache_dir)
    return CachedLibrary(chunks, vectors, LexicalIndex.from_tokens(zip((c.chunk_id for c in chunks), tokens)),
                         _passage_index(chunks, tokens), facts, fact_vectors)


def _complete(chunks: Sequence[StoredChunk], documents: Sequence[StoredDocument]) -> bool:
    """Whether `chunks` hold every passage of every one of `documents` (no report removed or added between reads)."""
    counts: dict[str, int] = {}
    for chunk in chunks:
        counts[chunk.doc_id] = counts.get(chunk.doc_id, 0) + 1
    return counts == {d.doc_id: d.n_chunks for d in documents}


# A document's title lines and its signature (落款) stand in its first and last characters, as lines
# short and without a sentence's punctuation (a work report's closing words are sentences, no signature).
_OWNER_SPAN = 200
_OWNER_LINE_MAX = 40
_SENTENCE_MARK = re.compile(r"[。，；,;]")


def _owner_lines(text: str) -> list[str]:
    """The lines of `text` that may be a title or a signature: short, and no sentence."""
    return [line for line in (x.strip() for x in text.split("\n"))
            if line and len(line) <= _OWNER_LINE_MAX and not _SENTENCE_MARK.search(line)]


def _area_parts(place: str) -> tuple[str, str] | None:
    """A place written as a city and a kind of area ("某某高新区" -> ("某某", "高新区")), else None.

    Example:
        >>> _area_parts("某某高新区"), _area_parts("某某区")
        (('某某', '高新区'), None)
    """
    for kind in area_kinds():
        if place.endswith(kind) and len(place) - len(kind) >= 2:
            return place[: -len(kind)], kind
    return None


def _fingerprint(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def about_year(chunk: StoredChunk, year: int) -> bool:
    """Whether a passage is about `year`: its section's year, or the year written in it, in any of the ways
    the reports write it ("1986年", "１９８６年", "一九八六年", "一九八○年").

    >>> about_year(StoredChunk("c", "d", "d", 0, 0, 9, "钢产量一九八六年达到５２０５万吨", "", "", ""), 1986)
    True
    """
    return chunk.period_year == year or any(form in chunk.text for form in year_forms(year))



class HybridRetriever:
    """Dense + lexical retrieval over the store, narrowed and ranked by the question's places and years."""

    def __init__(self, store: ChromaStore, embedder: Embedder, settings: RetrievalSettings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self._lock = threading.Lock()
        self._snapshot = _Snapshot()
        self.refresh()

    def refresh(self) -> None:
        """Re-read the library from the store and rebuild the lexical index (after ingest or removal).

        From the on-disk cache beside the store when it was built from the same committed reports.
        """
        with collector_paused():
            self._refresh()

    def _refresh(self) -> None:
        documents = self.store.documents()
        add_words(r for d in documents for r in (d.region, d.parent_region, d.region and d.region[:-1]) if r)
        cache_dir = self.store.cache_dir
        fingerprint = library_fingerprint(documents, dictionary_fingerprint())
        cached = load_library(cache_dir, fingerprint) if cache_dir is not None else None
        if cached is None:
            cached = _read_library(self.store, documents)
            if cache_dir is not None and _complete(cached.chunks, documents):
                save_library(cache_dir, fingerprint, cached)
        doc_pos = {d.doc_id: i for i, d in enumerate(documents)}
        starts: dict[str, tuple[list[int], list[int]]] = {}
        for row, chunk in enumerate(cached.chunks):
            offsets, rows = starts.setdefault(chunk.doc, ([], []))
            offsets.append(chunk.start)
            rows.append(row)
        snapshot = _Snapshot(
            documents=documents,
            chunks=cached.chunks,
            by_id={c.chunk_id: i for i, c in enumerate(cached.chunks)},
            vectors=cached.vectors,
            doc_pos=doc_pos,
            doc_index=np.array([doc_pos[c.doc_id] for c in cached.chunks], dtype=np.int64),
            lexical=cached.lexical,
            passage_lexical=cached.passage_lexical,
            library=Library.from_documents(documents),
            facts=FactIndex(cached.facts, cached.fact_vectors, self.embedder.embed_query),
            starts=starts,
            owner_lines={doc: _owner_lines(cached.chunks[rows[0]].text[:_OWNER_SPAN])
                         + _owner_lines(cached.chunks[rows[-1]].text[-_OWNER_SPAN:])
                         for doc, (_, rows) in starts.items()},
            periods=_periods(cached.chunks),
            **joined_texts(cached.chunks),
        )
        with self._lock:
            self._snapshot = snapshot
        release_freed_memory()  # the reads and the index build leave hundreds of MB freed but held

    @property
    def documents(self) -> list[StoredDocument]:
        """The committed reports as of the last refresh."""
        return self._snapshot.documents

    @property
    def library(self) -> Library:
        """Places the library's reports speak for."""
        return self._snapshot.library

    @property
    def facts(self) -> FactIndex:
        """The figures of the library's reports, for looking them up."""
        return self._snapshot.facts

    def chunk_at(self, doc: str, offset: int) -> StoredChunk | None:
        """The passage of report `doc` that holds canonical offset `offset`."""
        snap = self._snapshot
        offsets, rows = snap.starts.get(doc, ([], []))
        i = bisect.bisect_right(offsets, offset) - 1
        if i < 0:
            return None
        chunk = snap.chunks[rows[i]]
        return chunk if chunk.start <= offset < chunk.end else None

    def passage_stating(self, doc: str, words: str, near: int) -> StoredChunk | None:
        """The passage of report `doc` nearest before offset `near` (else after it) whose text holds `words`."""
        snap = self._snapshot
        offsets, rows = snap.starts.get(doc, ([], []))
        holding = [snap.chunks[row] for row in rows if words in snap.chunks[row].text]
        before = [c for c in holding if c.start <= near]
        return before[-1] if before else (holding[0] if holding else None)

    def following(self, chunk: StoredChunk, n: int) -> list[StoredChunk]:
        """Up to `n` passages that come right after `chunk` in its report."""
        snap = self._snapshot
        i = snap.by_id.get(chunk.chunk_id)
        if i is None:
            return []
        return [c for c in snap.chunks[i + 1:i + 1 + n] if c.doc_id == chunk.doc_id]

    def top_sections(self, doc: str) -> list[tuple[str, StoredChunk]]:
        """The report's top-level headings (一、二、…), each with the passage that opens with it."""
        out: list[tuple[str, StoredChunk]] = []
        for chunk in self._snapshot.chunks:
            top = chunk.section.split(" > ")[0]
            if chunk.doc == doc and top and (not out or out[-1][0] != top):
                heading = chunk.text.split("\n", 1)[0].strip()
                if heading.startswith(top[:4]):
                    out.append((heading, chunk))
        return out

    def passages_naming(self, places: Sequence[str]) -> np.ndarray:
        """Boolean mask over the passages: those whose text names one of `places`."""
        return self._snapshot.naming(places)

    def passages_about(self, places: Sequence[str]) -> np.ndarray:
        """Boolean mask over the passages that may speak for `places`, which have no document of their own:
        those that name one of them, and every passage of a document that speaks for one of them — of unknown
        place and naming it (a county's notice signed "县人民政府办公室" names its county once, its rules stand
        in passages that do not), or naming it in its title or signature, where a document says whose it is
        ("盐城市亭湖区2024年…统计公报" is the district's, though described by its city)."""
        snap = self._snapshot
        if not len(snap.chunks):
            return np.zeros(0, dtype=bool)
        naming = self.passages_naming(places)
        unplaced = np.array([d.region is None for d in snap.documents], dtype=bool)
        speaking = np.zeros(len(snap.documents), dtype=bool)
        speaking[snap.doc_index[naming]] = True
        owned = np.zeros(len(snap.documents), dtype=bool)
        areas = [(place, parts) for place in places if (parts := _area_parts(place))]
        for doc, (_, rows) in snap.starts.items():
            owner = snap.owner_lines[doc]
            position = snap.doc_pos[snap.chunks[rows[0]].doc_id]
            if any(p in line for p in places for line in owner):
                owned[position] = True
            # An area's own notice is signed by the area ("高新区科技创新局") and names its city in its text.
            elif any(kind in line for _, (_, kind) in areas for line in owner) and any(
                    head in snap.chunks[r].text for _, (head, _) in areas for r in rows):
                owned[position] = True
        return naming | ((speaking & unplaced) | owned)[snap.doc_index]

    def library_kind(self) -> str:
        """What the library holds, for a refusal: the one kind all its documents are, else "文件"."""
        kinds = {d.kind or WORK_REPORT for d in self._snapshot.documents}
        return kinds.pop() if len(kinds) == 1 else "文件"

    def scope_refusal(self, constraints: QueryConstraints) -> str | None:
        """Why the library cannot answer a question about these places and years, or None if it may.

        A place with no report of its own is answerable from passages that name it; a year is
        answerable from its own report, a later report's review of it (a section about that year), or
        a passage that names it — unless the question asks for that year's report itself. Reports of
        unknown year never rule a year out.
        """
        snap = self._snapshot
        if constraints.unknown_places and not constraints.regions:
            if not self.passages_about(constraints.unknown_places).any():
                return f"资料库里没有{'、'.join(constraints.unknown_places)}的{self.library_kind()}"
            return None
        docs = [d for d in snap.documents if not constraints.regions or d.region in constraints.regions]
        if not constraints.years or not docs or any(d.year is None for d in docs):
            return None
        have = sorted({d.year for d in docs if d.year is not None})
        missing = [y for y in constraints.years if not self._covers(docs, y, y in constraints.report_years)]
        if len(missing) < len(constraints.years):
            return None
        place = "、".join(constraints.regions) if constraints.regions else "资料库"
        return (f"{place}的报告只有{'、'.join(f'{y}年' for y in have)}的，"
                f"没有{'、'.join(f'{y}年' for y in missing)}的报告，也没有回顾或提到该年的段落")

    def _covers(self, docs: Sequence[StoredDocument], year: int, own_report_only: bool) -> bool:
        if any(d.year == year for d in docs):
            return True
        if own_report_only:
            return False
        snap = self._snapshot
        if any(year in snap.periods.get(d.doc_id, ()) for d in docs):
            return True
        ids = {d.doc_id for d in docs}
        return any(c.doc_id in ids and about_year(c, year) for c in snap.chunks)

    def constraints(self, question: str) -> QueryConstraints:
        """The places and years `question` names."""
        return parse_constraints(question, self._snapshot.library)

    def retrieve(self, question: str, constraints: QueryConstraints | None = None,
                 filters: SearchFilters | None = None) -> list[RetrievedPassage]:
        """The ranked passages for `question` (at least `top_k` when the library has them)."""
        snap = self._snapshot
        constraints = constraints or parse_constraints(question, snap.library)
        filters = filters or SearchFilters()
        admitted = [d for d in snap.documents if filters.admits(d)]
        groups = [[d for d in admitted if d.region == r] for r in constraints.regions]
        groups = [g for g in groups if g] or [admitted]
        # A place with no report of its own: the passages that may speak for it, where any name it.
        naming = (self.passages_about(constraints.unknown_places)
                  if constraints.unknown_places and not constraints.regions else None)
        naming = naming if naming is not None and naming.any() else None
        vector = self.embedder.embed_query(question)
        similarity = snap.vectors @ vector if len(snap.chunks) else np.zeros(0, dtype=np.float32)
        ranked = [self._retrieve_in(question, similarity, group, constraints, snap, naming) for group in groups]
        merged = ranked[0] if len(ranked) == 1 else _interleave(ranked)
        return _drop_near_duplicates(merged)[: max(self.settings.top_k, 10)]

    def _retrieve_in(self, question: str, similarity: np.ndarray, documents: Sequence[StoredDocument],
                     constraints: QueryConstraints, snap: _Snapshot,
                     naming: np.ndarray | None = None) -> list[RetrievedPassage]:
        s = self.settings
        doc_ids = [d.doc_id for d in documents]
        allowed = snap.allowed(doc_ids) if len(snap.chunks) else None
        if allowed is not None and naming is not None:
            allowed = allowed & naming
        dense = _top_rows(similarity, allowed, s.dense_candidates) if allowed is not None else []
        query = with_synonyms(question)
        lexical = snap.lexical.search(query, s.lexical_candidates, allowed)
        plain = snap.passage_lexical.search(query, s.lexical_candidates, allowed)
        fused: dict[str, float] = {}
        dense_rank: dict[str, int] = {}
        lexical_rank: dict[str, int] = {}
        for rank, row in enumerate(dense, 1):
            chunk_id = snap.chunks[row].chunk_id
            dense_rank[chunk_id] = rank
            fused[chunk_id] = fused.get(chunk_id, 0.0) + s.dense_weight / (s.rrf_k + rank)
        for rank, (chunk_id, _) in enumerate(lexical, 1):
            lexical_rank[chunk_id] = rank
            fused[chunk_id] = fused.get(chunk_id, 0.0) + s.lexical_weight / (s.rrf_k + rank)
        for rank, (chunk_id, _) in enumerate(plain, 1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + s.lexical_weight * s.passage_share / (s.rrf_k + rank)
        passages = []
        reading = plan_or_actual(question)
        years = written_years(question, constraints.years)
        for chunk_id, score in fused.items():
            chunk = snap.chunks[snap.by_id[chunk_id]]
            if years and any(about_year(chunk, y) for y in years):
                score *= s.year_boost
                if reading and _reads_as(chunk, reading, years):
                    score *= s.year_boost
            if years and chunk.year is not None and any(chunk.year in (y, y + 1) for y in years):
                score *= s.report_year_boost
            passages.append(RetrievedPassage(chunk, score, dense_rank.get(chunk_id), lexical_rank.get(chunk_id)))
        passages.sort(key=lambda p: -p.score)
        leads = {ranked[0] for ranked in ([snap.chunks[r].chunk_id for r in dense[:1]],
                                          [c for c, _ in lexical[:1]], [c for c, _ in plain[:1]]) if ranked}
        passages = keep_leads(passages, leads, s.lead_within)
        if len(passages) < s.top_k:  # a tiny library: pad with the remaining passages in reading order
            seen = {p.chunk.chunk_id for p in passages}
            passages += [RetrievedPassage(c, 0.0) for c in snap.chunks
                         if c.doc_id in doc_ids and c.chunk_id not in seen][: s.top_k - len(passages)]
        return passages


def keep_leads(passages: Sequence[RetrievedPassage], leads: set[str], within: int) -> list[RetrievedPassage]:
    """`passages` (best first) with the passages in `leads` — each the first of one search — among the first
    `within`: fusion must not bury what one search is surest of (a paraphrase only the dense search matches, a
    rare term only BM25 does). They take the last places of the head, which keeps its fused order.

    Example:
        >>> ps = [RetrievedPassage(StoredChunk(str(i), "d", "d", i, 0, 1, "x", "", "", ""), 1 / (i + 1)) for i in range(4)]
        >>> [p.chunk.chunk_id for p in keep_leads(ps, {"3"}, 2)]
        ['0', '3', '1', '2']
    """
    late = [p for p in passages[within:] if p.chunk.chunk_id in leads]
    if not late:
        return list(passages)
    kept = list(passages[: max(within - len(late), 0)])
    placed = {p.chunk.chunk_id for p in (*kept, *late)}
    return kept + late + [p for p in passages if p.chunk.chunk_id not in placed]


def written_years(question: str, years: Sequence[int]) -> tuple[int, ...]:
    """The years of `years` the question writes as years, not only as a five-year plan's name: a plan
    ("十四五") spans five years, and a passage that names any of them is no likelier to answer.

    Example:
        >>> written_years("“十四五”期间2025年目标是多少？", (2021, 2022, 2023, 2024, 2025))
        (2025,)
    """
    for name, _, _ in plan_years(question):
        question = question.replace(name, "")
    written = set(years_named(question))
    return tuple(y for y in years if y in written)


def _reads_as(chunk: StoredChunk, reading: str, years: Sequence[int]) -> bool:
    """Whether a passage holds what a plan or result question about `years` asks for: a result of year y
    is in a later report's review of y, a target of y in y's own report."""
    if chunk.period_year not in years or chunk.year is None:
        return False
    return chunk.year > chunk.period_year if reading == "actual" else chunk.year == chunk.period_year


def _top_rows(similarity: np.ndarray, allowed: np.ndarray, n: int) -> list[int]:
    """The rows of the `n` highest similarities among the allowed ones, best first (ties: earlier row first)."""
    rows = np.flatnonzero(allowed)
    if n <= 0 or not len(rows):
        return []
    scores = similarity[rows]
    if len(rows) > n:  # everything at least as good as the n-th best, so ties at the cut are all there
        keep = scores >= np.partition(scores, len(scores) - n)[len(scores) - n]
        rows, scores = rows[keep], scores[keep]
    return rows[np.lexsort((rows, -scores))][:n].tolist()


def _interleave(lists: Sequence[Sequence[RetrievedPassage]]) -> list[RetrievedPassage]:
    """Round-robin merge, so each compared place keeps its best passages near the top."""
    out: list[RetrievedPassage] = []
    seen: set[str] = set()
    for i in range(max(len(x) for x in lists)):
        for ranked in lists:
            if i < len(ranked) and ranked[i].chunk.chunk_id not in seen:
                seen.add(ranked[i].chunk.chunk_id)
                out.append(ranked[i])
    return out


def _drop_near_duplicates(passages: Sequence[RetrievedPassage]) -> list[RetrievedPassage]:
    """Keep the first of passages whose text is the same once width and white space are ignored."""
    seen: set[str] = set()
    out = []
    for p in passages:
        key = _fingerprint(p.chunk.text)
        if key not in seen:
            seen.add(key)
            out.append(p)
    return out
