"""The baselines: langchain-default with a stand-in store and embedder (no model), bm25-plain on report texts."""

from __future__ import annotations

import doctest
import hashlib
from pathlib import Path

import numpy as np
import pytest
from chromadb.errors import NotFoundError

import eval.baselines
from eval.baselines import (
    CHUNK_OVERLAP,
    CHUNK_SIZE,
    PLAIN_CHUNK_SIZE,
    PLAIN_TOP_K,
    TOP_K,
    LangchainDefaultBaseline,
    PlainBM25Baseline,
    split_report,
)
from rag.records import ChatSession
from vectorstore.records import StoredDocument
from tests.conftest import CORPUS_NATIONAL

# The last paragraph has no line break in 2,000 characters: the splitter must cut it mid-line, with overlap.
PARAGRAPHS = [
    "一、过去一年工作回顾\n" + "全年地区生产总值增长6.5%左右，一般公共预算收入增长3%。" * 12,
    "二、今年主要目标\n" + "新建各类博物馆30个、遗址生态文化公园20个。" * 15,
    "三、重点工作\n" + "免费为户籍适龄妇女进行两癌筛查各6万人。" * 100,
]
TEXT = "\n\n".join(PARAGRAPHS)


class FakeStore:
    """The two store calls the baseline makes, over in-memory reports."""

    def __init__(self, texts: dict[str, str]) -> None:
        self.texts = texts

    def documents(self) -> list[StoredDocument]:
        return [
            StoredDocument(doc_id=name, name=name, title=f"{name} 报告", headline="", source_format="txt",
                           n_chunks=0, n_chars=len(text), added_at="2024-01-01", region="新乡市", year=2024)
            for name, text in sorted(self.texts.items())
        ]

    def document_text(self, name: str) -> str | None:
        return self.texts.get(name)


class FakeEmbedder:
    """Hashed character bigrams: texts sharing wording land close together, deterministically."""

    def _vector(self, text: str) -> np.ndarray:
        vector = np.zeros(256, dtype=np.float32)
        for a, b in zip(text, text[1:]):
            vector[hashlib.md5((a + b).encode()).digest()[0]] += 1.0
        return vector / (np.linalg.norm(vector) or 1.0)

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.stack([self._vector(t) for t in texts])

    def embed_query(self, text: str) -> np.ndarray:
        return self._vector(text)


def test_split_report_offsets_point_into_the_text_and_chunks_overlap() -> None:
    passages = split_report("d.txt", TEXT)
    assert len(passages) >= 4
    for passage in passages:
        assert TEXT[passage.start : passage.end] == passage.text
        assert 0 < len(passage.text) <= CHUNK_SIZE
    starts = [p.start for p in passages]
    assert starts == sorted(starts) and starts[0] == 0
    assert passages[-1].end == len(TEXT)
    overlaps = [before.end - after.start for before, after in zip(passages, passages[1:])]
    assert max(overlaps) > 0 and max(overlaps) <= CHUNK_OVERLAP


@pytest.fixture
def baseline():
    texts = {"a.txt": TEXT, "b.txt": "新乡市粮食总产量稳定在百亿斤以上。\n\n" + "推进高标准农田建设。" * 60}
    made = LangchainDefaultBaseline(FakeStore(texts), FakeEmbedder())
    yield made, texts
    made.close()


def test_baseline_answers_with_its_top_passage_and_never_refuses(baseline) -> None:
    made, texts = baseline
    record = made.ask("今年要新建多少个博物馆？", ChatSession(), "q13")
    assert record["id"] == "q13" and record["standalone_question"] == "今年要新建多少个博物馆？"
    assert record["refused"] is False
    retrieved = record["retrieved"]
    assert len(retrieved) == TOP_K
    for passage in retrieved:
        assert texts[passage["doc"]][passage["start"] : passage["end"]] == passage["text"]
    assert [p["score"] for p in retrieved] == sorted((p["score"] for p in retrieved), reverse=True)
    assert record["answer"] == retrieved[0]["text"]
    assert "博物馆" in record["answer"]
    [citation] = record["citations"]
    assert (citation["n"], citation["doc"], citation["start"], citation["end"]) == \
        (1, retrieved[0]["doc"], retrieved[0]["start"], retrieved[0]["end"])
    assert citation["title"] == f"{citation['doc']} 报告" and citation["year"] == 2024
    assert record["latency_ms"] >= 0


def test_baseline_ignores_the_conversation(baseline) -> None:
    made, _ = baseline
    session = ChatSession()
    first = made.ask("粮食总产量是多少？", session, "t1")
    again = made.ask("粮食总产量是多少？", session, "t2")
    assert first["retrieved"] == again["retrieved"]
    assert session.turns == []


def test_close_drops_the_collection() -> None:
    made = LangchainDefaultBaseline(FakeStore({"a.txt": TEXT}), FakeEmbedder())
    made.close()
    with pytest.raises(NotFoundError):
        made.ask("博物馆", ChatSession(), "x")


