"""Bad files through ingest: each refused with its reason, and the store exactly as it was —
same documents, same passages, same answers."""
from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from pypdf import PdfWriter

from rag.chain import QAService
from rag.ingest import ingest_paths, ingest_upload
from rag.settings import Settings
from tests.conftest import REPORTS
from vectorstore.chroma_store import ChromaStore
from vectorstore.embedder import get_embedder

pytestmark = pytest.mark.slow

SMALL = REPORTS / "002_6329ad5c93bd51e8.txt"
QUESTION = "新乡计划打造几条百亿级农业产业链？"


def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", b"0" * (300 * 1024 * 1024))
    return buffer.getvalue()


def _encrypted_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="secret", owner_password="owner", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


BAD_FILES: dict[str, bytes] = {
    "empty.txt": b"",
    "binary.txt": bytes(range(256)) * 40,
    "mixed-encodings.txt": "郑州市".encode("utf-8") + bytes([0xFF, 0xFE, 0x00, 0x81]) * 500 + "新乡".encode("gb18030"),
    "truncated.pdf": b"%PDF-1.7\n1 0 obj << /Type /Catalog",
    "encrypted.pdf": _encrypted_pdf(),
    "not-a-zip.docx": "这不是一个 docx 文件".encode(),
    "bomb.docx": _zip_bomb(),
    "picture.png": b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
}


@pytest.fixture(scope="module")
def service(tmp_path_factory) -> QAService:
    store_dir = tmp_path_factory.mktemp("bad-input-store")
    [outcome] = ingest_paths([SMALL], ChromaStore.open(store_dir), get_embedder())
    assert outcome.status == "added"
    return QAService.open(Settings.from_env(store_dir))


def _snapshot(service: QAService) -> tuple:
    service.refresh()
    answer = service.ask(QUESTION)
    return ([(d.name, d.doc_id, d.n_chunks) for d in service.store.documents()],
            sorted((c.chunk_id, c.text) for c in service.store.chunks()),
            service.store.count_chunks(), answer.answer)


def test_a_folder_of_bad_files_is_refused_file_by_file_and_the_store_is_unchanged(service, tmp_path):
    folder = tmp_path / "bad"
    folder.mkdir()
    for name, data in BAD_FILES.items():
        (folder / name).write_bytes(data)
    before = _snapshot(service)
    outcomes = ingest_paths([folder], service.store, service.embedder)
    refused = {Path(o.name).name: o.reason for o in outcomes if o.status == "refused"}
    # picture.png is not a report type, so walking the folder skips it rather than refusing it.
    assert set(refused) == set(BAD_FILES) - {"picture.png"}
    assert all(refused.values())
    assert refused["encrypted.pdf"] == "PDF 已加密，无法读取"
    assert refused["bomb.docx"] == "docx 解压后过大，疑似压缩炸弹"
    assert _snapshot(service) == before


def test_an_oversized_file_is_refused_by_the_size_limit_without_being_read(service, tmp_path):
    huge = tmp_path / "huge.txt"
    with huge.open("wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB on paper, nothing on disk
    before = _snapshot(service)
    [outcome] = ingest_paths([huge], service.store, service.embedder, max_bytes=50 * 1024 * 1024)
    assert outcome.status == "refused" and "文件过大" in outcome.reason
    assert _snapshot(service) == before


@pytest.mark.parametrize("name", ["../escape.txt", "a/b.txt", "bad\x07name.txt", ".."])
def test_an_upload_with_a_hostile_name_is_refused(service, name):
    before = _snapshot(service)
    outcome = ingest_upload(name, "郑州市政府工作报告。".encode(), service.store, service.embedder)
    assert outcome.status == "refused" and outcome.reason == "文件名不合法"
    assert _snapshot(service) == before


def test_a_duplicate_under_a_new_name_is_refused(service):
    before = _snapshot(service)
    outcome = ingest_upload("新乡-副本.txt", SMALL.read_bytes(), service.store, service.embedder)
    assert outcome.status == "refused" and SMALL.name in outcome.reason
    assert _snapshot(service) == before
