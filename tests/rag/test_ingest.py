"""Ingest on a real Chroma store with the real embedder: identity by content, replace, refuse, remove."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from rag.ingest import ingest_paths, ingest_upload, prepare_report
from rag.load import load_report
from rag.retrieve import HybridRetriever
from rag.settings import RetrievalSettings
from tests.conftest import REPORTS
from vectorstore.chroma_store import ChromaStore
from vectorstore.embedder import get_embedder

pytestmark = pytest.mark.slow

SMALL = REPORTS / "002_6329ad5c93bd51e8.txt"  # the 新乡 excerpt: 20 passages, quick to embed


@pytest.fixture()
def store(tmp_path: Path) -> ChromaStore:
    store = ChromaStore.open(tmp_path / "store")
    [outcome] = ingest_paths([SMALL], store, get_embedder())
    assert outcome.status == "added"
    return store


def _state(store: ChromaStore) -> tuple:
    return ([(d.name, d.doc_id, d.n_chunks) for d in store.documents()],
            sorted(c.chunk_id for c in store.chunks()), store.count_chunks())


def test_ingesting_the_same_file_again_changes_nothing(store):
    before = _state(store)
    [outcome] = ingest_paths([SMALL], store, get_embedder())
    assert outcome.status == "unchanged"
    assert _state(store) == before


def test_the_same_content_under_another_name_is_refused(store, tmp_path):
    twin = tmp_path / "copy.txt"
    shutil.copy(SMALL, twin)
    before = _state(store)
    [outcome] = ingest_paths([twin], store, get_embedder())
    assert outcome.status == "refused" and SMALL.name in outcome.reason
    assert _state(store) == before


def test_a_changed_file_replaces_its_old_passages(store, tmp_path):
    old = store.document(SMALL.name)
    changed = tmp_path / SMALL.name
    changed.write_text(SMALL.read_text(encoding="utf-8") + "\n新增一段：全年新建5G基站3000个。\n", encoding="utf-8")
    [outcome] = ingest_paths([changed], store, get_embedder())
    assert outcome.status == "replaced"
    new = store.document(SMALL.name)
    assert new.doc_id != old.doc_id
    assert {c.doc_id for c in store.chunks()} == {new.doc_id}
    assert store.count_chunks() == new.n_chunks
    assert "5G基站3000个" in store.document_text(SMALL.name)


def test_a_folder_with_a_bad_file_ingests_the_good_ones_and_names_the_bad(tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    shutil.copy(SMALL, folder / SMALL.name)
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    store = ChromaStore.open(tmp_path / "store")
    outcomes = {o.name.split("/")[-1]: o for o in ingest_paths([folder], store, get_embedder())}
    assert outcomes[SMALL.name].status == "added"
    assert outcomes["empty.txt"].status == "refused" and outcomes["empty.txt"].reason == "文件为空"
    assert outcomes["binary.txt"].status == "refused" and "二进制" in outcomes["binary.txt"].reason
    assert [d.name for d in store.documents()] == [SMALL.name]


def test_a_refused_upload_leaves_the_store_as_it_was(store):
    before = _state(store)
    outcome = ingest_upload("bad.docx", b"this is not a zip", store, get_embedder())
    assert outcome.status == "refused" and outcome.reason
    assert _state(store) == before


def test_removing_a_report_leaves_no_passage_vector_or_lexical_entry(store):
    retriever = HybridRetriever(store, get_embedder(), RetrievalSettings())
    assert retriever.retrieve("高标准农田")
    assert store.remove_document(SMALL.name)
    assert store.documents() == [] and store.chunks() == [] and store.count_chunks() == 0
    retriever.refresh()
    assert retriever.retrieve("高标准农田") == []
    assert not store.remove_document(SMALL.name)


def test_orphan_chunks_of_an_uncommitted_report_are_invisible_and_collected(store, tmp_path):
    """What a crash between writing chunks and committing the report leaves behind."""
    prepared = prepare_report(load_report(REPORTS / "004_17e2f0721c0fe5d2.txt"))
    vectors = get_embedder().embed_passages([c.indexed_text for c in prepared.chunks[:3]])
    store.write_chunks(prepared.chunks[:3], vectors)
    assert all(c.doc_id != prepared.document.doc_id for c in store.chunks())
    assert store.collect_garbage() == 3
    assert store.count_chunks() == store.document(SMALL.name).n_chunks
