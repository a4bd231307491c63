"""The library as searched in memory, cached on disk beside the store: passages, vectors, lexical index, facts.

Reading every passage, fact and vector back from Chroma, unpacking the texts and building the BM25
index takes time in proportion to the library (11.8 s at 20,000 passages); loading this cache
takes a fraction of it. It is derived data: a folder named by a fingerprint of the committed
reports (name, content id, passage count, time added) and of the tokenizer, so a report added,
replaced or removed, or a new dictionary, gives a new folder and the old one is deleted. It is
written beside, then renamed into place, so a reader never sees half of it; an unreadable or
unwritable cache is no error, only slower.

Example:
    >>> fingerprint = library_fingerprint(store.documents(), dictionary_fingerprint())
    >>> save_library(cache_dir, fingerprint, CachedLibrary(chunks, vectors, index, passage_index, facts, fact_vectors))
    >>> load_library(cache_dir, fingerprint).vectors.shape
    (285, 384)
"""
from __future__ import annotations

import gc
import hashlib
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import numpy as np
import orjson

from vectorstore.lexical import LexicalIndex
from vectorstore.records import StoredChunk, StoredDocument, StoredFact

# Bump when what is cached, or how, changes.
_FORMAT = 3
_FOLDER = "library"
# The committed reports' records, one file named by the store's generation (vectorstore/store_lock.py).
_DOCUMENTS = "documents"
_DOCUMENTS_FORMAT = 1
_CHUNKS, _VECTORS, _LEXICAL, _PASSAGE_LEXICAL = "chunks.json", "vectors.npy", "bm25", "bm25-passages"
_FACTS, _FACT_VECTORS = "facts.json", "fact_vectors.npy"
_CHUNK_FIELDS = tuple(f.name for f in fields(StoredChunk))
_FACT_FIELDS = tuple(f.name for f in fields(StoredFact))


@dataclass(frozen=True)
class CachedLibrary:
    """The passages of the committed reports in report and reading order, their vectors row by row, their BM25
    index with and without their context headers; the reports' facts in report and reading order and the
    vectors of their indicators row by row."""

    chunks: list[StoredChunk]
    vectors: np.ndarray
    lexical: LexicalIndex
    passage_lexical: LexicalIndex
    facts: list[StoredFact]
    fact_vectors: np.ndarray


def load_documents(cache_dir: Path, generation: str) -> list[StoredDocument] | None:
    """The committed reports as cached for `generation`, or None if they are not (or unreadable)."""
    try:
        rows = orjson.loads((cache_dir / _DOCUMENTS / _documents_file(generation)).read_bytes())
        return [StoredDocument(**row) for row in rows]
    except (OSError, ValueError, TypeError):
        return None


def save_documents(cache_dir: Path, generation: str, documents: Sequence[StoredDocument]) -> None:
    """Cache the committed reports of `generation`, deleting those of other generations; failures are ignored.

    Call only with the reports read while the store stayed at `generation` and no writer was at work.
    """
    folder = cache_dir / _DOCUMENTS
    name = _documents_file(generation)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        for stale in folder.iterdir():
            if stale.name != name:
                stale.unlink(missing_ok=True)
        work = folder / f".tmp-{os.getpid()}-{name}"
        work.write_bytes(orjson.dumps([asdict(d) for d in documents]))
        work.rename(folder / name)
    except OSError:
        pass


def _documents_file(generation: str) -> str:
    return f"v{_DOCUMENTS_FORMAT}-{generation}.json"


def library_fingerprint(documents: Sequence[StoredDocument], tokenizer_fingerprint: str) -> str:
    """A digest of the committed reports and of the tokenizer: what the cached library was built from.

    Example:
        >>> library_fingerprint([], "abc") == library_fingerprint([], "abc")
        True
    """
    digest = hashlib.sha256(f"{_FORMAT}\0{tokenizer_fingerprint}".encode())
    for doc in sorted(documents, key=lambda d: d.name):
        digest.update(f"\0{doc.name}\0{doc.doc_id}\0{doc.n_chunks}\0{doc.added_at}".encode())
    return digest.hexdigest()[:24]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a library's records are made: hundreds of thousands of new objects
    start a full collection again and again, each over everything made so far (2× the time at 600,000 facts).
    The records hold no cycles; reference counting frees them as ever."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def load_library(cache_dir: Path, fingerprint: str) -> CachedLibrary | None:
    """The library cached under `fingerprint` (vectors and index memory-mapped), or None if there is none or it is unreadable."""
    folder = cache_dir / _FOLDER / fingerprint
    try:
        chunks = _read_records(folder / _CHUNKS, StoredChunk, _CHUNK_FIELDS)
        vectors = np.load(folder / _VECTORS, mmap_mode="r")
        lexical = LexicalIndex.load(folder / _LEXICAL)
        passage_lexical = LexicalIndex.load(folder / _PASSAGE_LEXICAL)
        facts = _read_records(folder / _FACTS, StoredFact, _FACT_FIELDS)
        fact_vectors = np.load(folder / _FACT_VECTORS, mmap_mode="r")
    except (OSError, ValueError, KeyError, TypeError):  # orjson.JSONDecodeError is a ValueError
        return None
    keys = [c.chunk_id for c in chunks]
    if (len(vectors) != len(chunks) or lexical.keys != keys or passage_lexical.keys != keys
            or (len(fact_vectors) and len(fact_vectors) != len(facts))):
        return None
    return CachedLibrary(chunks, vectors, lexical, passage_lexical, facts, fact_vectors)


def _read_records(path: Path, kind: type, names: tuple[str, ...]) -> list:
    """Records of ``kind`` from a JSON file holding one list per field (``_write_records``)."""
    columns = orjson.loads(path.read_bytes())
    # Filled in as unpickling does: a frozen dataclass's __init__ sets each field through object.__setattr__,
    # which doubles the time at 600,000 facts. Every field is in the file, so no default is missed.
    new, made = object.__new__, []
    for row in zip(*(columns[name] for name in names)):
        record = new(kind)
        record.__dict__.update(zip(names, row))
        made.append(record)
    return made


def _write_records(path: Path, records: Sequence, names: tuple[str, ...]) -> None:
    """Write ``records`` as one list per field: compact, and quick to read back."""
    columns = {name: [getattr(record, name) for record in records] for name in names}
    path.write_bytes(orjson.dumps(columns))


def save_library(cache_dir: Path, fingerprint: str, library: CachedLibrary) -> None:
    """Cache `library` under `fingerprint`, deleting the caches of other fingerprints; failures to write are ignored."""
    root = cache_dir / _FOLDER
    target = root / fingerprint
    try:
        root.mkdir(parents=True, exist_ok=True)
        for stale in root.iterdir():
            if stale.name != fingerprint:
                shutil.rmtree(stale, ignore_errors=True)
        if target.is_dir():
            return
        work = Path(tempfile.mkdtemp(prefix=".tmp-", dir=root))
        try:
            _write_records(work / _CHUNKS, library.chunks, _CHUNK_FIELDS)
            np.save(work / _VECTORS, np.ascontiguousarray(library.vectors, dtype=np.float32))
            library.lexical.save(work / _LEXICAL)
            library.passage_lexical.save(work / _PASSAGE_LEXICAL)
            _write_records(work / _FACTS, library.facts, _FACT_FIELDS)
            np.save(work / _FACT_VECTORS, np.ascontiguousarray(library.fact_vectors, dtype=np.float32))
            work.rename(target)
        finally:
            shutil.rmtree(work, ignore_errors=True)
    except OSError:
        pass
