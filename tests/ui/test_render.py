"""The app's HTML: report text is always escaped, citations are clickable, the source is marked where cited."""
from __future__ import annotations

import re

from rag.ingest import IngestOutcome
from rag.library import LibraryQuery, list_library
from rag.records import Answer, Citation
from rag.retrieve import RetrievedPassage, SearchFilters
from ui.render import (
    Exchange,
    SourceView,
    answer_units,
    describe_filters,
    format_answer,
    render_conversation,
    render_library,
    render_outcomes,
    render_source,
)
from vectorstore.records import StoredChunk, StoredDocument

TEXT = "一、回顾\n金融业增加值完成1302.9亿元。<script>alert(1)</script>其余。"
PASSAGE_START = TEXT.index("金融业")
QUOTE_END = TEXT.index("。") + 1


def _citation(**changes) -> Citation:
    values = dict(n=1, doc="r.txt", start=PASSAGE_START, end=len(TEXT), text=TEXT[PASSAGE_START:],
                  quote=TEXT[PASSAGE_START:QUOTE_END], quote_start=PASSAGE_START, quote_end=QUOTE_END,
                  title="郑州市<b>2021</b>年政府工作报告", region="郑州市", year=2021, section="一、回顾")
    values.update(changes)
    return Citation(**values)


def _answer(text: str, refused: bool = False, question: str = "q", standalone: str = "q") -> Answer:
    chunk = StoredChunk(chunk_id="d:0", doc_id="d", doc="r.txt", index=0, start=PASSAGE_START, end=len(TEXT),
                        text=TEXT[PASSAGE_START:], header="", section="一、回顾", title="t", region="郑州市", year=2021)
    return Answer(question=question, standalone_question=standalone, answer=text, refused=refused,
                  citations=() if refused else (_citation(),),
                  retrieved=(RetrievedPassage(chunk, 1.0),), latency_ms=1.0)


def _document(**changes) -> StoredDocument:
    values = dict(doc_id="d", name="r.txt", title="郑州市2021年政府工作报告", headline="", source_format="txt",
                  n_chunks=3, n_chars=len(TEXT), added_at="2026-01-02T03:04:05+00:00", region="郑州市", year=2021)
    values.update(changes)
    return StoredDocument(**values)


def test_answer_markup_is_ours_and_report_markup_is_text() -> None:
    html = format_answer("**1302.9亿元**[1]\n\n<script>alert(1)</script>[2]", turn=3, cited=[1])
    assert "<strong>1302.9亿元</strong>" in html
    assert 'data-turn="3" data-kind="cite" data-n="1"' in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;[2]" in html, "an uncited [n] stays plain text"
    assert "<script" not in html


def test_streamed_units_never_split_markup() -> None:
    units = answer_units("**1302.9亿元**[12]金融")
    assert units[:2] == ["**1302.9亿元**", "[12]"]
    for k in range(len(units) + 1):
        assert "**" not in format_answer("".join(units[:k]), 0, [12]), "no half-open bold is ever shown"


def test_conversation_shows_standalone_scope_and_refusal() -> None:
    followup = Exchange("那金水区呢？", scope="地区：金水区",
                        answer=_answer("答[1]", question="那金水区呢？", standalone="金水区2020年金融业增加值多少？"))
    refusal = Exchange("<i>问</i>", answer=_answer("报告中没有找到", refused=True, question="<i>问</i>",
                                                 standalone="<i>问</i>"))
    html = render_conversation([followup, refusal])
    assert "金水区2020年金融业增加值多少？" in html and "gq-standalone" in html
    assert "地区：金水区" in html
    assert html.count("gq-standalone") == 1, "a question understood as asked is not repeated"
    assert "gq-refused" in html and 'data-kind="near"' in html
    assert "<i>" not in html and "&lt;i&gt;问&lt;/i&gt;" in html
    assert "郑州市<b>" not in html


