"""The answer chain: screen → condense → retrieve → generate → cite → verify, as LangChain runnables.

`QAService` owns the parts (store, embedder, retriever, generator) and answers questions
for chat sessions; `build_chain()` is the chain itself, one runnable per step, each
taking and returning an `AnswerState`.

Example:
    >>> service = QAService.open(Settings.from_env())
    >>> answer = service.ask("郑州2020年金融业增加值多少？")
    >>> answer.citations[0].doc
    '003_18bb18e33f05a5d4.txt'
"""
from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from dataclasses import dataclass, field, replace

from langchain_core.runnables import Runnable, RunnableBranch, RunnableLambda

from rag.condense import condense
from rag.generate.base import Draft, Generator, ReportReader
from rag.generate.extractive import ExtractiveGenerator
from rag.generate.figure_answer import FigureAnswerer
from rag.guard import Rejection, screen_question
from rag.records import Answer, ChatSession, Citation, Turn
from rag.retrieve import HybridRetriever, RetrievedPassage, SearchFilters
from rag.settings import Settings
from rag.cite import cite, renumbering
from rag.compute import Computation
from rag.fact_table import fact_record
from rag.years import years_named
from rag.verify import verify_answer
from vectorstore.chroma_store import ChromaStore
from vectorstore.embedder import Embedder, get_embedder
from vectorstore.normalize import for_matching


@dataclass
class AnswerState:
    """What flows through the chain; each step fills in its part."""

    question: str
    session: ChatSession
    filters: SearchFilters = field(default_factory=SearchFilters)
    on_token: Callable[[str], None] | None = None
    started: float = field(default_factory=time.perf_counter)
    rejection: Rejection | None = None
    turn: Turn | None = None
    passages: list[RetrievedPassage] = field(default_factory=list)
    draft: Draft | None = None
    text: str = ""
    citations: list[Citation] = field(default_factory=list)
    computations: tuple[Computation, ...] = ()
    answer: Answer | None = None
    scope_refusal: str | None = None


def refusal_text(turn: Turn, scope: str | None = None, reason: str | None = None, kind: str = "政府工作报告") -> str:
    """What govqa says when the reports do not answer: what was looked for, and where (`scope`: why the
    library cannot answer for the places or years asked, from `HybridRetriever.scope_refusal`; `reason`:
    why the answerer found no answer, when it knows; `kind`: what the library holds, "文件" when mixed)."""
    if scope:
        return f"报告中没有找到：{scope}，无法回答“{turn.standalone}”。"
    if reason:
        return f"报告中没有找到“{turn.standalone}”的答案：{reason}下面是最接近的段落，供核对。"
    if (places := turn.constraints.unknown_places) and not turn.constraints.regions:
        return (f"报告中没有找到：资料库里没有{'、'.join(places)}的{kind}，"
                f"提到它的段落里也没有“{turn.standalone}”的答案。下面是最接近的段落，供核对。")
    return f"报告中没有找到“{turn.standalone}”的答案。下面是最接近的段落，供核对。"


def make_generator(settings: Settings, reader: ReportReader | None = None) -> Generator:
    """The generator the settings name: extractive (offline), or an OpenAI-compatible LLM falling back to it."""
    extractive = ExtractiveGenerator(settings.answer, reader)
    if settings.generator == "openai":
        from rag.generate.openai_llm import OpenAIGenerator

        return OpenAIGenerator(settings.llm, fallback=extractive, passages=settings.answer.passages_considered)
    return extractive


