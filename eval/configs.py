"""The named configurations `govqa eval --compare` puts side by side, over one store and one embedder.

- ``hybrid`` — govqa as shipped (the default): dense + BM25 fused, places and years read
  from the question, the extractive answerer with verification and refusal.
- ``bm25`` / ``dense`` — the same system with one of the two fused lists weighted 0. The
  other search still runs, but its candidates only fill the list after every scored one.
- ``langchain-default`` — the common starting recipe (see ``eval.baselines``).
- ``bm25-plain`` — jieba BM25 over plain ~400-character passages, best sentence of the top
  one (see ``eval.baselines``): what govqa must never do worse than.

Usage::

    names = parse_compare("bm25,hybrid")          # ValueError (Chinese) for an unknown name
    answerer = CONFIGS["bm25"].build(settings, store, embedder)
    try:
        record = answerer.ask("郑州2020年金融业增加值多少？", ChatSession(), "q041")
    finally:
        answerer.close()
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, Protocol

from eval.baselines import LangchainDefaultBaseline, PlainBM25Baseline
from rag.chain import QAService
from rag.records import ChatSession
from rag.settings import Settings
from vectorstore.chroma_store import ChromaStore
from vectorstore.embedder import Embedder

DEFAULT_CONFIG = "hybrid"


class Answerer(Protocol):
    """Something that answers gold questions with DESIGN.md answer records."""

    def ask(self, question: str, session: ChatSession, answer_id: str | None) -> dict[str, Any]:
        """The answer record for ``question``, asked as the next turn of ``session``."""
        ...

    def close(self) -> None:
        """Release what the answerer holds (temporary collections)."""
        ...


class ServiceAnswerer:
    """A ``QAService`` seen as an ``Answerer``."""

    def __init__(self, service: QAService) -> None:
        self.service = service

    def ask(self, question: str, session: ChatSession, answer_id: str | None) -> dict[str, Any]:
        """``QAService.ask`` in the answer format of DESIGN.md."""
        return self.service.ask(question, session, answer_id=answer_id).to_json()

    def close(self) -> None:
        """Nothing to release: the store and the embedder belong to the caller."""


def _service_config(**retrieval_changes: Any) -> Callable[[Settings, ChromaStore, Embedder], Answerer]:
    def build(settings: Settings, store: ChromaStore, embedder: Embedder) -> Answerer:
        changed = replace(settings, retrieval=replace(settings.retrieval, **retrieval_changes))
        return ServiceAnswerer(QAService(changed, store, embedder))

    return build


@dataclass(frozen=True)
class ConfigSpec:
    """A named configuration: what it is (one Chinese sentence, for the report) and how to build it."""

    name: str
    description: str
    build: Callable[[Settings, ChromaStore, Embedder], Answerer]


CONFIGS: dict[str, ConfigSpec] = {
    spec.name: spec
    for spec in (
        ConfigSpec("bm25", "只用 BM25 词法检索（稠密检索权重为 0），其余与 hybrid 相同。",
                   _service_config(dense_weight=0.0)),
        ConfigSpec("dense", "只用 e5 稠密向量检索（词法检索权重为 0），其余与 hybrid 相同。",
                   _service_config(lexical_weight=0.0)),
        ConfigSpec("hybrid", "govqa 默认配置：稠密与 BM25 加权倒数排名融合，按问题中的地区、年份缩小和排序，"
                             "抽取式回答并核验数字、证据不足时拒答。",
                   _service_config()),
        ConfigSpec("langchain-default", "常见起步做法：RecursiveCharacterTextSplitter(1000, 200) 切分全文，"
                                        "同一嵌入模型稠密检索前 4 段，直接以第 1 段作为回答，从不拒答。",
                   lambda settings, store, embedder: LangchainDefaultBaseline(store, embedder)),
        ConfigSpec("bm25-plain", "朴素词法基线：全文按约 400 字切段（无上下文标题、不按地区年份缩小），jieba 分词加 BM25 检索，"
                                 "以第 1 段中与问题词最重合的一句作为回答并引用该段，只在没有任何段落与问题共享词时拒答。",
                   lambda settings, store, embedder: PlainBM25Baseline.from_store(store)),
    )
}


def parse_compare(value: str | None) -> list[str]:
    """The configuration names of ``--compare`` in the order given; ``[DEFAULT_CONFIG]`` without it.

    Raises ``ValueError`` with a Chinese message for an unknown or repeated name.

    Example:
        >>> parse_compare("bm25, hybrid")
        ['bm25', 'hybrid']
        >>> parse_compare(None)
        ['hybrid']
    """
    if value is None:
        return [DEFAULT_CONFIG]
    names = [name.strip() for name in value.split(",") if name.strip()]
    if not names:
        raise ValueError("--compare 没有给出任何配置")
    unknown = [name for name in names if name not in CONFIGS]
    if unknown:
        raise ValueError(f"未知的配置 {'、'.join(unknown)}（可选 {'、'.join(CONFIGS)}）")
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise ValueError(f"配置 {'、'.join(repeated)} 重复")
    return names
