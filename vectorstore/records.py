"""Records the store holds: a report (StoredDocument) and its passages (StoredChunk).

Chroma metadata cannot hold None, so unknown values are left out of the metadata and
come back as None.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Any


def _without_none(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v is not None}


@dataclass(frozen=True)
class StoredChunk:
    """One passage: `text` is exactly the report's canonical text at [start, end)."""

    chunk_id: str
    doc_id: str
    doc: str
    index: int
    start: int
    end: int
    text: str
    header: str
    section: str
    title: str
    region: str | None = None
    parent_region: str | None = None
    year: int | None = None
    period_year: int | None = None

    @property
    def indexed_text(self) -> str:
        """What is embedded and indexed: the context header, then the passage."""
        return f"{self.header}\n{self.text}"

    def metadata(self) -> dict[str, Any]:
        """The Chroma metadata of this chunk (everything but id and text)."""
        values = asdict(self)
        values.pop("chunk_id")
        values.pop("text")
        return _without_none(values)

    @classmethod
    def from_chroma(cls, chunk_id: str, text: str, metadata: dict[str, Any]) -> "StoredChunk":
        """Rebuild a chunk from what Chroma returns."""
        names = {f.name for f in fields(cls)} - {"chunk_id", "text"}
        return cls(chunk_id=chunk_id, text=text, **{k: v for k, v in metadata.items() if k in names})


@dataclass(frozen=True)
class StoredDocument:
    """One report in the library. `doc_id` is the hash of its canonical text."""

    doc_id: str
    name: str
    title: str
    headline: str
    source_format: str
    n_chunks: int
    n_chars: int
    added_at: str
    region: str | None = None
    parent_region: str | None = None
    year: int | None = None
    year_basis: str | None = None
    date: str | None = None
    speaker: str | None = None
    kind: str | None = None  # 政府工作报告, 通知, 统计公报…; stores written before it was read come back None
    # MinHash signature of the canonical text (rag/near_duplicates.py): finds near-copies at ingest.
    minhash: str | None = None

    def metadata(self) -> dict[str, Any]:
        """The Chroma metadata of this document (everything but its name, which is the id)."""
        values = asdict(self)
        values.pop("name")
        return _without_none(values)

    @classmethod
    def from_chroma(cls, name: str, metadata: dict[str, Any]) -> "StoredDocument":
        """Rebuild a document record from what Chroma returns."""
        names = {f.name for f in fields(cls)} - {"name"}
        return cls(name=name, **{k: v for k, v in metadata.items() if k in names})


@dataclass(frozen=True)
class StoredFact:
    """One figure of a report as the store holds it (see rag/figures.py): offsets into the report's canonical text."""

    fact_id: str
    doc_id: str
    doc: str
    indicator: str
    indicator_norm: str
    measure: str
    value: float
    unit: str
    text: str
    reading: str
    start: int
    end: int
    sentence_start: int
    sentence_end: int
    place: str | None = None
    report_year: int | None = None
    period_year: int | None = None
    period: str | None = None
    value_high: float | None = None
    qualifier: str | None = None

    def metadata(self) -> dict[str, Any]:
        """The Chroma metadata of this fact (everything but its id and indicator, which is its document)."""
        values = asdict(self)
        values.pop("fact_id")
        return _without_none(values)

    @classmethod
    def from_chroma(cls, fact_id: str, metadata: dict[str, Any]) -> "StoredFact":
        """Rebuild a fact from what Chroma returns."""
        names = {f.name for f in fields(cls)} - {"fact_id"}
        return cls(fact_id=fact_id, **{k: v for k, v in metadata.items() if k in names})