class QAService:
    """Everything needed to answer: the store, the embedder, the retriever and a generator."""

    def __init__(self, settings: Settings, store: ChromaStore, embedder: Embedder,
                 generator: Generator | None = None) -> None:
        self.settings = settings
        self.store = store
        self.embedder = embedder
        self.retriever = HybridRetriever(store, embedder, settings.retrieval)
        self.generator: Generator = generator or make_generator(settings, self.retriever)
        self._texts: dict[str, str] = {}
        self.figures = FigureAnswerer(lambda: self.retriever.facts, self.retriever.chunk_at, self.text_of,
                                      self.retriever.passage_stating)
        self._refreshing = threading.Lock()
        self.chain = build_chain(self)

    @classmethod
    def open(cls, settings: Settings) -> "QAService":
        """Open the store to read it (nothing is created) and load the embedder named by `settings`."""
        store = ChromaStore.open_existing(settings.store_dir, settings.chroma_url, settings.lock_timeout_s)
        return cls(settings, store, get_embedder(settings.model_cache))

    def refresh(self) -> None:
        """Pick up reports added or removed since the service started."""
        self._texts.clear()
        self.retriever.refresh()

    def facts(self) -> list[dict[str, Any]]:
        """Every figure of the library as a flat record (the 指标 table and `govqa figures`), in report order.

        `year` is the year a figure is about, `figure` the figure as written, qualifier included (see rag/fact_table.py).
        """
        return [fact_record(fact) for fact in self.retriever.facts.facts]

    def refresh_if_changed(self) -> bool:
        """Re-read the library if another process committed or removed a report since; True if it did.

        Cheap when nothing changed (one small file read): call it before each question.
        """
        if not self.store.changed_elsewhere():
            return False
        with self._refreshing:
            if not self.store.changed_elsewhere():  # another thread refreshed meanwhile
                return False
            self.store.reconnect()
            self.refresh()
        return True

    def text_of(self, doc: str) -> str:
        """A report's canonical text (cached)."""
        text = self._texts.get(doc)
        if text is None:  # read into a local: refresh() may clear the cache meanwhile
            text = self.store.document_text(doc) or ""
            self._texts[doc] = text
        return text

    def ask(self, question: str, session: ChatSession | None = None,
            filters: SearchFilters | None = None, answer_id: str | None = None) -> Answer:
        """Answer one question; the turn is added to `session` so follow-ups can build on it."""
        state = AnswerState(question=question, session=session or ChatSession(), filters=filters or SearchFilters())
        answer = self.chain.invoke(state).answer
        assert answer is not None
        return replace(answer, id=answer_id)

    def ask_stream(self, question: str, session: ChatSession | None = None,
                   filters: SearchFilters | None = None) -> Iterator[str | Answer]:
        """Yield pieces of the answer text as the generator writes them, then the verified Answer.

        The streamed text is the generator's draft; the final Answer is what survived
        verification and is what to show once it arrives.
        """
        pieces: queue.Queue[str | Answer | BaseException] = queue.Queue()
        state = AnswerState(question=question, session=session or ChatSession(), filters=filters or SearchFilters(),
                            on_token=pieces.put)

        def run() -> None:
            try:
                pieces.put(self.chain.invoke(state).answer)
            except BaseException as err:  # handed to the caller's thread, which raises it
                pieces.put(err)

        threading.Thread(target=run, daemon=True).start()
        while True:
            item = pieces.get()
            if isinstance(item, BaseException):
                raise item
            yield item
            if isinstance(item, Answer):
                return

    # --- the steps ---------------------------------------------------------------------
    @staticmethod
    def screen_step(state: AnswerState) -> AnswerState:
        state.rejection = screen_question(state.question)
        return state

    @staticmethod
    def reject_step(state: AnswerState) -> AnswerState:
        # Nothing retrieved and nothing added to the session: the conversation's context stays as it was.
        assert state.rejection is not None
        state.answer = Answer(
            question=state.question, standalone_question=state.question, answer=state.rejection.message,
            refused=True, citations=(), retrieved=(), latency_ms=(time.perf_counter() - state.started) * 1000,
            rejection=state.rejection.kind,
        )
        return state

    def condense_step(self, state: AnswerState) -> AnswerState:
        state.turn = condense(state.question, state.session.last, self.retriever.library)
        state.session.turns.append(state.turn)
        return state

    def retrieve_step(self, state: AnswerState) -> AnswerState:
        assert state.turn is not None
        state.passages = self.retriever.retrieve(state.turn.standalone, state.turn.constraints, state.filters)
        return state

    def generate_step(self, state: AnswerState) -> AnswerState:
        assert state.turn is not None
        # A year carried over from the previous turn is the conversation's guess, not the user's word:
        # only years the question itself names can rule the library out.
        asked = state.turn.constraints
        written = set(years_named(for_matching(state.question)))
        state.scope_refusal = self.retriever.scope_refusal(
            replace(asked, years=tuple(y for y in asked.years if y in written),
                    report_years=tuple(y for y in asked.report_years if y in written)))
        if state.scope_refusal:
            state.draft = Draft(text="", quotes={})
        elif self.settings.generator == "extractive" and (
                draft := self.figures.answer(state.turn.standalone, state.turn.constraints, state.passages)):
            state.draft = draft
            if state.on_token and draft.text:
                state.on_token(draft.text)
        else:
            state.draft = self.generator.generate(state.turn.standalone, state.turn.constraints, state.passages,
                                                  on_token=state.on_token)
        return state

    def cite_step(self, state: AnswerState) -> AnswerState:
        assert state.draft is not None
        state.passages = [*state.passages, *state.draft.extra]
        state.text, state.citations = cite(state.draft, state.passages, self.text_of)
        renumber = renumbering(state.draft.text, len(state.passages))
        state.computations = tuple(
            replace(c, citations=tuple(renumber[n] for n in c.citations))
            for c in state.draft.computations if all(n in renumber for n in c.citations))
        return state

    def verify_step(self, state: AnswerState) -> AnswerState:
        assert state.turn is not None and state.draft is not None
        verified = verify_answer(state.text, state.citations, state.computations)
        refused = not verified.text
        kept = {c.n for c in verified.citations}
        state.answer = Answer(
            question=state.question, standalone_question=state.turn.standalone,
            answer=refusal_text(state.turn, state.scope_refusal, state.draft.refusal,
                                self.retriever.library_kind()) if refused else verified.text,
            refused=refused,
            citations=() if refused else verified.citations, retrieved=tuple(state.passages),
            latency_ms=(time.perf_counter() - state.started) * 1000, notice=state.draft.notice,
            computations=() if refused else tuple(c for c in state.computations if set(c.citations) <= kept),
        )
        return state


def build_chain(service: QAService) -> Runnable:
    """The steps as one LangChain runnable: AnswerState in, AnswerState (with `.answer`) out.

    A question the screen rejects (no content, or about govqa's own instructions) is refused
    with its reason and never reaches retrieval.
    """
    answer = (RunnableLambda(service.condense_step, name="condense")
              | RunnableLambda(service.retrieve_step, name="retrieve")
              | RunnableLambda(service.generate_step, name="generate")
              | RunnableLambda(service.cite_step, name="cite")
              | RunnableLambda(service.verify_step, name="verify"))
    return (RunnableLambda(service.screen_step, name="screen")
            | RunnableBranch((lambda state: state.rejection is not None,
                              RunnableLambda(service.reject_step, name="reject")), answer))
