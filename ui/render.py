"""HTML for the app: the conversation, a report opened at a citation, the library.

Everything that comes from a report or a user — answer text, passages, titles, file names,
questions — is escaped here, so a report containing `<script>` shows it as text. The only
markup is ours: the answer's bold figures (`**…**`) and its citation markers (`[n]`),
recognised after escaping.

Citation buttons carry `data-turn`, `data-kind` and `data-n`; the page's script turns a click
on one into an event the app answers by opening that passage (see `ui/style.py`).

Example:
    >>> html = render_conversation([Exchange("郑州2020年金融业增加值多少？", answer=answer)])
    >>> "data-kind=\"cite\"" in html
    True
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from html import escape
from typing import Any

from rag.ingest import IngestOutcome
from rag.library import LibraryPage, LibraryQuery
from rag.records import Answer, ChatSession
from rag.retrieve import SearchFilters
from vectorstore.records import StoredDocument

EXAMPLES = (
    "郑州2020年金融业增加值多少？",
    "惠济区2024年地区生产总值预期增长目标是多少？",
    "金水区2020年地区生产总值是多少？",
)
# Closest passages listed under a refusal, for the user to check what was found.
NEAREST_SHOWN = 3
_QUOTE_PREVIEW = 90
# The answer's own markup: bold figures and citation markers; a unit streams as one piece.
_MARKUP = re.compile(r"\*\*([^*\n]+?)\*\*|\[(\d+)\]")
_UNITS = re.compile(r"\*\*[^*\n]+?\*\*|\[\d+\]|.", re.S)


@dataclass
class Exchange:
    """One question of the conversation: the draft while a generator writes, then the verified answer (or an error)."""

    question: str
    scope: str = ""
    draft: str = ""
    answer: Answer | None = None
    error: str | None = None


@dataclass
class Conversation:
    """A browser session's chat: the library's session (for follow-ups) and what is shown."""

    session: ChatSession = field(default_factory=ChatSession)
    exchanges: list[Exchange] = field(default_factory=list)


def answer_units(text: str) -> list[str]:
    """The answer split into pieces that can be shown one after another without broken markup."""
    return _UNITS.findall(text)


def describe_filters(filters: SearchFilters, titles: dict[str, str]) -> str:
    """The active filters in words ("地区：郑州市；年份：2020年"), empty when none is set."""
    parts = []
    if filters.regions:
        parts.append("地区：" + "、".join(filters.regions))
    if filters.years:
        parts.append("年份：" + "、".join(f"{y}年" for y in filters.years))
    if filters.docs:
        parts.append("报告：" + "、".join(titles.get(d, d) for d in filters.docs))
    return "；".join(parts)


def _cite_button(turn: int, kind: str, n: int, label: str, css: str) -> str:
    return (f'<button type="button" class="{css}" data-turn="{turn}" data-kind="{kind}" data-n="{n}">'
            f"{label}</button>")


def format_answer(text: str, turn: int, cited: Sequence[int]) -> str:
    """Answer text as HTML paragraphs: escaped, with bold figures and clickable [n] markers."""
    def markup(m: re.Match[str]) -> str:
        if m.group(1) is not None:
            return f"<strong>{m.group(1)}</strong>"
        n = int(m.group(2))
        if n not in cited:
            return m.group(0)
        return _cite_button(turn, "cite", n, f"[{n}]", "gq-ref")

    paragraphs = [p for p in re.split(r"\n\s*\n", escape(text, quote=False)) if p.strip()]
    return "".join(f"<p>{_MARKUP.sub(markup, p).strip().replace(chr(10), '<br>')}</p>" for p in paragraphs)


def _preview(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _QUOTE_PREVIEW else text[:_QUOTE_PREVIEW] + "…"


def _tags(region: str | None, year: int | None) -> str:
    return "".join(f'<span class="gq-tag">{escape(t)}</span>'
                   for t in (region or "地区未知", f"{year}年" if year else "年份未知"))


def _source_item(turn: int, kind: str, n: int, badge: str, title: str, region: str | None, year: int | None,
                 section: str, preview: str) -> str:
    """One clickable source under an answer: its number, report, region, year, section and a preview."""
    tags = _tags(region, year)
    section_html = (f'<span class="gq-item-section">{escape(section.replace(" > ", " › "))}</span>'
                    if section else "")
    label = (f'{badge}<span class="gq-item-body"><span class="gq-item-title">{escape(title)}</span>{tags}'
             f'{section_html}<span class="gq-item-quote">{escape(_preview(preview))}</span></span>')
    return f"<li>{_cite_button(turn, kind, n, label, 'gq-cite')}</li>"


def _citations(turn: int, answer: Answer) -> str:
    items = "".join(_source_item(turn, "cite", c.n, f'<span class="gq-num">{c.n}</span>', c.title, c.region,
                                 c.year, c.section, c.quote) for c in answer.citations)
    return f'<div class="gq-cites-head">出处（点击查看原文）</div><ol class="gq-cites">{items}</ol>'


def _nearest(turn: int, answer: Answer) -> str:
    shown = answer.retrieved[:NEAREST_SHOWN]
    if not shown:
        return ""
    items = "".join(_source_item(turn, "near", i, f'<span class="gq-num gq-num-plain">{i + 1}</span>', p.chunk.title,
                                 p.chunk.region, p.chunk.year, p.chunk.section, p.chunk.text)
                    for i, p in enumerate(shown))
    return (f'<details class="gq-nearest"><summary>最接近的段落（{len(shown)}）</summary>'
            f'<ol class="gq-cites">{items}</ol></details>')


def _exchange(turn: int, ex: Exchange, partial: str | None) -> str:
    user = f'<div class="gq-msg gq-user"><div class="gq-bubble">{escape(ex.question)}</div></div>'
    notes = []
    if ex.answer and ex.answer.standalone_question.strip() != ex.question.strip():
        notes.append(f'<div class="gq-note gq-standalone"><span class="gq-note-key">理解为</span>'
                     f"{escape(ex.answer.standalone_question)}</div>")
    if ex.scope:
        notes.append(f'<div class="gq-note gq-scope"><span class="gq-note-key">检索范围</span>{escape(ex.scope)}</div>')
    # "gq-done" marks an exchange that will not change any more (tests and scripts wait for it).
    done = ex.error is not None or (ex.answer is not None and partial is None)
    if ex.error is not None:
        body = f'<div class="gq-bot gq-error"><div class="gq-status">出错了</div><p>{escape(ex.error)}</p></div>'
    elif ex.answer is None and ex.draft:
        # The generator's words as they come; its [n] markers are not yet checked citations.
        body = f'<div class="gq-bot gq-drafting">{format_answer(ex.draft, turn, ())}</div>'
    elif ex.answer is None:
        body = ('<div class="gq-bot gq-pending"><span class="gq-dots"><i></i><i></i><i></i></span>'
                "正在检索报告…</div>")
    elif ex.answer.refused:
        status = "无法回答" if ex.answer.rejection else "未找到答案"  # a rejected question was never looked up
        body = (f'<div class="gq-bot gq-refused"><div class="gq-status">{status}</div>'
                f"{format_answer(ex.answer.answer if done else partial or '', turn, ())}"
                f"{_nearest(turn, ex.answer) if done else ''}</div>")
    else:
        cited = [c.n for c in ex.answer.citations]
        body = (f'<div class="gq-bot">{format_answer(ex.answer.answer if done else partial or "", turn, cited)}'
                f"{_citations(turn, ex.answer) if done and ex.answer.citations else ''}</div>")
    css = "gq-turn gq-done" if done else "gq-turn"
    return f'<section class="{css}">{user}<div class="gq-msg gq-assistant">{"".join(notes)}{body}</div></section>'


def render_conversation(exchanges: Sequence[Exchange], partial: str | None = None) -> str:
    """The whole chat; `partial` is the part of the last answer streamed so far (None: all of it)."""
    if not exchanges:
        chips = "".join(f'<button type="button" class="gq-example" data-example="{escape(q)}">{escape(q)}</button>'
                        for q in EXAMPLES)
        return ('<div class="gq-conv gq-empty"><div class="gq-welcome">'
                "<h3>向政府工作报告提问</h3>"
                "<p>答案取自报告原文，每个数字都标注出处；点击编号即可在右侧查看原文并核对。</p>"
                f'<div class="gq-examples">{chips}</div></div></div>')
    last = len(exchanges) - 1
    turns = "".join(_exchange(i, ex, partial if i == last else None) for i, ex in enumerate(exchanges))
    return f'<div class="gq-conv">{turns}</div>'


SOURCE_HINT = "点击答案下方的出处编号，这里会打开对应的报告，定位到引用处并高亮支持答案的句子。"


def render_source_placeholder(hint: str = SOURCE_HINT) -> str:
    """The sources panel before any citation (or, on the 指标 tab, any figure) is opened."""
    return f'<div class="gq-src gq-src-empty"><div class="gq-src-hint"><h3>原文</h3><p>{escape(hint)}</p></div></div>'



@dataclass(frozen=True)
class SourceView:
    """A report opened at one passage: where the passage and its supporting sentence are."""

    doc: str
    title: str
    region: str | None
    year: int | None
    section: str
    start: int
    end: int
    passage: str
    quote_start: int | None = None
    quote_end: int | None = None
    label: str = ""


def render_source(view: SourceView, text: str, document: StoredDocument | None) -> str:
    """The full report, scrolled (by the page script) to the passage, its sentence in <mark>.

    When the report is gone or changed since the answer, the passage alone is shown with a note:
    offsets into a text they no longer fit would highlight the wrong words.
    """
    head = (f'<div class="gq-src-head"><div class="gq-src-label">{escape(view.label)}</div>'
            f'<div class="gq-src-title">{escape(view.title)}</div>'
            f'<div class="gq-src-tags">{_tags(view.region, view.year)}'
            f'<span class="gq-src-file">{escape(view.doc)}</span></div>')
    if view.section:
        head += f'<div class="gq-src-section">章节：{escape(view.section.replace(" > ", " › "))}</div>'
    head += "</div>"
    fits = document is not None and text[view.start:view.end] == view.passage
    if not fits:
        note = "这份报告已从资料库删除" if document is None else "这份报告在回答之后被替换了"
        return (f'<div class="gq-src">{head}<div class="gq-src-warn">{note}，下面只显示当时引用的段落。</div>'
                f'<div class="gq-src-body"><span class="gq-passage">{escape(view.passage)}</span></div></div>')
    qs, qe = view.quote_start, view.quote_end
    if qs is None or qe is None or not view.start <= qs <= qe <= view.end:
        qs = qe = view.start  # no sentence to mark: the passage alone is highlighted
    inner = (escape(text[view.start:qs]) + (f"<mark>{escape(text[qs:qe])}</mark>" if qe > qs else "")
             + escape(text[qe:view.end]))
    body = (escape(text[:view.start]) + f'<span class="gq-passage">{inner}</span>' + escape(text[view.end:]))
    return f'<div class="gq-src">{head}<div class="gq-src-body">{body}</div></div>'


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


# Columns of the library table: (key, heading, the order it sorts by or None).
_LIBRARY_COLUMNS = (("place", "地区", "place"), ("year", "年份", "year"), ("kind", "类型", None),
                    ("title", "报告", "title"), ("passages", "段落", None), ("added", "添加时间", "added"),
                    ("file", "文件名", None))
# Page buttons shown on each side of the current page (plus the first and the last).
_PAGER_REACH = 2


def _library_heading(key: str, heading: str, order: str | None, query: LibraryQuery) -> str:
    if order is None:
        return f'<th data-col="{key}">{heading}</th>'
    active = order == query.sort
    arrow = ("▼" if query.descending else "▲") if active else "↕"
    css = "gq-sort gq-sort-active" if active else "gq-sort"
    return (f'<th data-col="{key}"><button type="button" class="{css}" data-sort="{order}" '
            f'title="按{heading}排序">{heading}<span class="gq-arrow">{arrow}</span></button></th>')


def _cell(key: str, text: str, css: str = "") -> str:
    css_attr = f' class="{css}"' if css else ""
    return f'<td data-col="{key}"{css_attr}>{escape(text)}</td>'


def _library_row(d: StoredDocument, show_kind: bool) -> str:
    kind = getattr(d, "kind", None)  # the record's kind, once the store describes it
    cells = [_cell("place", d.region or "未知"), _cell("year", f"{d.year}年" if d.year else "未知")]
    if show_kind:
        cells.append(_cell("kind", kind or "—"))
    cells += [_cell("title", d.title, "gq-lib-title"), _cell("passages", str(d.n_chunks), "gq-num-cell"),
              _cell("added", _local_time(d.added_at)), _cell("file", d.name, "gq-lib-file")]
    pick = (f'<td class="gq-lib-act"><button type="button" class="gq-lib-pick" data-remove="{escape(d.name)}" '
            f'title="选中这份报告，再点“删除所选报告”">删除…</button></td>')
    return f'<tr data-doc="{escape(d.name)}">{"".join(cells)}{pick}</tr>'


def _pager(page: LibraryPage) -> str:
    if page.pages <= 1:
        return ""
    shown = sorted({1, page.pages, *range(max(1, page.page - _PAGER_REACH),
                                           min(page.pages, page.page + _PAGER_REACH) + 1)})
    buttons = [f'<button type="button" class="gq-page" data-page="{page.page - 1}"'
               f'{" disabled" if page.page == 1 else ""}>‹ 上一页</button>']
    for previous, n in zip([0, *shown], shown):
        if n - previous > 1:
            buttons.append('<span class="gq-page-gap">…</span>')
        current = ' gq-page-current" aria-current="page' if n == page.page else ""
        buttons.append(f'<button type="button" class="gq-page{current}" data-page="{n}">{n}</button>')
    buttons.append(f'<button type="button" class="gq-page" data-page="{page.page + 1}"'
                   f'{" disabled" if page.page == page.pages else ""}>下一页 ›</button>')
    return f'<nav class="gq-pager" aria-label="翻页">{"".join(buttons)}</nav>'


def render_library(page: LibraryPage, show_kind: bool = False) -> str:
    """One page of the library as a table (place, year, kind when known, report, passages, added, file).

    The column headings sort (`data-sort`), the pager pages (`data-page`) and each row's 删除…
    picks that report for removal (`data-remove`); the page script turns a click into an event.
    """
    if not page.total:
        return '<div class="gq-lib-empty">资料库是空的：请在左侧上传报告。</div>'
    columns = [c for c in _LIBRARY_COLUMNS if show_kind or c[0] != "kind"]
    head = "".join(_library_heading(key, heading, order, page.query) for key, heading, order in columns)
    rows = "".join(_library_row(d, show_kind) for d in page.documents)
    if not page.documents:
        rows = f'<tr><td class="gq-lib-none" colspan="{len(columns) + 1}">没有符合条件的报告</td></tr>'
    shown = (f"，显示第 {page.first}–{page.first + len(page.documents) - 1} 份（第 {page.page}/{page.pages} 页）"
             if page.documents else "")
    matched = f"，符合条件 {page.matched} 份" if page.matched != page.total else ""
    return ('<div class="gq-lib">'
            f'<div class="gq-lib-summary">共 {page.total} 份报告{matched}{shown}</div>'
            f'<table class="gq-table"><thead><tr>{head}<th></th></tr></thead><tbody>{rows}</tbody></table>'
            f"{_pager(page)}</div>")


_STATUS = {"added": ("已添加", "ok"), "replaced": ("已替换", "ok"), "repaired": ("已修复", "ok"),
           "unchanged": ("未变化", "same"), "refused": ("已拒绝", "bad")}


def render_outcomes(outcomes: Sequence[IngestOutcome], origins: Sequence[str] = ()) -> str:
    """What happened to each uploaded file, with the reason when one was refused, and the totals.

    `origins[i]`, when given and not the outcome's own name, says where file i came from
    (the .zip and the path inside it).
    """
    items = []
    for i, o in enumerate(outcomes):
        label, css = _STATUS[o.status]
        if o.status == "refused":
            detail = f"原因：{o.reason or '未知'}"
        else:
            detail = f"{o.title or ''}（{'；'.join(filter(None, [f'{o.n_chunks} 个段落', o.note]))}）"
        origin = origins[i] if i < len(origins) else ""
        origin_html = (f'<span class="gq-outcome-origin">来自 {escape(origin)}</span>'
                       if origin and origin != o.name else "")
        items.append(f'<li class="gq-outcome gq-outcome-{css}"><span class="gq-badge">{label}</span>'
                     f'<span class="gq-outcome-name">{escape(o.name)}</span>'
                     f'<span class="gq-outcome-detail">{escape(detail)}</span>{origin_html}</li>')
    counts = [f"{label} {sum(o.status == status for o in outcomes)}" for status, (label, _) in _STATUS.items()
              if any(o.status == status for o in outcomes)]
    summary = f'<div class="gq-outcome-summary">共 {len(outcomes)} 个文件：{"，".join(counts)}</div>'
    return f'{summary}<ul class="gq-outcomes">{"".join(items)}</ul>'


def render_notice(text: str, kind: str = "ok") -> str:
    """A one-line status message (kind: ok, bad)."""
    return f'<div class="gq-notice gq-notice-{kind}">{escape(text)}</div>'
