"""Ingest: load → clean → describe → split → embed → store, one report at a time.

A report is identified by the hash of its canonical text and shown by its path relative to the
folder ingested (`2020/报告.txt`; a file given by itself, or in a flat folder, by its base name):
ingesting the same file again changes nothing, a changed file replaces its old passages in one
commit, and the same content under a second name is refused. A report whose stored passages are
short of its record (a store damaged before writers were locked) is written again ("repaired"),
and one almost the same as a report already in the library (an edited copy) is added with a note
saying which. Each report is committed on its own, so an interrupted run keeps what it finished
and a re-run does only the rest. A run holds the store's write lock from start to end: a second
writer waits for it.

Memory stays bounded whatever the folder holds: files are read one at a time, and a report's
passages are embedded and written in windows of `EMBED_WINDOW` before the report is committed,
so not even one huge report's vectors are held at once. Reports are not prepared or embedded in
parallel workers within one machine: embedding takes 85-90% of ingest time and the embedder's
threads already use every core, so overlapping the rest (splitting ~7%, writing ~3%, measured by
`govqa bench`) could save at most that much while competing for the same cores. Parallel ingest
pays across machines, as workers writing to one Chroma server (`GOVQA_CHROMA_URL`).

Example:
    >>> outcomes = ingest_paths([Path("data/reports")], store, embedder)
    >>> [(o.name, o.status) for o in outcomes][:1]
    [('000_4d00116238fd789a.txt', 'added')]
"""
from __future__ import annotations

import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
from tqdm import tqdm

from rag.clean import clean_text
from rag.describe import ReportMeta, Section, describe_report, find_sections
from rag.figures import extract_facts
from rag.load import DEFAULT_MAX_BYTES, LoadedReport, LoadError, iter_report_paths, load_report, load_report_bytes
from rag.near_duplicates import NEAR_DUPLICATE_SIMILARITY, minhash_signature, similarity
from rag.split import split_text
from vectorstore.chroma_store import ChromaStore
from vectorstore.embedder import Embedder
from vectorstore.records import StoredChunk, StoredDocument, StoredFact

# Part of every report's identity: a change to cleaning, describing or splitting re-ingests what it affects.
PIPELINE_VERSION = "6"
# Passages embedded and written at a time: bounds memory for any report size, while keeping
# enough passages together for the embedder to batch them by length.
EMBED_WINDOW = 256
STAGES = ("load", "clean", "split", "figures", "embed", "write")


@dataclass
class StageClock:
    """Seconds spent in each ingest stage, summed over reports (what `govqa bench` reports).

    `load` reads and decodes files; `clean` is cleaning; `split` is describing and splitting;
    `figures` reading the figures into facts; `embed` the embedder; `write` the store (chunks, commit, and the look-ups before them).

    Example:
        >>> clock = StageClock()
        >>> with clock.stage("load"):
        ...     pass
        >>> sorted(clock.seconds) == sorted(STAGES)
        True
    """

    seconds: dict[str, float] = field(default_factory=lambda: dict.fromkeys(STAGES, 0.0))

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Add the time spent in the `with` block to stage `name`."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.seconds[name] += time.perf_counter() - started


@dataclass(frozen=True)
class PreparedReport:
    """A report ready to be embedded: its canonical text, record, passages and facts."""

    document: StoredDocument
    text: str
    chunks: list[StoredChunk]
    facts: list[StoredFact]


@dataclass(frozen=True)
class IngestOutcome:
    """What happened to one file: added, replaced, repaired, unchanged or refused (with the reason).

    `note` warns about a report that was stored anyway (a near-copy of another).
    """

    name: str
    status: str
    reason: str | None = None
    n_chunks: int = 0
    title: str | None = None
    note: str | None = None


_FACT_FIELDS = ("indicator", "indicator_norm", "measure", "value", "value_high", "unit", "text", "qualifier",
                "reading", "period_year", "period", "start", "end", "sentence_start", "sentence_end")


