"""Baselines `govqa eval --compare` sets beside govqa: plain recipes, for comparison only.

**langchain-default**, the RAG recipe most users start from:
RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) with its default separators over each stored report's canonical text, the passages embedded with the same
embedder as govqa into a separate in-memory Chroma collection, dense retrieval of the top 4,
and the top passage's text as the answer (it never refuses), citing that passage. No
context header, no places or years read from the question, no follow-up condensing: a
follow-up is searched as it was typed.

**bm25-plain**, the plain lexical baseline: the same splitter at ~400 characters without
overlap over each report's canonical text, no context header, jieba's own dictionary
(precise mode, none of govqa's added words or stop words) and rank_bm25's Okapi BM25, no
places or years read from the question. It answers with the best sentence (most summed
idf of the question's tokens) of the top passage and cites that passage, so its answers
are scored like govqa's sentence answers; it refuses only when no passage shares a token
with the question.

Usage::

    baseline = LangchainDefaultBaseline(store, embedder)   # embeds every passage (slow)
    plain = PlainBM25Baseline.from_store(store)            # tokenizes every passage (seconds)
    try:
        record = baseline.ask("郑州2020年金融业增加值多少？", ChatSession(), "q041")
    finally:
        baseline.close()
"""

from __future__ import annotations

import functools
import re
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import chromadb
import jieba
from chromadb.config import Settings as ChromaSettings
from langchain_text_splitters import RecursiveCharacterTextSplitter
from rank_bm25 import BM25Okapi

from rag.records import ChatSession
from vectorstore.chroma_store import ChromaStore, E5EmbeddingFunction
from vectorstore.embedder import Embedder
from vectorstore.records import StoredDocument

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
TOP_K = 4
PLAIN_CHUNK_SIZE = 400
PLAIN_TOP_K = 10
PLAIN_REFUSAL = "报告中没有找到与问题相关的内容。"
# A sentence ends at 。！？； or a line break (the reports' own punctuation); the mark stays with it.
_SENTENCE = re.compile(r"[^。！？；!?;\n]+[。！？；!?;]?")
# A token worth matching has a letter, a digit or a Chinese character: punctuation and spaces are not words.
_WORD = re.compile(r"[0-9A-Za-z\u4e00-\u9fff]")


@dataclass(frozen=True)
class BaselinePassage:
    """A splitter chunk: ``text`` is exactly ``canonical_text[start:end]`` of report ``doc``."""

    doc: str
    start: int
    end: int
    text: str


def split_report(name: str, text: str, chunk_size: int = CHUNK_SIZE,
                 chunk_overlap: int = CHUNK_OVERLAP) -> list[BaselinePassage]:
    """Split one report's canonical text with LangChain's default splitter, keeping offsets.

    Example:
        >>> passages = split_report("d.txt", "第一段。" * 400)
        >>> [(p.start, p.end) for p in passages][:2]
        [(0, 1000), (800, 1600)]
        >>> [(p.start, p.end) for p in split_report("d.txt", "第一段。" * 400, 400, 0)][:2]
        [(0, 400), (400, 800)]
    """
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=chunk_size, chunk_overlap=chunk_overlap, add_start_index=True
    )
    passages = []
    for piece in splitter.create_documents([text]):
        start = piece.metadata["start_index"]
        end = start + len(piece.page_content)
        # The offsets are the contract the metrics and the report rely on; the splitter finds
        # them by searching, so check them rather than trust them.
        if text[start:end] != piece.page_content:
            raise RuntimeError(f"{name}: 分段偏移与原文不符（start={start}）")
        passages.append(BaselinePassage(name, start, end, piece.page_content))
    return passages


