"""The Gradio app: ask in Chinese, check every figure against its report, manage the library.

Three tabs. 问答: the chat (answers stream in, numbered citations under each, the understood
question shown for follow-ups, refusals set apart), filters by region, year and report, and a
sources pane that opens the cited report at the passage with its sentence highlighted.
资料库: the reports as a table sorted by place, year, name or date added, filtered by place and
year, searched by name and shown 25 a page; upload of files, a folder or a .zip of reports (each
file's progress and outcome shown), and removal; the chat uses an uploaded report as soon as it is in.
指标: every figure as a table filtered by place, year,
indicator and reading, a chart of one indicator across years, CSV export, and a row opening its
sentence highlighted in its report.

It binds 127.0.0.1 unless told otherwise; any other address needs a login from GOVQA_AUTH
("用户名:密码"). Analytics are off and the page loads nothing from outside the machine.

Example:
    $ govqa serve                                         # http://127.0.0.1:7860
    $ GOVQA_AUTH=admin:s3cret govqa serve --host 0.0.0.0  # on the network, with a login
"""
from __future__ import annotations

import logging
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import Any

# Set before gradio loads: no telemetry and no version check from any part of it (with analytics
# off, gradio also turns off huggingface_hub's telemetry).
os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"

import gradio as gr  # noqa: E402
import numpy as np  # noqa: E402
from starlette.middleware import Middleware  # noqa: E402

from rag.archive import ReportArchive  # noqa: E402
from rag.chain import QAService  # noqa: E402
from rag.fact_table import (  # noqa: E402
    FACT_COLUMNS,
    FactFilter,
    fact_cell,
    fact_rows,
    facts_csv,
    filter_facts,
    trend_lines,
)
from rag.ingest import IngestOutcome, ingest_loaded  # noqa: E402
from rag.library import LibraryQuery, list_library  # noqa: E402
from rag.load import LoadError, load_report_bytes  # noqa: E402
from rag.retrieve import SearchFilters  # noqa: E402
from rag.settings import Settings, SettingsError  # noqa: E402
from vectorstore.chroma_store import ChromaStore, StoreError  # noqa: E402
from vectorstore.embedder import Embedder  # noqa: E402
from vectorstore.records import StoredDocument  # noqa: E402
from ui import style  # noqa: E402
from ui.address import ListenError  # noqa: E402
from ui.login import LoginThrottle  # noqa: E402
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
# The 指标 tab's source pane before a row is clicked.
FACT_HINT = "点击表格中的一行，这里会打开那份报告，定位到这个数字所在的句子并高亮它。"
# The 指标 table's column widths, in FACT_COLUMNS order: an indicator as written can be long.
FACT_COLUMN_WIDTHS = ["9%", "8%", "8%", "24%", "13%", "6%", "7%", "7%", "18%"]


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


@dataclass(frozen=True)
class UploadEntry:
    """One report of an upload: an uploaded file, or one member of an uploaded .zip."""

    name: str  # its name in the library
    origin: str  # where it came from, as the user knows it ("报告.zip › 河南省/2023年.txt")
    read: Callable[[], bytes] | None  # None when it is refused before reading
    refusal: str | None = None


def upload_entries(paths: Sequence[Path], max_bytes: int, archives: ExitStack) -> list[UploadEntry]:
    """The reports of the uploaded files, a .zip expanded into its members (read later, one at a time).

    The archives opened stay open until `archives` closes.
    """
    entries: list[UploadEntry] = []
    for path in paths:
        if path.suffix.lower() != ".zip":
            entries.append(UploadEntry(path.name, path.name, path.read_bytes))
            continue
        try:
            archive = archives.enter_context(ReportArchive.open(path.name, path, max_bytes))
        except LoadError as err:
            entries.append(UploadEntry(path.name, path.name, None, err.reason))
            continue
        if not archive.members:
            entries.append(UploadEntry(path.name, path.name, None, "压缩包中没有可导入的文件"))
        for member in archive.members:
            entries.append(UploadEntry(member.name, f"{path.name} › {member.path}",
                                       None if member.refusal else partial(archive.read, member), member.refusal))
    return entries