def content_id(text: str) -> str:
    """The identity of a report: a hash of its canonical text and the pipeline version."""
    return hashlib.sha256(f"{PIPELINE_VERSION}\n{text}".encode()).hexdigest()[:32]


def _section_label(section: Section | None) -> str:
    return " > ".join(section.path) if section else ""


def _header(meta: ReportMeta, section: Section | None) -> str:
    parts = [meta.title]
    if section:
        parts.append(" > ".join(p[:30] for p in section.path))
    return "｜".join(parts)


def prepare_report(loaded: LoadedReport, added_at: str | None = None,
                   clock: StageClock | None = None) -> PreparedReport:
    """Clean, describe and split one loaded report (pure: no store, no model)."""
    clock = clock or StageClock()
    with clock.stage("clean"):
        text = clean_text(loaded.text)
    if not text.strip():
        raise LoadError(loaded.name, "清理后没有正文")
    with clock.stage("split"):
        meta = describe_report(loaded.name, text)
        sections = find_sections(text, meta.period_year)
        spans = split_text(text, sections)
    doc_id = content_id(text)
    with clock.stage("figures"):
        facts = [StoredFact(fact_id=f"{doc_id}:f{i:05d}", doc_id=doc_id, doc=loaded.name, place=meta.region,
                            report_year=meta.year, **{k: getattr(f, k) for k in _FACT_FIELDS})
                 for i, f in enumerate(extract_facts(text, sections, meta.year))]
    chunks = [
        StoredChunk(
            chunk_id=f"{doc_id}:{i:05d}", doc_id=doc_id, doc=loaded.name, index=i, start=s.start, end=s.end,
            text=text[s.start:s.end], header=_header(meta, s.section), section=_section_label(s.section),
            title=meta.title, region=meta.region, parent_region=meta.parent_region, year=meta.year,
            period_year=s.section.period_year if s.section else meta.period_year,
        )
        for i, s in enumerate(spans)
    ]
    document = StoredDocument(
        doc_id=doc_id, name=loaded.name, title=meta.title, headline=meta.headline,
        source_format=loaded.source_format, n_chunks=len(chunks), n_chars=len(text),
        added_at=added_at or datetime.now(timezone.utc).isoformat(timespec="seconds"),
        region=meta.region, parent_region=meta.parent_region, year=meta.year, year_basis=meta.year_basis,
        date=meta.date, speaker=meta.speaker, kind=meta.kind, minhash=minhash_signature(text),
    )
    return PreparedReport(document=document, text=text, chunks=chunks, facts=facts)


def show_progress() -> bool:
    """Progress bars on a terminal, quiet in CI and pipes."""
    return sys.stderr.isatty() and not os.environ.get("CI")


def display_name(path: Path, given: Sequence[Path]) -> str:
    """The name a report file is shown and stored by: its path relative to the folder given that holds it.

    >>> display_name(Path("in/2020/报告.txt"), [Path("in")])
    '2020/报告.txt'
    >>> display_name(Path("in/2020/报告.txt"), [Path("in/2020/报告.txt")])
    '报告.txt'
    """
    for root in given:
        if root.is_dir() and path.is_relative_to(root):
            return path.relative_to(root).as_posix()
    return path.name


def _near_copy(doc: StoredDocument, store: ChromaStore) -> str | None:
    """A note naming the report in the library whose text is almost the same as `doc`'s, if any."""
    best = max(((similarity(doc.minhash or "", d.minhash or ""), d.name) for d in store.documents()
                if d.name != doc.name), default=(0.0, ""))
    return f"与 {best[1]} 几乎相同" if best[0] >= NEAR_DUPLICATE_SIMILARITY else None