class LangchainDefaultBaseline:
    """The langchain-default recipe over the reports of ``store``; answers like ``QAService.ask(...).to_json()``."""

    def __init__(self, store: ChromaStore, embedder: Embedder) -> None:
        """Split and embed every stored report into a fresh in-memory collection."""
        self._embedder = embedder
        self._documents: dict[str, StoredDocument] = {d.name: d for d in store.documents()}
        self._passages = [
            passage
            for name in self._documents
            for passage in split_report(name, store.document_text(name) or "")
        ]
        self._client = chromadb.EphemeralClient(settings=ChromaSettings(anonymized_telemetry=False))
        # In-memory collections of one process share a namespace: a unique name keeps two runs apart.
        self._name = f"langchain-default-{uuid.uuid4().hex}"
        # Cosine on normalised vectors ranks exactly as Chroma's default L2 does; it also gives a readable score.
        self._collection = self._client.create_collection(
            self._name, configuration={"hnsw": {"space": "cosine"}}, embedding_function=E5EmbeddingFunction()
        )
        vectors = embedder.embed_passages([p.text for p in self._passages])
        for begin in range(0, len(self._passages), 256):
            self._collection.add(
                ids=[str(i) for i in range(begin, min(begin + 256, len(self._passages)))],
                embeddings=vectors[begin : begin + 256],
            )

    @property
    def passages(self) -> list[BaselinePassage]:
        """Every indexed passage, in report and reading order."""
        return list(self._passages)

    def ask(self, question: str, session: ChatSession, answer_id: str | None) -> dict[str, Any]:
        """Answer with the top passage; ``session`` is ignored (the recipe has no chat memory)."""
        started = time.perf_counter()
        got = self._collection.query(
            query_embeddings=[self._embedder.embed_query(question)],
            n_results=min(TOP_K, len(self._passages)),
            include=["distances"],
        )
        hits = [(self._passages[int(i)], 1.0 - float(d)) for i, d in zip(got["ids"][0], got["distances"][0])]
        latency_ms = (time.perf_counter() - started) * 1000
        top = hits[0][0] if hits else None
        # The whole passage is the answer, so it is its own supporting quote.
        citations = [_citation(self._documents[top.doc], top, top.start, top.end)] if top else []
        return _record(answer_id, question, top.text if top else "", False, citations, hits, latency_ms)

    def close(self) -> None:
        """Drop the in-memory collection."""
        self._client.delete_collection(self._name)


def _citation(document: StoredDocument, passage: BaselinePassage, quote_start: int, quote_end: int) -> dict[str, Any]:
    """Citation 1 of a baseline's answer: ``passage``, its quote at the given offsets of the report."""
    return {
        "n": 1, "doc": passage.doc, "start": passage.start, "end": passage.end, "text": passage.text,
        "quote": passage.text[quote_start - passage.start : quote_end - passage.start],
        "quote_start": quote_start, "quote_end": quote_end,
        "title": document.title, "region": document.region, "year": document.year, "section": "",
    }


def _record(answer_id: str | None, question: str, answer: str, refused: bool, citations: list[dict[str, Any]],
            hits: Sequence[tuple[BaselinePassage, float]], latency_ms: float) -> dict[str, Any]:
    """A baseline's answer in the format of DESIGN.md; the question is its own standalone form (no chat memory)."""
    return {
        "id": answer_id,
        "question": question,
        "standalone_question": question,
        "answer": answer,
        "refused": refused,
        "citations": citations,
        "retrieved": [
            {"doc": p.doc, "start": p.start, "end": p.end, "text": p.text, "score": round(score, 6)}
            for p, score in hits
        ],
        "latency_ms": round(latency_ms, 1),
    }


