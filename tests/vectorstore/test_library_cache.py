"""The on-disk cache of the searched library: a round trip, and a new folder whenever the committed reports change."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np

from vectorstore.lexical import LexicalIndex
from vectorstore.library_cache import CachedLibrary, library_fingerprint, load_library, save_library
from vectorstore.records import StoredChunk, StoredDocument, StoredFact


def _document(name: str, doc_id: str, n_chunks: int = 2) -> StoredDocument:
    return StoredDocument(doc_id=doc_id, name=name, title=f"{name}政府工作报告", headline="", source_format="txt",
                          n_chunks=n_chunks, n_chars=100, added_at="2025-01-01T00:00:00", region="某某市", year=2024)


def _library() -> CachedLibrary:
    texts = ["地区生产总值增长6.5%左右。", "粮食总产量90亿斤以上。", "金融业增加值1302.9亿元。"]
    chunks = [StoredChunk(chunk_id=f"d1:{i:05d}", doc_id="d1", doc="a.txt", index=i, start=10 * i, end=10 * i + 9,
                          text=t, header="某某市 2024 政府工作报告", section="一、回顾", title="某某市政府工作报告",
                          region="某某市", year=2024, period_year=None if i else 2023) for i, t in enumerate(texts)]
    vectors = np.random.default_rng(0).standard_normal((3, 4)).astype(np.float32)
    facts = [StoredFact(fact_id="d1:f0", doc_id="d1", doc="a.txt", indicator="地区生产总值", indicator_norm="地区生产总值",
                        measure="growth", value=6.5, unit="%", text="6.5%左右", reading="target", start=7, end=12,
                        sentence_start=0, sentence_end=15, place="某某市", report_year=2024, period_year=2024,
                        qualifier="左右"),
             StoredFact(fact_id="d1:f1", doc_id="d1", doc="a.txt", indicator="金融业增加值", indicator_norm="金融业增加值",
                        measure="amount", value=1.3029e11, unit="元", text="1302.9亿元", reading="result", start=26,
                        end=33, sentence_start=20, sentence_end=34)]
    fact_vectors = np.random.default_rng(1).standard_normal((2, 4)).astype(np.float32)
    return CachedLibrary(chunks, vectors, LexicalIndex.build((c.chunk_id, c.indexed_text) for c in chunks),
                         LexicalIndex.build((c.chunk_id, c.text) for c in chunks), facts, fact_vectors)


def test_a_cached_library_loads_back_as_it_was(tmp_path: Path) -> None:
    library = _library()
    save_library(tmp_path, "f1", library)
    loaded = load_library(tmp_path, "f1")
    assert loaded is not None
    assert loaded.chunks == library.chunks
    assert np.array_equal(loaded.vectors, library.vectors)
    assert loaded.lexical.search("粮食总产量", 3) == library.lexical.search("粮食总产量", 3)
    assert loaded.passage_lexical.search("金融业", 3) == library.passage_lexical.search("金融业", 3)
    assert loaded.facts == library.facts  # the facts too: a start need not read them back from Chroma
    assert np.array_equal(loaded.fact_vectors, library.fact_vectors)
    assert load_library(tmp_path, "another") is None


def test_adding_removing_or_replacing_a_report_or_a_new_dictionary_changes_the_fingerprint() -> None:
    one, two = _document("a.txt", "d1"), _document("b.txt", "d2")
    base = library_fingerprint([one, two], "dict")
    assert library_fingerprint([two, one], "dict") == base  # order of listing does not matter
    changed = [library_fingerprint([one], "dict"), library_fingerprint([one, two, _document("c.txt", "d3")], "dict"),
               library_fingerprint([one, replace(two, doc_id="d2-new")], "dict"),
               library_fingerprint([one, replace(two, added_at="2025-02-01T00:00:00")], "dict"),
               library_fingerprint([one, two], "another dictionary")]
    assert base not in changed and len(set(changed)) == len(changed)


def test_a_new_fingerprint_retires_the_old_cache(tmp_path: Path) -> None:
    save_library(tmp_path, "old", _library())
    save_library(tmp_path, "new", _library())
    assert [p.name for p in (tmp_path / "library").iterdir()] == ["new"]
    assert load_library(tmp_path, "old") is None and load_library(tmp_path, "new") is not None


def test_a_damaged_cache_is_ignored(tmp_path: Path) -> None:
    save_library(tmp_path, "f1", _library())
    (tmp_path / "library" / "f1" / "chunks.json").write_text("{not json", encoding="utf-8")
    assert load_library(tmp_path, "f1") is None