def trend_plot(facts: Sequence[dict[str, Any]]) -> Any:
    """A line chart of one indicator's values across years (see `trend_lines`); None when nothing to draw."""
    unit, lines = trend_lines(facts)
    if not lines:
        return None
    import matplotlib

    matplotlib.use("Agg")  # no display on a server
    from matplotlib import pyplot

    pyplot.rcParams["font.sans-serif"] = ["Noto Sans CJK SC", "Noto Serif CJK SC", "WenQuanYi Micro Hei", "DejaVu Sans"]
    figure, axes = pyplot.subplots(figsize=(7, 3.2))
    for line in lines:
        axes.plot([y for y, _ in line.points], [v for _, v in line.points], marker="o", label=line.label)
    axes.set_ylabel(unit)
    years = sorted({year for line in lines for year, _ in line.points})
    if len(years) <= 12:  # each year its own tick; one year alone is not spread over two centuries
        axes.set_xticks(years)
        axes.set_xlim(years[0] - 0.5, years[-1] + 0.5)
    else:
        axes.xaxis.get_major_locator().set_params(integer=True)
    axes.legend(fontsize=8)
    axes.grid(alpha=.3)
    figure.tight_layout()
    pyplot.close(figure)
    return figure


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

    # --- figures (指标) ---------------------------------------------------------------------
    def figures(self, place: str | None, year: int | None, indicator: str | None,
                reading: str | None) -> tuple[Any, ...]:
        """The 指标 table, its filters' choices, the chart of the filtered indicator and its CSV file."""
        every = self.service.facts()
        shown = filter_facts(every, FactFilter(place, int(year) if year else None, (indicator or "").strip(), reading))
        places = sorted({str(f["place"]) for f in every if f.get("place")},
                        key=lambda p: p.encode("gb18030", errors="replace"))
        years = sorted({int(f["report_year"]) for f in every if isinstance(f.get("report_year"), int)}, reverse=True)
        readings = sorted({str(f["reading"]) for f in every if f.get("reading")})
        note = ("" if every else render_notice("资料库中还没有提取出的指标。", "bad"))
        with tempfile.NamedTemporaryFile("w", encoding="utf-8-sig", suffix=".csv", prefix="govqa-指标-",
                                         delete=False) as out:
            out.write(facts_csv(shown))
        return (
            gr.update(value=fact_rows(shown)),
            shown,
            trend_plot(shown) if indicator else None,
            gr.update(value=out.name),
            note,
            gr.update(choices=places), gr.update(choices=[(f"{y}年", y) for y in years]),
            gr.update(choices=[(fact_cell({"reading": r}, "reading"), r) for r in readings]),
        )

    def open_fact(self, shown: list[dict[str, Any]] | None, evt: gr.SelectData) -> str:
        """The report of the clicked fact, opened at its sentence with the figure's clause highlighted."""
        try:
            fact = (shown or [])[evt.index[0]]
        except (IndexError, TypeError):
            return render_source_placeholder(FACT_HINT)
        doc = str(fact.get("doc") or "")
        document = self.service.store.document(doc)
        text = self.service.text_of(doc)
        start, end = fact.get("sentence_start", fact.get("start")), fact.get("sentence_end", fact.get("end"))
        if document is None or not isinstance(start, int) or not isinstance(end, int):
            return render_source_placeholder(FACT_HINT)
        view = SourceView(doc=doc, title=document.title, region=document.region, year=document.year, section="",
                          start=start, end=end, passage=text[start:end], quote_start=fact.get("start"),
                          quote_end=fact.get("end"), label=f"指标：{fact.get('indicator') or ''}")
        return render_source(view, text, document)

    # --- library -------------------------------------------------------------------------
    def library(self, regions: list[str] | None, years: list[int] | None, docs: list[str] | None,
                view: LibraryQuery | None) -> tuple[Any, ...]:
        """The library table, the header stats, and filter/removal choices that match the library.

        Selected filters that no longer exist (a removed report) are dropped, not kept silently.
        """
        self.service.refresh_if_changed()
        documents = self.service.retriever.documents
        region_choices = sorted({d.region for d in documents if d.region})
        year_choices = sorted({d.year for d in documents if d.year}, reverse=True)
        # The library can also be filtered by the province or city a report's place belongs to.
        place_choices = sorted({p for d in documents for p in (d.region, d.parent_region) if p},
                               key=lambda p: p.encode("gb18030", errors="replace"))
        counts: dict[str, int] = {}
        for d in documents:
            counts[d.title] = counts.get(d.title, 0) + 1
        doc_choices = [(d.title if counts[d.title] == 1 else f"{d.title}（{d.name}）", d.name) for d in documents]
        names = {d.name for d in documents}
        view = view or LibraryQuery()
        view = replace(view, places=tuple(p for p in view.places if p in place_choices),
                       years=tuple(y for y in view.years if y in year_choices))
        table, view = self._library_table(view)
        return (
            table,
            _header(documents),
            gr.update(choices=region_choices, value=[r for r in regions or () if r in region_choices]),
            gr.update(choices=[(f"{y}年", y) for y in year_choices],
                      value=[y for y in years or () if y in year_choices]),
            gr.update(choices=doc_choices, value=[d for d in docs or () if d in names]),
            gr.update(choices=doc_choices, value=None),
            gr.update(choices=place_choices, value=list(view.places)),
            gr.update(choices=[(f"{y}年", y) for y in year_choices], value=list(view.years)),
            view,
        )

    def _library_table(self, view: LibraryQuery) -> tuple[str, LibraryQuery]:
        documents = self.service.retriever.documents
        page = list_library(documents, view)
        return render_library(page, show_kind=any(getattr(d, "kind", None) for d in documents)), page.query

    def browse(self, places: list[str] | None, years: list[int] | None, search: str | None,
               view: LibraryQuery | None) -> tuple[str, LibraryQuery]:
        """The library table filtered by place and year and searched by name, from its first page."""
        view = replace(view or LibraryQuery(), places=tuple(places or ()), years=tuple(int(y) for y in years or ()),
                       search=(search or "").strip(), page=1)
        return self._library_table(view)

    def library_click(self, view: LibraryQuery | None, evt: gr.EventData) -> tuple[Any, Any, Any]:
        """A click in the table: a heading sorts, the pager pages, a row's 删除… picks it for removal."""
        view = view or LibraryQuery()
        picked = getattr(evt, "remove", None)
        if picked:
            return gr.skip(), gr.skip(), gr.update(value=str(picked))
        sort, page = getattr(evt, "sort", None), getattr(evt, "page", None)
        if sort:
            view = view.sorted_by(str(sort))
        elif page is not None:
            try:
                view = replace(view, page=int(page))
            except (TypeError, ValueError):
                return gr.skip(), gr.skip(), gr.skip()
        table, view = self._library_table(view)
        return table, view, gr.skip()

    def upload(self, files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[str, None]:
        """Ingest the uploaded files (a .zip: each report in it) one by one, then make the chat see them at once."""
        paths = [Path(f) for f in files or ()]
        if not paths:
            return render_notice("没有收到文件", "bad"), None
        store, max_bytes = self.service.store, self.service.settings.max_file_bytes
        try:
            return self._upload_entries(paths, store, max_bytes, progress)
        except StoreError as err:  # read-only, full or locked store: say so in one line
            return render_notice(str(err), "bad"), None

    def _upload_entries(self, paths: list[Path], store: ChromaStore, max_bytes: int,
                        progress: gr.Progress) -> tuple[str, None]:
        outcomes: list[IngestOutcome] = []
        with self._library_lock, store.writing(), ExitStack() as archives:
            entries = upload_entries(paths, max_bytes, archives)
            store.collect_garbage()  # once for the whole upload: it reads every passage's metadata
            for i, entry in enumerate(entries):
                label = f"{entry.origin}（第 {i + 1}/{len(entries)} 个文件）"
                progress(i / len(entries), desc=f"正在读取 {label}")

                def embedded(done: int, total: int, i: int = i, label: str = label) -> None:
                    progress((i + done / total) / len(entries), desc=f"正在向量化 {label}：{done}/{total} 段")

                outcomes.append(self._ingest_entry(entry, ReportingEmbedder(self.service.embedder, embedded),
                                                   max_bytes))
            progress(1.0, desc="正在更新索引")
            if any(o.status in ("added", "replaced") for o in outcomes):
                self.service.refresh()
        return render_outcomes(outcomes, [e.origin for e in entries]), None

    def upload_folder(self, files: list[str] | None, progress: gr.Progress = gr.Progress()) -> tuple[str, None]:
        """A folder's reports, as `upload`, less the hidden and Office lock files every folder holds."""
        return self.upload([f for f in files or () if not Path(f).name.startswith((".", "~$"))], progress)

    def _ingest_entry(self, entry: UploadEntry, embedder: ReportingEmbedder, max_bytes: int) -> IngestOutcome:
        if entry.read is None:
            return IngestOutcome(entry.name, "refused", entry.refusal)
        try:
            loaded = load_report_bytes(entry.name, entry.read(), max_bytes)
        except LoadError as err:
            return IngestOutcome(entry.name, "refused", err.reason)
        except OSError as err:
            return IngestOutcome(entry.name, "refused", f"无法读取上传的文件：{err.strerror}")
        try:
            return ingest_loaded(loaded, self.service.store, embedder)
        except StoreError as err:  # a full disk mid-upload: this file is refused, the rest go on
            return IngestOutcome(entry.name, "refused", str(err))

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
    """The three-tab page bound to one QAService; each browser session keeps its own chat."""
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
                                "支持 txt、md、html、pdf、docx，可一次选多个文件，或上传整个文件夹、"
                                "一个装满报告的 .zip；导入后即可提问。</div>",
                                apply_default_css=False, js_on_load=None)
                        files = gr.File(label="选择或拖入文件（可多选，可为 .zip）", file_count="multiple",
                                        type="filepath", elem_id="gq-upload", height=150)
                        folder = gr.UploadButton("上传文件夹", file_count="directory", type="filepath",
                                                 variant="secondary", size="md", elem_id="gq-upload-folder")
                        upload_result = gr.HTML("", elem_id="gq-upload-result", apply_default_css=False,
                                                js_on_load=None)
                        gr.HTML('<div class="gq-panel-title gq-spaced">删除报告</div>',
                                apply_default_css=False, js_on_load=None)
                        to_remove = gr.Dropdown(label="选择报告（可输入名称查找，或点表格中的“删除…”）", choices=[],
                                                value=None, elem_id="gq-remove-doc")
                        remove = gr.Button("删除所选报告", variant="stop", elem_id="gq-remove")
                        remove_result = gr.HTML("", elem_id="gq-remove-result", apply_default_css=False,
                                                js_on_load=None)
                    with gr.Column(scale=7):
                        with gr.Row(elem_id="gq-lib-filters"):
                            lib_places = gr.Dropdown(label="地区", multiselect=True, choices=[], scale=3,
                                                     elem_id="gq-lib-place")
                            lib_years = gr.Dropdown(label="年份", multiselect=True, choices=[], scale=2,
                                                    elem_id="gq-lib-year")
                            lib_search = gr.Textbox(label="按名称查找", placeholder="报告名称或文件名中的字词",
                                                    scale=3, elem_id="gq-lib-search")
                        library = gr.HTML(elem_id="gq-library", apply_default_css=False, js_on_load=style.LIBRARY_JS)

            with gr.Tab("指标", id="figures") as figures_tab:
                with gr.Row(elem_id="gq-fact-filters"):
                    fact_place = gr.Dropdown(label="地区", choices=[], value=None, scale=2, elem_id="gq-fact-place")
                    fact_year = gr.Dropdown(label="年份", choices=[], value=None, scale=1, elem_id="gq-fact-year")
                    fact_indicator = gr.Textbox(label="指标", placeholder="例如：地区生产总值", scale=3,
                                                elem_id="gq-fact-indicator")
                    fact_reading = gr.Dropdown(label="类型", choices=[], value=None, scale=1,
                                               elem_id="gq-fact-reading")
                    fact_csv = gr.DownloadButton("导出 CSV", scale=0, min_width=110, elem_id="gq-fact-csv")
                fact_note = gr.HTML("", apply_default_css=False, js_on_load=None, elem_id="gq-fact-note")
                with gr.Row(equal_height=False):
                    with gr.Column(scale=7, min_width=420):
                        fact_table = gr.Dataframe(headers=[h for h, _ in FACT_COLUMNS], value=[], interactive=False,
                                                  wrap=True, max_height=520, column_widths=FACT_COLUMN_WIDTHS,
                                                  elem_id="gq-fact-table")
                        fact_chart = gr.Plot(label="所选指标历年数值", elem_id="gq-fact-chart")
                    with gr.Column(scale=5, min_width=360):
                        fact_source = gr.HTML(render_source_placeholder(FACT_HINT), elem_id="gq-fact-source",
                                              apply_default_css=False, js_on_load=style.SOURCE_JS)

        filters = [regions, years, docs]
        library_view = gr.State(None)
        library_outputs = [library, header, regions, years, docs, to_remove, lib_places, lib_years, library_view]
        library_args: dict[str, Any] = dict(fn=handlers.library, inputs=[*filters, library_view],
                                            outputs=library_outputs, show_progress="hidden")
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

        app.load(**library_args)
        library_tab.select(**library_args)
        # The search box by `change`: typed Chinese arrives by IME as text insertion, which its
        # `input` event misses; the dropdowns by `input`, as a refresh of the library sets them too.
        gr.on([lib_places.input, lib_years.input, lib_search.change], handlers.browse,
              [lib_places, lib_years, lib_search, library_view], [library, library_view],
              show_progress="hidden", trigger_mode="always_last")
        library.click(handlers.library_click, [library_view], [library, library_view, to_remove],
                      show_progress="hidden")
        shown_facts = gr.State([])
        fact_filters = [fact_place, fact_year, fact_indicator, fact_reading]
        figures_args: dict[str, Any] = dict(
            fn=handlers.figures, inputs=fact_filters, show_progress="hidden",
            outputs=[fact_table, shown_facts, fact_chart, fact_csv, fact_note, fact_place, fact_year, fact_reading])
        figures_tab.select(**figures_args)
        gr.on([fact_place.input, fact_year.input, fact_indicator.submit, fact_reading.input], **figures_args)
        fact_table.select(handlers.open_fact, [shown_facts], [fact_source], show_progress="hidden")
        # The progress bar goes on the drop zone: the files it is about are shown there.
        files.upload(handlers.upload, [files], [upload_result, files], show_progress_on=[files],
                     concurrency_id="library", concurrency_limit=1).then(**library_args)
        folder.upload(handlers.upload_folder, [folder], [upload_result, folder], show_progress_on=[files],
                      concurrency_id="library", concurrency_limit=1).then(**library_args)
        remove.click(handlers.remove, [to_remove], [remove_result], show_progress="minimal", concurrency_id="library",
                     concurrency_limit=1).then(**library_args)
    return app


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 7860,
          login: tuple[str, str] | None = None) -> None:
    """Serve the app on host:port until interrupted, behind `login` (see ui/login.py) when given.

    The caller checks the login and the port first (`govqa serve` does, before loading anything).
    """
    service = QAService.open(settings)
    service.embedder.warm_up()  # a fresh model cache exports the question engine here, not on the first question
    try:
        build_app(service).launch(
            server_name=host, server_port=port, share=False, auth=login,
            auth_message="请输入用户名和密码（由 GOVQA_AUTH 设置）" if login else None,
            app_kwargs={"middleware": [Middleware(LoginThrottle)]} if login else None,
            theme=style.theme(), css=style.CSS, footer_links=[], run_history=False,
            ssr_mode=False, mcp_server=False, show_error=False, quiet=False,
        )
    except OSError as err:  # taken between the check and now
        raise ListenError(f"无法监听 {host}:{port}：端口可能已被占用，请用 --port 换一个端口") from err