@functools.lru_cache(maxsize=1)
def _plain_tokenizer() -> jieba.Tokenizer:
    """A jieba tokenizer of its own: the words govqa adds to jieba's default one never reach it."""
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the sentences of ``text``, white space at their edges left out.

    Example:
        >>> text = "一、目标\\n经济增长5%左右；粮食产量稳定。"
        >>> [text[s:e] for s, e in sentence_spans(text)]
        ['一、目标', '经济增长5%左右；', '粮食产量稳定。']
    """
    spans = []
    for match in _SENTENCE.finditer(text):
        piece = match.group()
        start = match.start() + len(piece) - len(piece.lstrip())
        end = match.end() - (len(piece) - len(piece.rstrip()))
        if start < end:
            spans.append((start, end))
    return spans


class PlainBM25Baseline:
    """bm25-plain over (document record, canonical text) pairs; answers like ``QAService.ask(...).to_json()``.

    Example:
        >>> from vectorstore.records import StoredDocument
        >>> doc = StoredDocument("h", "a.txt", "某市政府工作报告", "", "txt", 0, 0, "", region="某市", year=2024)
        >>> plain = PlainBM25Baseline([(doc, "一、回顾\\n全年粮食产量达到120万吨。新建公园8个。")])
        >>> record = plain.ask("粮食产量是多少？", ChatSession(), "q1")
        >>> record["answer"], record["citations"][0]["region"]
        ('全年粮食产量达到120万吨。', '某市')
    """

    def __init__(self, reports: Sequence[tuple[StoredDocument, str]]) -> None:
        """Split and tokenize every report with jieba's own dictionary, untouched by govqa's words."""
        self._documents = {document.name: document for document, _ in reports}
        self._passages = [
            passage
            for document, text in reports
            for passage in split_report(document.name, text, PLAIN_CHUNK_SIZE, chunk_overlap=0)
        ]
        self._tokenizer = _plain_tokenizer()
        self._index = BM25Okapi([self.tokens(p.text) for p in self._passages]) if self._passages else None

    @classmethod
    def from_store(cls, store: ChromaStore) -> PlainBM25Baseline:
        """The baseline over every report of ``store`` (its canonical text, not its indexed chunks)."""
        return cls([(document, store.document_text(document.name) or "") for document in store.documents()])

    @property
    def passages(self) -> list[BaselinePassage]:
        """Every indexed passage, in report and reading order."""
        return list(self._passages)

    def tokens(self, text: str) -> list[str]:
        """jieba's precise-mode words of ``text``, lower-cased, without punctuation and white space."""
        return [word.lower() for word in self._tokenizer.lcut(text) if _WORD.search(word)]

    def ask(self, question: str, session: ChatSession, answer_id: str | None) -> dict[str, Any]:
        """Answer with the top passage's best sentence; ``session`` is ignored (no chat memory)."""
        started = time.perf_counter()
        query = self.tokens(question)
        hits: list[tuple[BaselinePassage, float]] = []
        if self._index is not None:
            scores = self._index.get_scores(query)
            order = sorted(range(len(scores)), key=lambda i: -scores[i])[:PLAIN_TOP_K]
            hits = [(self._passages[i], float(scores[i])) for i in order]
        if not hits or not set(query) & self._index.idf.keys():
            return _record(answer_id, question, PLAIN_REFUSAL, True, [], hits,
                           (time.perf_counter() - started) * 1000)
        top = hits[0][0]
        start, end = self._best_sentence(top, set(query), self._index.idf)
        citation = _citation(self._documents[top.doc], top, top.start + start, top.start + end)
        return _record(answer_id, question, top.text[start:end], False, [citation], hits,
                       (time.perf_counter() - started) * 1000)

    def _best_sentence(self, passage: BaselinePassage, query: set[str], idf: dict[str, float]) -> tuple[int, int]:
        """Offsets in ``passage.text`` of its sentence with the most summed idf of query tokens (the first on ties)."""
        spans = sentence_spans(passage.text) or [(0, len(passage.text))]
        # rank_bm25's idf can be ≤ 0 in a tiny library (a word in every passage); a shared word still counts a little.
        weights = [sum(max(idf.get(token, 0.0), 1e-6) for token in query & set(self.tokens(passage.text[s:e])))
                   for s, e in spans]
        return spans[max(range(len(spans)), key=lambda i: (weights[i], -i))]

    def close(self) -> None:
        """Nothing to release: the index lives in this object."""
