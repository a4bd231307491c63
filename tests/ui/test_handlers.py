"""The app's handlers without a browser: streaming answers into the chat, and upload progress."""
from __future__ import annotations

from collections.abc import Iterator
from types import SimpleNamespace

import numpy as np
import pytest

from rag.records import Answer, ChatSession
from rag.retrieve import SearchFilters
from ui.app import UPLOAD_PROGRESS_SLICE, ChatApp, ReportingEmbedder


def _answer(text: str) -> Answer:
    return Answer(question="q", standalone_question="q", answer=text, refused=False, citations=(), retrieved=(),
                  latency_ms=1.0)


class FakeService:
    """A QAService stand-in whose ask_stream yields the given pieces, then the answer."""

    def __init__(self, pieces: list[str], final: str) -> None:
        self.pieces, self.final = pieces, final
        self.retriever = SimpleNamespace(documents=[])
        self.asked: list[tuple[str, SearchFilters]] = []

    def refresh_if_changed(self) -> bool:
        return False

    def ask_stream(self, question: str, session: ChatSession, filters: SearchFilters) -> Iterator[str | Answer]:
        self.asked.append((question, filters))
        yield from self.pieces
        yield _answer(self.final)


def _chats(service: FakeService, question: str = "郑州2020年金融业增加值多少？") -> list[str]:
    return [chat for chat, _, _ in ChatApp(service).ask(question, None, ["郑州市"], [2020], [])]


def test_a_one_piece_answer_is_shown_in_steps_ending_with_the_verified_text() -> None:
    service = FakeService(["**1302.9亿元**[3]"], "**1302.9亿元**[1] 金融业增加值完成1302.9亿元。[1]")
    chats = _chats(service)
    assert "正在检索" in chats[0]
    assert len(chats) > 3, "shown in several steps"
    assert all("[3]" not in c for c in chats), "the draft's passage numbers are never shown"
    assert "gq-done" in chats[-1] and "金融业增加值完成1302.9亿元。" in chats[-1]
    assert service.asked == [("郑州2020年金融业增加值多少？", SearchFilters(regions=("郑州市",), years=(2020,)))]


def test_a_streaming_generator_is_shown_as_it_writes_then_replaced_by_the_verified_answer() -> None:
    service = FakeService(["金融业", "增加值", "完成1302.9亿元[2]"], "金融业增加值完成1302.9亿元。[1]")
    chats = _chats(service)
    assert any("gq-drafting" in c and "金融业增加值" in c for c in chats[1:-1])
    assert "gq-drafting" not in chats[-1] and "gq-done" in chats[-1]


def test_an_empty_question_changes_nothing() -> None:
    service = FakeService([], "")
    assert len(list(ChatApp(service).ask("  ", None, [], [], []))) == 1
    assert service.asked == []


class FakeEmbedder:
    """One-dimensional 'vectors': each text's length, so order is easy to check."""

    dimension = 1

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        return np.array([[float(len(t))] for t in texts], dtype=np.float32).reshape(len(texts), 1)


def test_upload_slices_are_reported_and_vectors_stay_in_order() -> None:
    texts = ["x" * (i + 1) for i in range(UPLOAD_PROGRESS_SLICE * 2 + 3)]
    seen: list[tuple[int, int]] = []
    vectors = ReportingEmbedder(FakeEmbedder(), lambda done, total: seen.append((done, total))).embed_passages(texts)
    assert vectors[:, 0].tolist() == [float(len(t)) for t in texts]
    total = len(texts)
    assert seen == [(UPLOAD_PROGRESS_SLICE, total), (2 * UPLOAD_PROGRESS_SLICE, total), (total, total)]


def test_the_reporting_embedder_is_otherwise_the_embedder() -> None:
    embedder = ReportingEmbedder(FakeEmbedder(), lambda done, total: None)
    assert embedder.dimension == 1
    assert embedder.embed_passages([]).shape == (0, 1)


@pytest.mark.slow
def test_a_question_of_emoji_is_refused_in_the_chat_with_its_reason_and_no_passage(service) -> None:
    chats = [chat for chat, _, _ in ChatApp(service).ask("😀😀🔥🔥", None, [], [], [])]
    assert "gq-done" in chats[-1] and "gq-refused" in chats[-1]
    assert "无法回答" in chats[-1] and "没有文字或数字" in chats[-1]
    assert "gq-nearest" not in chats[-1] and "gq-cites" not in chats[-1]
