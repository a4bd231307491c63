"""The retriever's in-memory snapshot: exact dense search, the report mask, and the on-disk cache of BM25 tokens."""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

import rag.retrieve as retrieve
from rag.ingest import ingest_paths
from rag.retrieve import HybridRetriever, _top_rows
from rag.settings import RetrievalSettings
from vectorstore.chroma_store import ChromaStore
from vectorstore.embedder import get_embedder
from vectorstore.lexical import dictionary_fingerprint

pytestmark = pytest.mark.slow
REPORTS = Path(__file__).resolve().parents[2] / "data" / "reports"

QUESTIONS = ["郑州2020年金融业增加值多少？", "新乡这份报告对高标准农田是怎么安排的？", "惠济区2024年地区生产总值预期增长多少？",
             "郑州市和新乡市的粮食产量分别是多少？", "PM2.5平均浓度下降了多少"]


def _ranked(retriever: HybridRetriever, question: str) -> list[tuple]:
    return [(p.chunk.chunk_id, round(p.score, 12), p.dense_rank, p.lexical_rank) for p in retriever.retrieve(question)]


@pytest.fixture()
def store_copy(sample_store: Path, tmp_path: Path) -> ChromaStore:
    shutil.copytree(sample_store, tmp_path / "store", ignore=shutil.ignore_patterns("cache"))
    return ChromaStore.open(tmp_path / "store")


def test_dense_candidates_are_chromas_nearest_passages(sample_store: Path) -> None:
    store = ChromaStore.open(sample_store)
    retriever = HybridRetriever(store, get_embedder(), RetrievalSettings())
    snap = retriever._snapshot
    everything = [d.doc_id for d in snap.documents]
    for question in QUESTIONS:
        vector = get_embedder().embed_query(question)
        rows = _top_rows(snap.vectors @ vector, snap.allowed(everything), 10)
        assert [snap.chunks[r].chunk_id for r in rows] == [c.chunk_id for c, _ in store.dense_search(vector, 10, everything)]
        one = [snap.documents[0].doc_id]
        rows = _top_rows(snap.vectors @ vector, snap.allowed(one), 5)
        assert {snap.chunks[r].doc_id for r in rows} == set(one)


def test_top_rows_keeps_ties_in_reading_order_and_respects_the_mask() -> None:
    similarity = np.array([0.5, 0.9, 0.9, 0.1, 0.9], dtype=np.float32)
    allowed = np.array([True, True, True, True, False])
    assert _top_rows(similarity, allowed, 2) == [1, 2]
    assert _top_rows(similarity, allowed, 10) == [1, 2, 0, 3]
    assert _top_rows(similarity, np.zeros(5, dtype=bool), 3) == [] and _top_rows(similarity, allowed, 0) == []


def test_cached_tokens_give_the_same_retrieval_and_spare_jieba(store_copy: ChromaStore, monkeypatch) -> None:
    uncached = ChromaStore.open(Path(store_copy.location))
    uncached.cache_dir = None
    expected = {q: _ranked(HybridRetriever(uncached, get_embedder(), RetrievalSettings()), q) for q in QUESTIONS}

    first = HybridRetriever(store_copy, get_embedder(), RetrievalSettings())  # tokenizes and writes the cache
    folder = Path(store_copy.location) / "cache" / "lexical" / dictionary_fingerprint()
    assert len(list(folder.glob("*.json"))) == len(first.documents)
    assert {q: _ranked(first, q) for q in QUESTIONS} == expected

    calls = []
    monkeypatch.setattr(retrieve, "tokenize", lambda text: calls.append(text) or [])
    second = HybridRetriever(store_copy, get_embedder(), RetrievalSettings())  # every report from the cache
    assert calls == []
    assert {q: _ranked(second, q) for q in QUESTIONS} == expected


def test_a_removed_report_or_a_new_dictionary_retires_cached_tokens(store_copy: ChromaStore, monkeypatch) -> None:
    retriever = HybridRetriever(store_copy, get_embedder(), RetrievalSettings())
    root = Path(store_copy.location) / "cache" / "lexical"
    removed = retriever.documents[0]
    assert store_copy.remove_document(removed.name)
    retriever.refresh()
    [folder] = root.iterdir()
    assert f"{removed.doc_id}.json" not in {p.name for p in folder.iterdir()}

    # A new place name in the library changes jieba's dictionary: tokens cached under the old one may differ.
    monkeypatch.setattr(retrieve, "dictionary_fingerprint", lambda: "another-dictionary")
    retriever.refresh()
    assert [p.name for p in root.iterdir()] == ["another-dictionary"]
    assert len(list((root / "another-dictionary").glob("*.json"))) == len(retriever.documents)


def test_a_start_reads_the_cached_library_until_a_report_is_removed_or_added(store_copy: ChromaStore,
                                                                            monkeypatch) -> None:
    expected = {q: _ranked(HybridRetriever(store_copy, get_embedder(), RetrievalSettings()), q) for q in QUESTIONS}
    root = Path(store_copy.location) / "cache" / "library"
    [built] = root.iterdir()

    reads = []
    real_read = ChromaStore.chunks_and_vectors
    monkeypatch.setattr(ChromaStore, "chunks_and_vectors", lambda self, *a: reads.append(1) or real_read(self, *a))
    again = HybridRetriever(store_copy, get_embedder(), RetrievalSettings())
    assert reads == []  # passages, vectors and BM25 index all from the cache
    assert {q: _ranked(again, q) for q in QUESTIONS} == expected

    removed = again.documents[0]
    assert store_copy.remove_document(removed.name)
    again.refresh()
    assert reads == [1] and [p.name for p in root.iterdir()] != [built.name]
    assert all(p.chunk.doc_id != removed.doc_id for q in QUESTIONS for p in again.retrieve(q))

    ingest_paths([REPORTS / removed.name], store_copy, get_embedder())
    again.refresh()
    assert reads == [1, 1] and {q: _ranked(again, q) for q in QUESTIONS} == expected
    HybridRetriever(store_copy, get_embedder(), RetrievalSettings())
    assert reads == [1, 1]  # the rebuilt cache serves the next start
