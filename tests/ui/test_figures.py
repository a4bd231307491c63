"""The 指标 tab's skeleton: facts filtered, tabulated, exported as CSV, charted, and opened at their sentence.

The service's facts are being added by another change; until then a stand-in service with a
`facts()` method gives the fact dicts DESIGN.md's "Figures" step describes.
"""
from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

from ui.app import ChatApp, facts_table, trend_plot
from vectorstore.records import StoredDocument

TEXT = "二、2024年主要目标\n全国国内生产总值增长5%左右，城镇新增就业1200万人以上。"
CLAUSE = "国内生产总值增长5%左右"


def _fact(place: str, report_year: int, value: float, indicator: str = "国内生产总值", reading: str = "target"):
    start = TEXT.index(CLAUSE)
    return {"place": place, "report_year": report_year, "year": report_year, "indicator": indicator,
            "figure": f"{value:g}%左右", "value": value, "unit": "%", "qualifier": "左右", "reading": reading,
            "measure": "growth", "doc": "national_2024.txt", "start": start, "end": start + len(CLAUSE),
            "sentence_start": TEXT.index("全国"), "sentence_end": TEXT.index("，")}


FACTS = [_fact("全国", 2023, 5.0), _fact("全国", 2024, 5.0), _fact("全国", 2022, 5.5),
         _fact("浙江省", 2024, 5.5), _fact("全国", 2024, 1200, "城镇新增就业", "target"),
         _fact("全国", 2023, 5.2, reading="result")]


def _service(facts=FACTS):
    document = StoredDocument(doc_id="d", name="national_2024.txt", title="2024年国务院政府工作报告", headline="",
                              source_format="txt", n_chunks=1, n_chars=len(TEXT), added_at="2026-01-01T00:00:00+00:00",
                              region="全国", year=2024)
    store = SimpleNamespace(document=lambda name: document if name == document.name else None)
    return SimpleNamespace(facts=lambda: facts, store=store, text_of=lambda name: TEXT,
                           retriever=SimpleNamespace(documents=[document]))


def test_facts_are_filtered_by_place_year_indicator_and_reading() -> None:
    service = _service()
    assert len(facts_table(service)) == len(FACTS)
    assert [f["report_year"] for f in facts_table(service, "全国", None, "生产总值", "target")] == [2023, 2024, 2022]
    assert [f["place"] for f in facts_table(service, None, 2024, "国内生产总值", None)] == ["全国", "浙江省"]
    assert facts_table(SimpleNamespace()) == [], "no facts until the service has them"


def test_the_figures_handler_tabulates_exports_and_charts_one_indicator() -> None:
    table, shown, chart, download, note, places, years, readings = ChatApp(_service()).figures(
        "全国", None, "国内生产总值", "target")
    assert [row[1] for row in table["value"]] == ["2023", "2024", "2022"] and table["value"][0][7] == "目标"
    assert len(shown) == 3 and note == ""
    assert chart is not None and chart.axes[0].get_lines()[0].get_xdata().tolist() == [2022, 2023, 2024]
    with Path(download["value"]).open(encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0][:5] == ["地区", "报告年份", "所指年份", "指标", "数值"] and len(rows) == 4
    assert places["choices"] == ["全国", "浙江省"] and readings["choices"] == [("完成", "result"), ("目标", "target")]
    assert years["choices"][0] == ("2024年", 2024)
    assert ChatApp(_service([])).figures(None, None, None, None)[4], "an empty library says why the table is empty"


def test_a_clicked_fact_opens_its_sentence_with_the_clause_marked() -> None:
    app = ChatApp(_service())
    html = app.open_fact(FACTS[:1], SimpleNamespace(index=[0, 3]))
    assert f"<mark>{CLAUSE}</mark>" in html and "2024年国务院政府工作报告" in html
    assert "gq-src-empty" in app.open_fact(FACTS[:1], SimpleNamespace(index=[5, 0]))


def test_no_chart_without_numbers_by_year() -> None:
    assert trend_plot([{"place": "全国", "year": "十四五", "value": 5.0}]) is None