def ingest_loaded(loaded: LoadedReport, store: ChromaStore, embedder: Embedder,
                  clock: StageClock | None = None) -> IngestOutcome:
    """Store one loaded report unless it is already there whole; refuse a duplicate under another name.

    The passages are embedded and written `EMBED_WINDOW` at a time, then the report is committed.
    """
    clock = clock or StageClock()
    try:
        prepared = prepare_report(loaded, clock=clock)
    except LoadError as err:
        return IngestOutcome(loaded.name, "refused", err.reason)
    with store.writing():
        return _store_prepared(prepared, store, embedder, clock)


def _store_prepared(prepared: PreparedReport, store: ChromaStore, embedder: Embedder,
                    clock: StageClock) -> IngestOutcome:
    doc = prepared.document
    with clock.stage("write"):
        existing = store.document(doc.name)
        same = existing is not None and existing.doc_id == doc.doc_id
        if existing and same and store.stored_chunk_count(doc.doc_id) >= existing.n_chunks:
            return IngestOutcome(doc.name, "unchanged", n_chunks=existing.n_chunks, title=existing.title)
        twin = next((d for d in store.documents_with_id(doc.doc_id) if d.name != doc.name), None)
        note = None if same else _near_copy(doc, store)
    if twin:
        return IngestOutcome(doc.name, "refused", f"与已入库的 {twin.name} 内容相同")
    for start in range(0, len(prepared.chunks), EMBED_WINDOW):
        window = prepared.chunks[start:start + EMBED_WINDOW]
        with clock.stage("embed"):
            vectors = embedder.embed_passages([c.indexed_text for c in window])
        with clock.stage("write"):
            store.write_chunks(window, vectors)
    if prepared.facts:
        with clock.stage("embed"):
            # One vector per distinct indicator phrase: a question's words find the report's by meaning.
            phrases = list(dict.fromkeys(f.indicator for f in prepared.facts))
            by_phrase = dict(zip(phrases, embedder.embed_passages(phrases)))
        with clock.stage("write"):
            store.write_facts(prepared.facts, np.asarray([by_phrase[f.indicator] for f in prepared.facts]))
    with clock.stage("write"):
        store.commit_document(doc, prepared.text)
    status = "repaired" if same else "replaced" if existing else "added"
    return IngestOutcome(doc.name, status, n_chunks=len(prepared.chunks), title=doc.title, note=note)


def ingest_paths(paths: Sequence[Path], store: ChromaStore, embedder: Embedder,
                 max_bytes: int = DEFAULT_MAX_BYTES,
                 on_outcome: Callable[[IngestOutcome], None] | None = None,
                 clock: StageClock | None = None) -> list[IngestOutcome]:
    """Ingest files and folders; a bad file is refused with its reason and the others go on.

    Files are read and ingested one at a time (bounded memory), all under the store's write lock;
    `clock`, if given, collects the time per stage.
    """
    clock = clock or StageClock()
    files, errors = iter_report_paths(list(paths))
    outcomes = [IngestOutcome(e.name, "refused", e.reason) for e in errors]
    for outcome in outcomes:
        if on_outcome:
            on_outcome(outcome)
    with store.writing():
        with clock.stage("write"):
            store.collect_garbage()
        for path in tqdm(files, desc="入库", unit="份", disable=not show_progress()):
            try:
                with clock.stage("load"):
                    loaded = replace(load_report(path, max_bytes), name=display_name(path, paths))
                outcome = ingest_loaded(loaded, store, embedder, clock)
            except LoadError as err:
                outcome = IngestOutcome(err.name, "refused", err.reason)
            outcomes.append(outcome)
            if on_outcome:
                on_outcome(outcome)
    return outcomes


def ingest_upload(name: str, data: bytes, store: ChromaStore, embedder: Embedder,
                  max_bytes: int = DEFAULT_MAX_BYTES) -> IngestOutcome:
    """Ingest one uploaded file given as bytes (the app's upload)."""
    try:
        loaded = load_report_bytes(name, data, max_bytes)
    except LoadError as err:
        return IngestOutcome(err.name, "refused", err.reason)
    with store.writing():
        store.collect_garbage()
        return ingest_loaded(loaded, store, embedder)
