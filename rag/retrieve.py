"""Retrieve: dense (Chroma) and lexical (BM25) candidates, fused by weighted reciprocal rank.

The places and years a question names narrow and rank the search: only the named places'
reports are searched (each place on its own when a question compares several), and a
passage about the asked year (its section's year, or the year written in it) is boosted —
the same indicator for the plan year and the review year often sit a few passages apart.

Example:
    >>> retriever = HybridRetriever(store, embedder, RetrievalSettings())
    >>> passages = retriever.retrieve("郑州2020年金融业增加值多少？")
    >>> passages[0].chunk.doc
    '003_18bb18e33f05a5d4.txt'
"""
from __future__ import annotations

import re
import threading
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from rag.constraints import Library, QueryConstraints, parse_constraints
from rag.settings import RetrievalSettings
from vectorstore.chroma_store import ChromaStore
from vectorstore.embedder import Embedder
from vectorstore.lexical import LexicalIndex, add_words
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
    doc_of_chunk: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    lexical: LexicalIndex = field(default_factory=lambda: LexicalIndex.build([]))
    library: Library = field(default_factory=lambda: Library({}, {}))


def _fingerprint(text: str) -> str:
    return re.sub(r"\s", "", unicodedata.normalize("NFKC", text))


def about_year(chunk: StoredChunk, year: int) -> bool:
    """Whether a passage is about `year`: its section's year, or the year written in it."""
    return chunk.period_year == year or f"{year}年" in chunk.text


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
        """Re-read the library from the store and rebuild the lexical index (after ingest or removal)."""
        documents = self.store.documents()
        add_words(r for d in documents for r in (d.region, d.parent_region, d.region and d.region[:-1]) if r)
        chunks = self.store.chunks()
        snapshot = _Snapshot(
            documents=documents,
            chunks=chunks,
            by_id={c.chunk_id: i for i, c in enumerate(chunks)},
            doc_of_chunk=np.array([c.doc_id for c in chunks], dtype=object),
            lexical=LexicalIndex.build((c.chunk_id, c.indexed_text) for c in chunks),
            library=Library.from_documents(documents),
        )
        with self._lock:
            self._snapshot = snapshot

    @property
    def documents(self) -> list[StoredDocument]:
        """The committed reports as of the last refresh."""
        return self._snapshot.documents

    @property
    def library(self) -> Library:
        """Places the library's reports speak for."""
        return self._snapshot.library

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
        vector = self.embedder.embed_query(question)
        ranked = [self._retrieve_in(question, vector, group, constraints, snap) for group in groups]
        merged = ranked[0] if len(ranked) == 1 else _interleave(ranked)
        return _drop_near_duplicates(merged)[: max(self.settings.top_k, 10)]

    def _retrieve_in(self, question: str, vector: np.ndarray, documents: Sequence[StoredDocument],
                     constraints: QueryConstraints, snap: _Snapshot) -> list[RetrievedPassage]:
        s = self.settings
        doc_ids = [d.doc_id for d in documents]
        dense = self.store.dense_search(vector, s.dense_candidates, doc_ids)
        allowed = np.isin(snap.doc_of_chunk, doc_ids) if len(snap.chunks) else None
        lexical = snap.lexical.search(question, s.lexical_candidates, allowed)
        fused: dict[str, float] = {}
        dense_rank: dict[str, int] = {}
        lexical_rank: dict[str, int] = {}
        for rank, (chunk, _) in enumerate(dense, 1):
            if chunk.chunk_id in snap.by_id:
                dense_rank[chunk.chunk_id] = rank
                fused[chunk.chunk_id] = fused.get(chunk.chunk_id, 0.0) + s.dense_weight / (s.rrf_k + rank)
        for rank, (chunk_id, _) in enumerate(lexical, 1):
            lexical_rank[chunk_id] = rank
            fused[chunk_id] = fused.get(chunk_id, 0.0) + s.lexical_weight / (s.rrf_k + rank)
        passages = []
        for chunk_id, score in fused.items():
            chunk = snap.chunks[snap.by_id[chunk_id]]
            if constraints.years and any(about_year(chunk, y) for y in constraints.years):
                score *= s.year_boost
            passages.append(RetrievedPassage(chunk, score, dense_rank.get(chunk_id), lexical_rank.get(chunk_id)))
        passages.sort(key=lambda p: -p.score)
        if len(passages) < s.top_k:  # a tiny library: pad with the remaining passages in reading order
            seen = {p.chunk.chunk_id for p in passages}
            passages += [RetrievedPassage(c, 0.0) for c in snap.chunks
                         if c.doc_id in doc_ids and c.chunk_id not in seen][: s.top_k - len(passages)]
        return passages


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
