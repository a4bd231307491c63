"""Fusion details of the retriever that need no store: each search's lead kept, years a plan implies, plain tokens."""
from __future__ import annotations

from rag.retrieve import RetrievedPassage, _passage_index, keep_leads, written_years
from vectorstore.lexical import tokenize
from vectorstore.records import StoredChunk


def _chunk(i: int, text: str = "x", header: str = "") -> StoredChunk:
    return StoredChunk(str(i), "d", "d.txt", i, 0, len(text), text, header, "", "")


def _ranked(n: int) -> list[RetrievedPassage]:
    return [RetrievedPassage(_chunk(i), 1 / (i + 1)) for i in range(n)]


def test_the_first_passage_of_a_search_buried_by_fusion_is_kept_at_the_end_of_the_head():
    kept = keep_leads(_ranked(10), {"8"}, 5)
    assert [p.chunk.chunk_id for p in kept[:5]] == ["0", "1", "2", "3", "8"]
    assert sorted(p.chunk.chunk_id for p in kept) == [str(i) for i in range(10)]


def test_leads_already_in_the_head_change_nothing():
    ranked = _ranked(8)
    assert keep_leads(ranked, {"0", "4"}, 5) == ranked


def test_a_five_year_plan_named_gives_no_year_to_boost_but_a_year_written_does():
    plan = (2021, 2022, 2023, 2024, 2025)
    assert written_years("按湖南省数字经济十四五规划，5G基站要建到多少个？", plan) == ()
    assert written_years("“十四五”期间，到2025年5G基站要建到多少个？", plan) == (2025,)
    assert written_years("2023年和2024年株洲的民间投资各增长多少？", (2023, 2024)) == (2023, 2024)


def test_a_passage_is_searched_by_its_own_words_without_its_header():
    header = "醴陵市（年份未知）通知：关于开展城乡居民医保集中参保缴费工作的通知 > 三、缴费时间"
    texts = ["集中缴费期为2024年9月1日至2024年12月31日。", "（一）线上缴费：通过“湘税社保”微信小程序缴费；"]
    chunks = [_chunk(i, t, header) for i, t in enumerate(texts)]
    index = _passage_index(chunks, [tokenize(c.indexed_text) for c in chunks])
    for chunk in chunks:
        assert tokenize(chunk.indexed_text)[len(tokenize(header)):] == tokenize(chunk.text)
    # The header's words ("醴陵", "通知") are in no passage's own text.
    assert index.search("醴陵 通知", 5) == []
    assert index.search("集中缴费期是什么时候", 5)[0][0] == "0"