def test_streaming_turn_is_not_done_and_has_no_citations_yet() -> None:
    exchange = Exchange("q", answer=_answer("**1302.9亿元**[1]"))
    partial = render_conversation([exchange], partial="**1302.9亿元**")
    assert "gq-done" not in partial and "gq-cites" not in partial
    assert "gq-done" in render_conversation([exchange])
    assert "正在检索" in render_conversation([Exchange("q")])


def test_source_marks_the_quote_inside_the_whole_report() -> None:
    c = _citation()
    view = SourceView(doc=c.doc, title=c.title, region=c.region, year=c.year, section=c.section, start=c.start,
                      end=c.end, passage=c.text, quote_start=c.quote_start, quote_end=c.quote_end)
    html = render_source(view, TEXT, _document())
    assert "<mark>金融业增加值完成1302.9亿元。</mark>" in html
    assert "一、回顾\n" in html, "the whole report is there, not just the passage"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script" not in html
    assert "郑州市&lt;b&gt;2021&lt;/b&gt;年政府工作报告" in html


def test_source_of_a_changed_report_shows_only_the_cited_passage() -> None:
    c = _citation()
    view = SourceView(doc=c.doc, title=c.title, region=c.region, year=c.year, section=c.section, start=c.start,
                      end=c.end, passage=c.text, quote_start=c.quote_start, quote_end=c.quote_end)
    assert "被替换" in render_source(view, "完全不同的文本" * 10, _document())
    assert "已从资料库删除" in render_source(view, "", None)


def test_library_and_outcomes_escape_names() -> None:
    html = render_library(list_library([_document(name="<img src=x onerror=alert(1)>.txt", region=None, year=None)]))
    assert "<img" not in html and "未知" in html and "2026-01-0" in html
    outcomes = render_outcomes([IngestOutcome("<b>x</b>.doc", "refused", "不支持的文件类型 .doc"),
                                IngestOutcome("a.txt", "added", n_chunks=4, title="某报告")],
                               ["<b>x</b>.doc", "包.zip › <i>a</i>/a.txt"])
    assert "已拒绝" in outcomes and "不支持的文件类型 .doc" in outcomes and "<b>x" not in outcomes
    assert "已添加" in outcomes and "4 个段落" in outcomes
    assert "共 2 个文件：已添加 1，已拒绝 1" in outcomes
    assert "来自 包.zip › &lt;i&gt;a&lt;/i&gt;/a.txt" in outcomes and "来自 &lt;b&gt;" not in outcomes


def _library(n: int) -> list[StoredDocument]:
    return [_document(name=f"r{i:03d}.txt", doc_id=f"d{i}", title=f"某市{2000 + i}年政府工作报告", year=2000 + i)
            for i in range(n)]


def test_library_page_marks_its_sort_and_pages_around_the_current_one() -> None:
    page = list_library(_library(130), LibraryQuery(sort="year", descending=True, page=3))
    html = render_library(page)
    assert "共 130 份报告，显示第 51–75 份（第 3/6 页）" in html
    assert html.count("<tr data-doc=") == 25 and 'data-doc="r079.txt"' in html
    assert 'class="gq-sort gq-sort-active" data-sort="year"' in html and "▼" in html
    pages = re.findall(r'data-page="(\d+)"', html)
    assert pages == ["2", "1", "2", "3", "4", "5", "6", "4"], "previous, 1…5, last, next"
    assert 'aria-current="page" data-page="3"' in html
    assert 'data-col="kind"' not in html, "no kind column while no report has a kind"


def test_library_filtered_to_nothing_says_so_and_a_kind_column_shows_when_asked() -> None:
    html = render_library(list_library(_library(3), LibraryQuery(search="不存在")), show_kind=True)
    assert "没有符合条件的报告" in html and "符合条件 0 份" in html and "gq-pager" not in html
    assert '<th data-col="kind">类型</th>' in html
    assert "资料库是空的" in render_library(list_library([]))


def test_filters_in_words() -> None:
    assert describe_filters(SearchFilters(), {}) == ""
    words = describe_filters(SearchFilters(regions=("郑州市",), years=(2020,), docs=("r.txt",)), {"r.txt": "某报告"})
    assert words == "地区：郑州市；年份：2020年；报告：某报告"
