"""The Gradio app: ask in Chinese, check every figure against its report, manage the library.

Two tabs. 问答: the chat (answers stream in, numbered citations under each, the understood
question shown for follow-ups, refusals set apart), filters by region, year and report, and a
sources pane that opens the cited report at the passage with its sentence highlighted.
资料库: the reports, upload (txt, md, html, pdf, docx) and removal; the chat uses an uploaded
report as soon as it is in.

It binds 127.0.0.1 unless told otherwise; any other address needs a login from GOVQA_AUTH
("用户名:密码"). Analytics are off and the page loads nothing from outside the machine.

Example:
    $ govqa serve                                         # http://127.0.0.1:7860
    $ GOVQA_AUTH=admin:s3cret govqa serve --host 0.0.0.0  # on the network, with a login
"""
from __future__ import annotations

import ipaddress
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

# Set before gradio loads: no telemetry and no version check from any part of it (with analytics
# off, gradio also turns off huggingface_hub's telemetry).
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import gradio as gr  # noqa: E402
import numpy as np  # noqa: E402

from rag.chain import QAService  # noqa: E402
from rag.ingest import IngestOutcome, ingest_upload  # noqa: E402
from rag.retrieve import SearchFilters  # noqa: E402
from rag.settings import Settings, SettingsError  # noqa: E402
from vectorstore.chroma_store import StoreError  # noqa: E402
from vectorstore.embedder import Embedder  # noqa: E402
from vectorstore.records import StoredDocument  # noqa: E402
from ui import style  # noqa: E402
from ui.render import (  # noqa: E402
    Conversation,
    Exchange,
    SourceView,
    answer_units,
    describe_filters,
    render_conversation,
    render_library,
    render_notice,
    render_outcomes,
    render_source,
    render_source_placeholder,
)

log = logging.getLogger(__name__)

AUTH_ENV = "GOVQA_AUTH"
# An answer that arrives all at once (the extractive generator writes it in one piece) is shown
# in this many steps, this far apart: it reads as text arriving without keeping anyone waiting.
STREAM_STEPS = 14
STREAM_PAUSE_S = 0.025
# A generator that streams (an LLM) updates the page at most this often.
DRAFT_UPDATE_S = 0.05
# Questions answered at the same time across all browser sessions; the service tolerates
# concurrent asks, and 2 cores gain nothing from more.
ASK_CONCURRENCY = 4
# Passages embedded between two progress updates of an upload (a few seconds of work on 2 cores).
UPLOAD_PROGRESS_SLICE = 16


