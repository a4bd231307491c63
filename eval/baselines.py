"""The `langchain-default` baseline: the RAG recipe most users start from, for comparison only.

RecursiveCharacterTextSplitter(chunk_size=1000, chunk_overlap=200) with its default
separators over each stored report's canonical text, the passages embedded with the same
embedder as govqa into a separate in-memory Chroma collection, dense retrieval of the top 4,
and the top passage's text as the answer (it never refuses), citing that passage. No
context header, no places or years read from the question, no follow-up condensing: a
follow-up is searched as it was typed.

Usage::

    baseline = LangchainDefaultBaseline(store, embedder)   # embeds every passage (slow)
    try:
        record = baseline.ask("郑州2020年金融业增加值多少？", ChatSession(), "q041")
    finally:
        baseline.close()
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from rag.records import ChatSession
from vectorstore.chroma_store import ChromaStore, E5EmbeddingFunction
from vectorstore.embedder import Embedder
from vectorstore.records import StoredDocument

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200
TOP_K = 4


@dataclass(frozen=True)
class BaselinePassage:
    """A splitter chunk: ``text`` is exactly ``canonical_text[start:end]`` of report ``doc``."""

    doc: str
    start: int
    end: int
    text: str


def split_report(name: str, text: str) -> list[BaselinePassage]:
    """Split one report's canonical text the langchain-default way, keeping offsets.

    Example:
        >>> passages = split_report("d.txt", "第一段。" * 400)
        >>> [(p.start, p.end) for p in passages][:2]
        [(0, 1000), (800, 1600)]
    """
    splitter = RecursiveCharacterTextSplitter(
        chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
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
        return {
            "id": answer_id,
            "question": question,
            "standalone_question": question,
            "answer": top.text if top else "",
            "refused": False,
            "citations": [self._citation(top)] if top else [],
            "retrieved": [
                {"doc": p.doc, "start": p.start, "end": p.end, "text": p.text, "score": round(s, 6)}
                for p, s in hits
            ],
            "latency_ms": round(latency_ms, 1),
        }

    def _citation(self, passage: BaselinePassage) -> dict[str, Any]:
        document = self._documents[passage.doc]
        return {
            "n": 1, "doc": passage.doc, "start": passage.start, "end": passage.end, "text": passage.text,
            # The whole passage is the answer, so it is its own supporting quote.
            "quote": passage.text, "quote_start": passage.start, "quote_end": passage.end,
            "title": document.title, "region": document.region, "year": document.year, "section": "",
        }

    def close(self) -> None:
        """Drop the in-memory collection."""
        self._client.delete_collection(self._name)
