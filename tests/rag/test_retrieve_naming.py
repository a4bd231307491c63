"""Which passages name a place: one search over the passages' joined text, mapped back to their rows."""
from __future__ import annotations

from rag.retrieve import _Snapshot, joined_texts
from vectorstore.records import StoredChunk


def _snapshot(texts: list[str]) -> _Snapshot:
    chunks = [StoredChunk(f"d:{i}", "d", "r.txt", i, 0, len(t), t, "", "", "") for i, t in enumerate(texts)]
    return _Snapshot(chunks=chunks, **joined_texts(chunks))


def test_every_passage_naming_a_place_is_found_however_often_it_names_it() -> None:
    snapshot = _snapshot(["中原区新建学校3所，中原区新增绿地", "金水区", "惠济区和中原区", "二七区"])
    assert snapshot.naming(["中原区"]).tolist() == [True, False, True, False]
    assert snapshot.naming(["二七区", "金水区"]).tolist() == [False, True, False, True]


def test_a_name_split_between_two_passages_names_neither() -> None:
    snapshot = _snapshot(["城市更新覆盖中原", "区的老旧小区"])
    assert not snapshot.naming(["中原区"]).any()


def test_no_words_or_no_passages_name_nothing() -> None:
    assert _snapshot(["中原区"]).naming([]).tolist() == [False]
    assert _snapshot([]).naming(["中原区"]).tolist() == []
