"""The Chroma store without the model: texts stored compressed, older plain stores, orphans, vectors, look-ups."""
from __future__ import annotations

import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings

from vectorstore.chroma_store import (
    _LOCAL_STORES,
    CHUNKS,
    FACTS,
    SERVER_ORPHAN_GRACE_S,
    TEXT_ENCODING,
    WRITTEN_AT,
    ChromaStore,
    ShortReport,
    StoreError,
)
from vectorstore.records import StoredChunk, StoredDocument, StoredFact
from vectorstore.store_lock import read_generation

TEXT = "郑州市政府工作报告\n一、回顾\n全市地区生产总值增长6.5%左右。金融业增加值1302.9亿元。\n二、安排\n粮食总产量保持稳定。"


def _document(doc_id: str, name: str, n_chunks: int) -> StoredDocument:
    return StoredDocument(doc_id=doc_id, name=name, title="郑州市政府工作报告", headline="", source_format="txt",
                          n_chunks=n_chunks, n_chars=len(TEXT), added_at="2024-01-01T00:00:00+00:00",
                          region="郑州市", year=2024)


def _chunks(doc_id: str, name: str) -> list[StoredChunk]:
    spans = [(0, 14), (14, 52), (52, len(TEXT))]
    return [StoredChunk(chunk_id=f"{doc_id}:{i:05d}", doc_id=doc_id, doc=name, index=i, start=a, end=b,
                        text=TEXT[a:b], header="郑州市政府工作报告", section="", title="郑州市政府工作报告",
                        region="郑州市", year=2024)
            for i, (a, b) in enumerate(spans)]


def _vectors(n: int, seed: int = 0) -> np.ndarray:
    v = np.random.default_rng(seed).standard_normal((n, 384)).astype(np.float32)
    return v / np.linalg.norm(v, axis=1, keepdims=True)


def _add(store: ChromaStore, doc_id: str = "d1", name: str = "a.txt", seed: int = 0) -> tuple[list[StoredChunk], np.ndarray]:
    chunks, vectors = _chunks(doc_id, name), _vectors(3, seed)
    store.add_document(_document(doc_id, name, len(chunks)), TEXT, chunks, vectors)
    return chunks, vectors


@pytest.fixture()
def store(tmp_path: Path) -> ChromaStore:
    return ChromaStore.open(tmp_path / "store")


def test_texts_read_back_exactly_and_are_stored_compressed(store: ChromaStore) -> None:
    chunks, vectors = _add(store)
    assert store.document_text("a.txt") == TEXT
    assert store.chunks() == chunks
    assert all(c.text == TEXT[c.start:c.end] for c in store.chunks())
    [(nearest, similarity)] = store.dense_search(vectors[1], 1, ["d1"])
    assert nearest == chunks[1] and similarity == pytest.approx(1.0, abs=1e-5)
    raw = store._chunks.get(ids=[chunks[1].chunk_id], include=["documents", "metadatas"])
    assert "金融业" not in raw["documents"][0] and raw["metadatas"][0][TEXT_ENCODING] == "zlib-b64"


def test_a_store_written_with_plain_texts_still_reads(tmp_path: Path) -> None:
    """Stores written before texts were compressed keep working."""
    store = ChromaStore.open(tmp_path / "store")
    chunk = _chunks("d1", "a.txt")[0]
    store._chunks.upsert(ids=[chunk.chunk_id], documents=[chunk.text], metadatas=[chunk.metadata()],
                         embeddings=_vectors(1))
    document = _document("d1", "a.txt", 1)
    store._documents.upsert(ids=["a.txt"], documents=[TEXT], metadatas=[document.metadata()], embeddings=[[1.0]])
    assert store.document_text("a.txt") == TEXT
    assert store.chunks() == [chunk]
    assert store.dense_search(_vectors(1)[0], 1, ["d1"])[0][0] == chunk


def test_chunks_and_vectors_come_back_row_for_row(store: ChromaStore) -> None:
    first, v1 = _add(store, "d1", "b.txt", seed=1)
    second, v2 = _add(store, "d2", "a.txt", seed=2)
    chunks, vectors = store.chunks_and_vectors()
    assert chunks == second + first  # report name, then reading order
    np.testing.assert_allclose(vectors, np.vstack([v2, v1]), atol=1e-6)
    np.testing.assert_allclose(store.vectors([first[2].chunk_id, second[0].chunk_id]), np.vstack([v1[2], v2[0]]),
                               atol=1e-6)
    with pytest.raises(KeyError):
        store.vectors(["nope"])
    assert store.chunks_and_vectors(with_vectors=False)[1].shape == (0, 0)


