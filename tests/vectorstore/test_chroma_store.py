"""The Chroma store without the model: texts stored compressed, older plain stores, orphans, vectors, look-ups."""
from __future__ import annotations

import time
from pathlib import Path

import chromadb
import numpy as np
import pytest
from chromadb.config import Settings as ChromaSettings

from vectorstore.chroma_store import CHUNKS, FACTS, SERVER_ORPHAN_GRACE_S, TEXT_ENCODING, WRITTEN_AT, ChromaStore
from vectorstore.records import StoredChunk, StoredDocument, StoredFact

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
    server_like = ChromaStore(client, "http://example:8000", is_server=True)
    local = ChromaStore(client, str(tmp_path), is_server=False)
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


# --- facts ---------------------------------------------------------------------------

def _facts(doc_id: str, name: str) -> list[StoredFact]:
    figures = [("地区生产总值", "growth", 6.5, "%", "6.5%左右", "左右"), ("金融业增加值", "amount", 1.3029e11, "元", "1302.9亿元", None)]
    out = []
    for i, (indicator, measure, value, unit, figure, qualifier) in enumerate(figures):
        start = TEXT.index(figure)
        out.append(StoredFact(fact_id=f"{doc_id}:f{i:05d}", doc_id=doc_id, doc=name, indicator=indicator,
                              indicator_norm=indicator, measure=measure, value=value, unit=unit, text=figure,
                              reading="result", start=start, end=start + len(figure), sentence_start=start - 8,
                              sentence_end=start + len(figure) + 1, place="郑州市", report_year=2024, period_year=2023,
                              period="2023", qualifier=qualifier))
    return out


def _add_with_facts(store: ChromaStore, doc_id: str, name: str, seed: int = 0) -> list[StoredFact]:
    facts = _facts(doc_id, name)
    store.write_chunks(_chunks(doc_id, name), _vectors(3, seed))
    store.write_facts(facts, _vectors(len(facts), seed + 100))
    store.commit_document(_document(doc_id, name, 3), TEXT)
    return facts


def test_facts_are_written_with_their_report_and_read_back_exactly(store: ChromaStore) -> None:
    facts = _add_with_facts(store, "d1", "a.txt")
    assert store.facts() == facts
    read, vectors = store.facts_and_vectors()
    assert read == facts and vectors.shape == (2, 384)
    np.testing.assert_allclose(vectors, _vectors(2, 100), atol=1e-6)
    assert all(TEXT[f.start:f.end] == f.text for f in read)
    assert read[1].qualifier is None and read[1].value_high is None, "unknowns come back as None"


def test_facts_stay_invisible_until_their_report_is_committed(store: ChromaStore) -> None:
    facts = _facts("d1", "a.txt")
    store.write_facts(facts, _vectors(2))
    assert store.facts() == [] and store.facts_and_vectors()[1].shape == (0, 0)
    store.commit_document(_document("d1", "a.txt", 0), TEXT)
    assert store.facts() == facts


def test_facts_go_when_their_report_is_removed(store: ChromaStore) -> None:
    _add_with_facts(store, "d1", "a.txt")
    kept = _add_with_facts(store, "d2", "b.txt", seed=2)
    assert store.remove_document("a.txt")
    assert store.facts() == kept and store._facts.count() == 2


def test_facts_are_replaced_with_their_report(store: ChromaStore) -> None:
    _add_with_facts(store, "d1", "a.txt")
    new = _add_with_facts(store, "d9", "a.txt", seed=9)
    assert store.facts() == new and store._facts.count() == 2


def test_orphan_facts_of_an_interrupted_ingest_are_collected(store: ChromaStore) -> None:
    kept = _add_with_facts(store, "d1", "a.txt")
    store.write_chunks(_chunks("d2", "b.txt"), _vectors(3))
    store.write_facts(_facts("d2", "b.txt"), _vectors(2))  # the ingest stopped before the commit
    assert store._facts.count() == 4
    store.collect_garbage()
    assert store._facts.count() == 2 and store.facts() == kept


def test_young_orphan_facts_survive_on_a_server(tmp_path: Path) -> None:
    client = chromadb.PersistentClient(path=str(tmp_path / "chroma"), settings=ChromaSettings(anonymized_telemetry=False))
    server_like = ChromaStore(client, "http://example:8000", is_server=True)
    server_like.write_facts(_facts("d2", "b.txt"), _vectors(2))  # another worker's report, mid-write
    server_like.collect_garbage()
    assert client.get_collection(FACTS).count() == 2