def test_docstring_examples() -> None:
    result = doctest.testmod(eval.baselines)
    assert result.attempted > 0 and result.failed == 0


# --- bm25-plain ------------------------------------------------------------------------------

def stored(name: str, text: str, region: str | None, year: int | None = 2024) -> tuple[StoredDocument, str]:
    """A report as the store lists it (a real record), with its canonical text."""
    return (StoredDocument(doc_id=name, name=name, title=f"{region or '某地'}政府工作报告", headline="",
                           source_format="txt", n_chunks=0, n_chars=len(text), added_at="2024-01-01",
                           region=region, year=year), text)


# Made-up reports of two places: the same indicator in both, so only the plain words tell them apart.
QINGSHAN = ("一、2023年工作回顾\n全年地区生产总值增长6.1%。粮食总产量达到58.3万吨。新建城市公园12个。\n\n"
            "二、2024年主要目标\n地区生产总值增长6%左右；城镇新增就业3.2万人以上；居民收入增长与经济增长同步。\n\n"
            + "三、重点工作\n" + "持续优化营商环境，深化放管服改革。" * 40)
BAISHA = ("一、过去一年\n白沙市地区生产总值增长5.2%。实际利用外资4.6亿美元。\n\n"
          + "二、今年安排\n" + "推进乡村振兴，建设高标准农田。" * 40)


@pytest.fixture(scope="module")
def plain() -> PlainBM25Baseline:
    return PlainBM25Baseline([stored("qingshan.txt", QINGSHAN, "青山市"), stored("baisha.txt", BAISHA, "白沙市")])


def test_plain_passages_are_about_400_characters_without_header_or_overlap(plain) -> None:
    texts = {"qingshan.txt": QINGSHAN, "baisha.txt": BAISHA}
    for before, after in zip(plain.passages, plain.passages[1:]):
        if before.doc == after.doc:
            assert after.start >= before.end  # no overlap
    for passage in plain.passages:
        assert texts[passage.doc][passage.start : passage.end] == passage.text  # the report's own text only
        assert 0 < len(passage.text) <= PLAIN_CHUNK_SIZE


def test_plain_answers_with_the_top_passages_best_sentence_and_cites_it(plain) -> None:
    record = plain.ask("粮食总产量达到多少？", ChatSession(), "q1")
    assert record["refused"] is False
    assert record["answer"] == "粮食总产量达到58.3万吨。"
    [cited] = record["citations"]
    assert (cited["doc"], cited["region"], cited["quote"]) == ("qingshan.txt", "青山市", record["answer"])
    assert QINGSHAN[cited["quote_start"] : cited["quote_end"]] == record["answer"]
    assert record["retrieved"][0]["doc"] == cited["doc"] and record["retrieved"][0]["start"] == cited["start"]
    assert len(record["retrieved"]) == min(PLAIN_TOP_K, len(plain.passages))


def test_plain_reads_no_place_from_the_question(plain) -> None:
    # Asked about 白沙, plain BM25 still ranks by words alone: 白沙's passage names 白沙市, so it wins here…
    assert plain.ask("白沙市地区生产总值增长多少？", ChatSession(), "q2")["citations"][0]["doc"] == "baisha.txt"
    # …but nothing scopes a question to a place the words do not favour (no header, no region filter).
    record = plain.ask("白沙2024年城镇新增就业目标是多少？", ChatSession(), "q3")
    assert record["citations"][0]["doc"] == "qingshan.txt"


def test_plain_refuses_only_when_no_passage_shares_a_word(plain) -> None:
    record = plain.ask("Zyxw？", ChatSession(), "q4")
    assert record["refused"] is True and record["citations"] == []
    # A question the reports do not answer still gets the best passage when it shares a word ("增长").
    assert plain.ask("航天发射次数增长多少？", ChatSession(), "q5")["refused"] is False


def test_plain_keeps_its_own_dictionary_whatever_words_govqa_teaches_jieba() -> None:
    from vectorstore.lexical import add_words

    before = PlainBM25Baseline([stored("a.txt", QINGSHAN, "青山市")]).tokens("青山市城镇新增就业")
    add_words(["城镇新增就业"])  # what govqa's lexical index does with its user dictionary
    after = PlainBM25Baseline([stored("a.txt", QINGSHAN, "青山市")]).tokens("青山市城镇新增就业")
    assert before == after and "城镇新增就业" not in after


def test_plain_over_a_national_report() -> None:
    from rag.ingest import prepare_report
    from rag.load import load_report

    national = CORPUS_NATIONAL / "2024_国务院.txt"
    text = prepare_report(load_report(national)).text
    baseline = PlainBM25Baseline([stored("2024_国务院.txt", text, "全国")])
    record = baseline.ask("2024年赤字率拟按多少安排？", ChatSession(), "n1")
    assert "3%" in record["answer"] and record["citations"][0]["region"] == "全国"
    assert text[record["citations"][0]["start"] : record["citations"][0]["end"]] == record["citations"][0]["text"]