def test_uncommitted_chunks_are_invisible_until_the_commit(store: ChromaStore) -> None:
    chunks = _chunks("d1", "a.txt")
    store.write_chunks(chunks, _vectors(3))
    assert store.chunks() == [] and store.count_chunks() == 3
    store.commit_document(_document("d1", "a.txt", 3), TEXT)
    assert store.chunks() == chunks


def test_documents_with_id_finds_a_report_by_content(store: ChromaStore) -> None:
    _add(store, "d1", "a.txt")
    assert [d.name for d in store.documents_with_id("d1")] == ["a.txt"]
    assert store.documents_with_id("other") == []


def test_orphans_are_collected_at_once_locally_but_only_when_old_on_a_server(tmp_path: Path) -> None:
    """On a server another worker's report may be mid-write: its chunks must survive a concurrent ingest's clean-up."""
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    server_like = ChromaStore.on_client(client, "http://example:8000", is_server=True)
    local = ChromaStore.on_client(client, str(tmp_path), is_server=False)
    _add(server_like, "d1", "a.txt")
    server_like.write_chunks(_chunks("d2", "b.txt"), _vectors(3))  # in flight: not committed yet
    assert server_like.collect_garbage() == 0
    assert server_like.count_chunks() == 6
    old = time.time() - SERVER_ORPHAN_GRACE_S - 1
    stale = _chunks("d3", "c.txt")
    client.get_collection(CHUNKS).upsert(ids=[c.chunk_id for c in stale], documents=[c.text for c in stale],
                                         metadatas=[{**c.metadata(), WRITTEN_AT: old} for c in stale],
                                         embeddings=_vectors(3))
    assert server_like.collect_garbage() == 3  # an interrupted ingest's leftovers, an hour old
    assert local.collect_garbage() == 3  # locally nobody else writes: every orphan goes
    assert {c.doc_id for c in local.chunks()} == {"d1"} and local.count_chunks() == 3


def test_a_replaced_report_leaves_only_its_new_chunks(store: ChromaStore) -> None:
    _add(store, "d1", "a.txt")
    new = _chunks("d9", "a.txt")
    store.add_document(_document("d9", "a.txt", 3), TEXT, new, _vectors(3, seed=9))
    assert store.chunks() == new and store.count_chunks() == 3
    assert store.remove_document("a.txt") and store.count_chunks() == 0


def test_replacing_a_report_replaces_all_of_its_metadata(store: ChromaStore) -> None:
    """Chroma's upsert keeps keys the new metadata omits: a replaced report must not keep the old one's year."""
    old = replace(_document("d1", "报告.txt", 3), speaker="张三", date="2020-01-05", parent_region="河南省")
    store.add_document(old, TEXT, _chunks("d1", "报告.txt"), _vectors(3))
    new = replace(_document("d2", "报告.txt", 3), region="新乡市", year=None)
    store.add_document(new, TEXT, _chunks("d2", "报告.txt"), _vectors(3, seed=2))
    stored = store.document("报告.txt")
    assert stored == new
    assert (stored.year, stored.speaker, stored.date, stored.parent_region) == (None, None, None, None)


def test_reports_short_of_their_passages_are_found(store: ChromaStore) -> None:
    chunks, _ = _add(store, "d1", "a.txt")
    _add(store, "d2", "b.txt", seed=2)
    assert store.short_reports() == []
    store._chunks.delete(ids=[chunks[0].chunk_id])
    assert store.short_reports() == [ShortReport("a.txt", 3, 2)]
    assert store.stored_chunk_count("d1") == 2 and store.stored_chunk_count("d2") == 3


def test_reading_a_store_that_does_not_exist_is_an_error_and_creates_nothing(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="资料库不存在") as caught:
        ChromaStore.open_existing(tmp_path / "typo")
    assert "\n" not in str(caught.value)
    assert not (tmp_path / "typo").exists()


def test_reading_a_folder_never_written_reads_empty_and_writes_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "new"
    folder.mkdir()
    assert ChromaStore.open_existing(folder).documents() == []
    assert list(folder.iterdir()) == []