def is_loopback(host: str) -> bool:
    """Whether `host` is reachable only from this machine (127.0.0.0/8, ::1, localhost)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def login_for(host: str, env: dict[str, str] | None = None) -> tuple[str, str] | None:
    """The login GOVQA_AUTH asks for; required (SettingsError without it) on a non-loopback host."""
    raw = (os.environ if env is None else env).get(AUTH_ENV, "").strip()
    if raw:
        user, sep, password = raw.partition(":")
        if not (sep and user.strip() and password):
            raise SettingsError(f"{AUTH_ENV} 的格式应为“用户名:密码”，用户名和密码都不能为空")
        return user.strip(), password
    if not is_loopback(host):
        raise SettingsError(f"拒绝启动：在 {host} 上对外提供服务必须设置登录，请设置环境变量 "
                            f"{AUTH_ENV}=用户名:密码；只在本机使用时请去掉 --host（默认 127.0.0.1）")
    return None


class ReportingEmbedder:
    """The service's embedder, embedding an upload's passages in slices to report how far it is.

    Embedding is nearly all of an upload's time; without this the progress bar would sit still
    for half a minute on a long report. Slicing only changes which passages share a batch: the
    vectors are the same up to the rounding of the bfloat16 and int8 engines, which depends on the batch.
    """

    def __init__(self, embedder: Embedder, on_progress: Callable[[int, int], None]) -> None:
        self._embedder = embedder
        self._on_progress = on_progress

    def embed_passages(self, texts: list[str]) -> np.ndarray:
        """Vectors of `texts`, reporting (done, total) after each slice."""
        if not texts:
            return self._embedder.embed_passages(texts)
        parts = []
        for start in range(0, len(texts), UPLOAD_PROGRESS_SLICE):
            parts.append(self._embedder.embed_passages(texts[start:start + UPLOAD_PROGRESS_SLICE]))
            self._on_progress(min(start + UPLOAD_PROGRESS_SLICE, len(texts)), len(texts))
        return np.concatenate(parts)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._embedder, name)


class ChatApp:
    """The app's handlers around one QAService; each browser session's chat lives in a gr.State."""

    def __init__(self, service: QAService) -> None:
        self.service = service
        # Uploads and removals change the store and then refresh the service: one at a time,
        # so two uploads of the same file cannot both be judged new.
        self._library_lock = threading.Lock()

    # --- chat ----------------------------------------------------------------------------
    def _titles(self) -> dict[str, str]:
        return {d.name: d.title for d in self.service.retriever.documents}

    def ask(self, question: str, conversation: Conversation | None, regions: list[str] | None,
            years: list[int] | None, docs: list[str] | None) -> Iterator[tuple[str, Conversation, Any]]:
        """Answer `question` in this session's conversation, yielding the chat as the answer streams in."""
        conversation = conversation or Conversation()
        question = (question or "").strip()
        if not question:
            yield gr.skip(), conversation, gr.skip()
            return
        self.service.refresh_if_changed()  # reports another process added or removed since
        filters = SearchFilters(regions=tuple(regions or ()), years=tuple(int(y) for y in years or ()),
                                docs=tuple(docs or ()))
        exchange = Exchange(question, scope=describe_filters(filters, self._titles()))
        conversation.exchanges.append(exchange)
        yield render_conversation(conversation.exchanges), conversation, ""
        pieces: list[str] = []
        shown_at = 0.0
        try:
            for item in self.service.ask_stream(question, conversation.session, filters):
                if isinstance(item, str):
                    pieces.append(item)
                    # A single piece is a whole draft (extractive): its [n] are passage numbers that
                    # citing renumbers, so it is not shown; the verified answer is, step by step below.
                    if len(pieces) > 1 and time.monotonic() - shown_at >= DRAFT_UPDATE_S:
                        exchange.draft = "".join(pieces)
                        shown_at = time.monotonic()
                        yield render_conversation(conversation.exchanges), conversation, gr.skip()
                else:
                    exchange.answer = item
        except Exception as err:  # a failed answer must not leave the chat waiting forever
            log.exception("answering %r failed", question)
            exchange.error = f"回答时出错（{type(err).__name__}），请重试或换个问法。"
            yield render_conversation(conversation.exchanges), conversation, gr.skip()
            return
        if exchange.answer is not None and len(pieces) <= 1:
            units = answer_units(exchange.answer.answer)
            step = max(1, -(-len(units) // STREAM_STEPS))
            for shown in range(step, len(units), step):
                yield render_conversation(conversation.exchanges, "".join(units[:shown])), conversation, gr.skip()
                time.sleep(STREAM_PAUSE_S)
        yield render_conversation(conversation.exchanges), conversation, gr.skip()

    @staticmethod
    def example(evt: gr.EventData) -> str:
        """The example question the user clicked, put into the question box."""
        return str(evt.question)

    @staticmethod
    def restart() -> tuple[str, Conversation, str, str]:
        """A new conversation: history, follow-up context and the sources pane cleared."""
        return render_conversation([]), Conversation(), render_source_placeholder(), ""

    def open_source(self, conversation: Conversation | None, evt: gr.EventData) -> str:
        """The report of the clicked citation (or closest passage), opened at that place."""
        view = self._source_view(conversation, evt)
        if view is None:
            return render_source_placeholder()
        return render_source(view, self.service.text_of(view.doc), self.service.store.document(view.doc))

    @staticmethod
    def _source_view(conversation: Conversation | None, evt: gr.EventData) -> SourceView | None:
        try:
            answer = conversation.exchanges[int(evt.turn)].answer if conversation else None
            kind, n = str(evt.kind), int(evt.n)
        except (AttributeError, IndexError, TypeError, ValueError):
            return None  # a stale page (e.g. after 重新开始 elsewhere) pointing at nothing
        if answer is None:
            return None
        if kind == "cite":
            c = next((c for c in answer.citations if c.n == n), None)
            if c is None:
                return None
            return SourceView(doc=c.doc, title=c.title, region=c.region, year=c.year, section=c.section,
                              start=c.start, end=c.end, passage=c.text, quote_start=c.quote_start,
                              quote_end=c.quote_end, label=f"出处 [{c.n}]")
        if kind == "near" and 0 <= n < len(answer.retrieved):
            ch = answer.retrieved[n].chunk
            return SourceView(doc=ch.doc, title=ch.title, region=ch.region, year=ch.year, section=ch.section,
                              start=ch.start, end=ch.end, passage=ch.text, label=f"最接近的段落 {n + 1}")
        return None

    # --- library -------------------------------------------------------------------------
    def library(self, regions: list[str] | None, years: list[int] | None,
                docs: list[str] | None) -> tuple[Any, ...]:
        """The library table, the header stats, and filter/removal choices that match the library.

        Selected filters that no longer exist (a removed report) are dropped, not kept silently.
        """
        self.service.refresh_if_changed()
        documents = self.service.retriever.documents
        region_choices = sorted({d.region for d in documents if d.region})
        year_choices = sorted({d.year for d in documents if d.year}, reverse=True)
        counts: dict[str, int] = {}
        for d in documents:
            counts[d.title] = counts.get(d.title, 0) + 1
        doc_choices = [(d.title if counts[d.title] == 1 else f"{d.title}（{d.name}）", d.name) for d in documents]
        names = {d.name for d in documents}
        return (
            render_library(documents),
            _header(documents),
            gr.update(choices=region_choices, value=[r for r in regions or () if r in region_choices]),
            gr.update(choices=[(f"{y}年", y) for y in year_choices],
                      value=[y for y in years or () if y in year_choices]),
            gr.update(choices=doc_choices, value=[d for d in docs or () if d in names]),
            gr.update(choices=doc_choices, value=None),
        )

    def upload(self, files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[str, None]:
        """Ingest the uploaded files one by one, then make the chat see them at once."""
        paths = [Path(f) for f in files or ()]
        if not paths:
            return render_notice("没有收到文件", "bad"), None
        outcomes: list[IngestOutcome] = []
        with self._library_lock:
            for i, path in enumerate(paths):
                label = f"{path.name}（第 {i + 1}/{len(paths)} 个文件）"
                progress(i / len(paths), desc=f"正在读取 {label}")

                def embedded(done: int, total: int, i: int = i, label: str = label) -> None:
                    progress((i + done / total) / len(paths), desc=f"正在向量化 {label}：{done}/{total} 段")

                try:
                    data = path.read_bytes()
                except OSError as err:
                    outcomes.append(IngestOutcome(path.name, "refused", f"无法读取上传的文件：{err.strerror}"))
                    continue
                try:
                    outcomes.append(ingest_upload(path.name, data, self.service.store,
                                                  ReportingEmbedder(self.service.embedder, embedded),
                                                  self.service.settings.max_file_bytes))
                except StoreError as err:  # read-only, full or locked store: say so, keep the rest
                    outcomes.append(IngestOutcome(path.name, "refused", str(err)))
            progress(1.0, desc="正在更新索引")
            if any(o.status in ("added", "replaced") for o in outcomes):
                self.service.refresh()
        return render_outcomes(outcomes), None

    def remove(self, name: str | None) -> str:
        """Remove one report and everything of it from the store and the index."""
        if not name:
            return render_notice("请先选择要删除的报告", "bad")
        with self._library_lock:
            document = self.service.store.document(name)
            if document is None or not self.service.store.remove_document(name):
                return render_notice(f"资料库中没有 {name}", "bad")
            self.service.refresh()
        return render_notice(f"已删除：{document.title}（{name}）")


def _header(documents: list[StoredDocument] | None = None) -> str:
    """The page title, with the library's size once it is known."""
    stats = "" if documents is None else (
        f'<div class="gq-stats">资料库：{len(documents)} 份报告 · {sum(d.n_chunks for d in documents)} 个段落</div>')
    return ('<div class="gq-header"><h1>政府工作报告问答</h1>'
            f'<span class="gq-sub">答案取自报告原文，每个数字都可一键核对出处</span>{stats}</div>')


def build_app(service: QAService) -> gr.Blocks:
    """The two-tab page bound to one QAService; each browser session keeps its own chat."""
    handlers = ChatApp(service)
    with gr.Blocks(title="政府工作报告问答 · govqa", analytics_enabled=False) as app:
        header = gr.HTML(_header(), apply_default_css=False, js_on_load=None)
        conversation = gr.State(None)
        with gr.Tabs():
            with gr.Tab("问答", id="chat"):
                with gr.Row(elem_id="gq-filters"):
                    regions = gr.Dropdown(label="按地区筛选（不选即全部）", multiselect=True, choices=[], scale=3,
                                          elem_id="gq-filter-region")
                    years = gr.Dropdown(label="按年份筛选", multiselect=True, choices=[], scale=2,
                                        elem_id="gq-filter-year")
                    docs = gr.Dropdown(label="按报告筛选", multiselect=True, choices=[], scale=5,
                                       elem_id="gq-filter-doc")
                    clear = gr.Button("清除筛选", size="md", scale=0, min_width=110, elem_id="gq-clear")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=7, min_width=420):
                        chat = gr.HTML(render_conversation([]), elem_id="gq-chat", apply_default_css=False,
                                       js_on_load=style.CHAT_JS)
                        with gr.Row(elem_id="gq-ask-row"):
                            question = gr.Textbox(show_label=False, placeholder="输入问题，例如：郑州2020年金融业增加值多少？",
                                                  lines=1, max_lines=4, scale=8, container=False,
                                                  elem_id="gq-question", autofocus=True)
                            ask = gr.Button("提问", variant="primary", scale=1, elem_id="gq-ask")
                            restart = gr.Button("重新开始", variant="secondary", scale=1, elem_id="gq-restart")
                    with gr.Column(scale=5, min_width=360):
                        source = gr.HTML(render_source_placeholder(), elem_id="gq-source", apply_default_css=False,
                                         js_on_load=style.SOURCE_JS)
            with gr.Tab("资料库", id="library") as library_tab:
                with gr.Row(equal_height=False):
                    with gr.Column(scale=3, min_width=320):
                        gr.HTML('<div class="gq-panel-title">上传报告</div><div class="gq-panel-help">'
                                "支持 txt、md、html、pdf、docx，可一次选多个文件；导入后即可提问。</div>",
                                apply_default_css=False, js_on_load=None)
                        files = gr.File(label="选择或拖入文件", file_count="multiple", type="filepath",
                                        elem_id="gq-upload", height=150)
                        upload_result = gr.HTML("", elem_id="gq-upload-result", apply_default_css=False,
                                                js_on_load=None)
                        gr.HTML('<div class="gq-panel-title gq-spaced">删除报告</div>',
                                apply_default_css=False, js_on_load=None)
                        to_remove = gr.Dropdown(label="选择报告", choices=[], value=None, elem_id="gq-remove-doc")
                        remove = gr.Button("删除所选报告", variant="stop", elem_id="gq-remove")
                        remove_result = gr.HTML("", elem_id="gq-remove-result", apply_default_css=False,
                                                js_on_load=None)
                    with gr.Column(scale=7):
                        library = gr.HTML(elem_id="gq-library", apply_default_css=False, js_on_load=None)

        filters = [regions, years, docs]
        library_outputs = [library, header, regions, years, docs, to_remove]
        ask_args: dict[str, Any] = dict(fn=handlers.ask, inputs=[question, conversation, *filters],
                                        outputs=[chat, conversation, question], show_progress="hidden",
                                        concurrency_limit=ASK_CONCURRENCY, concurrency_id="ask")
        # One listener for the button and Enter, so a second question waits for the first to finish
        # instead of racing it over the same conversation.
        asking = gr.on([ask.click, question.submit], trigger_mode="once", **ask_args)
        asking_example = chat.submit(handlers.example, None, question, show_progress="hidden").then(**ask_args)
        chat.click(handlers.open_source, [conversation], [source], show_progress="hidden")
        restart.click(handlers.restart, None, [chat, conversation, source, question], show_progress="hidden",
                      cancels=[asking, asking_example])
        clear.click(lambda: ([], [], []), None, filters, show_progress="hidden")

        app.load(handlers.library, filters, library_outputs, show_progress="hidden")
        library_tab.select(handlers.library, filters, library_outputs, show_progress="hidden")
        # The progress bar goes on the drop zone: the files it is about are shown there.
        files.upload(handlers.upload, [files], [upload_result, files], show_progress_on=[files],
                     concurrency_id="library", concurrency_limit=1
                     ).then(handlers.library, filters, library_outputs, show_progress="hidden")
        remove.click(handlers.remove, [to_remove], [remove_result], show_progress="minimal", concurrency_id="library",
                     concurrency_limit=1).then(handlers.library, filters, library_outputs, show_progress="hidden")
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860) -> None:
    """Serve the app on host:port until interrupted; a non-loopback host needs GOVQA_AUTH."""
    login = login_for(host)  # before loading anything: refusing to start must be quick
    service = QAService.open(settings)
    service.embedder.warm_up()  # a fresh model cache exports the question engine here, not on the first question
    build_app(service).launch(
        server_name=host, server_port=port, share=False, auth=login,
        auth_message="请输入用户名和密码（由 GOVQA_AUTH 设置）" if login else None,
        theme=style.theme(), css=style.CSS, footer_links=[], run_history=False,
        ssr_mode=False, mcp_server=False, show_error=False, quiet=False,
    )
