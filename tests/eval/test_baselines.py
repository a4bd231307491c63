"""The langchain-default baseline, with a stand-in store and embedder (no model)."""

from __future__ import annotations

import doctest
import hashlib

import numpy as np
import pytest
from chromadb.errors import NotFoundError

import eval.baselines
from eval.baselines import CHUNK_OVERLAP, CHUNK_SIZE, TOP_K, LangchainDefaultBaseline, split_report
from rag.records import ChatSession
from vectorstore.records import StoredDocument

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