def test_a_store_whose_sqlite_file_was_deleted_is_refused_not_recreated(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    _add(ChromaStore.open(folder))
    _forget_open_stores()
    (folder / "chroma" / "chroma.sqlite3").unlink()
    for opening in (ChromaStore.open, ChromaStore.open_existing):
        with pytest.raises(StoreError, match="缺少 chroma.sqlite3") as caught:
            opening(folder)
        assert str(folder) in str(caught.value) and "\n" not in str(caught.value)
    assert not (folder / "chroma" / "chroma.sqlite3").exists()


def test_a_corrupt_sqlite_file_is_refused_in_one_line_and_left_as_it_was(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    for seed in range(40):  # enough pages that damage in the middle hits the data, not only the header
        _add(ChromaStore.open(folder), f"d{seed}", f"r{seed}.txt", seed=seed)
    _forget_open_stores()
    database = folder / "chroma" / "chroma.sqlite3"
    with database.open("r+b") as f:
        f.seek(database.stat().st_size // 2)
        f.write(b"\xff" * 8192)
    damaged = database.read_bytes()
    for opening in (ChromaStore.open, ChromaStore.open_existing):
        with pytest.raises(StoreError, match="已损坏") as caught:
            opening(folder)
        assert str(folder) in str(caught.value) and "\n" not in str(caught.value)
    assert database.read_bytes() == damaged


def test_another_process_s_commit_is_seen_after_reconnecting(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    _add(ChromaStore.open(folder), "d1", "a.txt")
    reader = ChromaStore.open_existing(folder)
    assert not reader.changed_elsewhere()
    _write_in_another_process(folder, "d2", "b.txt")
    assert reader.changed_elsewhere()
    reader.reconnect()
    assert not reader.changed_elsewhere()
    assert [d.name for d in reader.documents()] == ["a.txt", "b.txt"]
    assert len(reader.chunks()) == 6


def test_the_report_list_is_kept_for_its_generation_and_never_read_stale(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    _add(ChromaStore.open(folder), "d1", "a.txt")
    _forget_open_stores()
    reader = ChromaStore.open_existing(folder)
    assert [d.name for d in reader.documents()] == ["a.txt"]
    kept = list((folder / "cache" / "documents").iterdir())
    assert len(kept) == 1 and read_generation(folder) in kept[0].name
    _forget_open_stores()
    assert ChromaStore.open_existing(folder).documents() == reader.documents()  # read back from the kept list
    _write_in_another_process(folder, "d2", "b.txt")
    assert [d.name for d in reader.documents()] == ["a.txt", "b.txt"]
    reader.reconnect()
    assert [d.name for d in reader.documents()] == ["a.txt", "b.txt"]
    assert [p.name for p in (folder / "cache" / "documents").iterdir()] == [f"v1-{read_generation(folder)}.json"]


def test_the_report_list_is_not_kept_while_a_writer_is_at_work(tmp_path: Path) -> None:
    store = ChromaStore.open(tmp_path / "store")
    _add(store, "d1", "a.txt")
    with store.writing():
        assert [d.name for d in store.documents()] == ["a.txt"]
    assert not (tmp_path / "store" / "cache" / "documents").exists()


_WRITER = """
import sys
sys.path.insert(0, sys.argv[1])
from pathlib import Path
from tests.vectorstore.test_chroma_store import _add
from vectorstore.chroma_store import ChromaStore
_add(ChromaStore.open(Path(sys.argv[2])), sys.argv[3], sys.argv[4], seed=7)
"""


def _write_in_another_process(folder: Path, doc_id: str, name: str) -> None:
    repo = Path(__file__).resolve().parents[2]
    subprocess.run([sys.executable, "-c", _WRITER, str(repo), str(folder), doc_id, name], check=True, cwd=repo,
                   timeout=120)


def _forget_open_stores() -> None:
    """Drop this process's connections, as a new process would start without them."""
    _LOCAL_STORES.clear()


def test_a_database_that_passed_the_damage_check_is_noted_with_its_size_and_time(tmp_path: Path) -> None:
    folder = tmp_path / "store"
    _add(ChromaStore.open(folder), "d1", "a.txt")
    _forget_open_stores()
    ChromaStore.open_existing(folder)
    database = folder / "chroma" / "chroma.sqlite3"
    noted = (folder / "cache" / "sqlite-checked").read_text(encoding="utf-8")
    assert f"chroma.sqlite3:{database.stat().st_size}:{database.stat().st_mtime_ns}" in noted
