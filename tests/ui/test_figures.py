"""The 指标 tab's handlers over the real sample library: facts filtered, tabulated, exported, charted, opened."""
from __future__ import annotations

import csv
from pathlib import Path
from types import SimpleNamespace

import pytest

from ui.app import ChatApp

pytestmark = pytest.mark.slow


def test_the_figures_handler_tabulates_exports_and_charts_one_indicator(service) -> None:
    table, shown, chart, download, note, places, years, readings = ChatApp(service).figures(
        "郑州市", None, "生产总值", "target")
    assert note == "" and shown and all(f["place"] == "郑州市" and f["reading"] == "target" for f in shown)
    rows = table["value"]
    assert ["郑州市", "2020", "2020", "生产总值", "6.5%左右"] == rows[0][:5] and rows[0][7] == "目标"
    assert ["郑州市", "2021", "2021", "地区生产总值", "7.5%以上"] in [row[:5] for row in rows]
    line = next(line for line in chart.axes[0].get_lines() if line.get_label() == "郑州市目标")
    assert line.get_xdata().tolist() == [2020, 2021] and line.get_ydata().tolist() == [6.5, 7.5]
    with Path(download["value"]).open(encoding="utf-8-sig") as f:
        exported = list(csv.reader(f))
    assert exported[0][:5] == ["地区", "报告年份", "所指年份", "指标", "数值"] and len(exported) == len(shown) + 1
    assert "郑州市" in places["choices"] and ("2021年", 2021) in years["choices"]
    assert ("目标", "target") in readings["choices"]


def test_without_an_indicator_there_is_a_table_but_no_chart(service) -> None:
    table, shown, chart, *_ = ChatApp(service).figures(None, None, "", None)
    assert len(shown) == len(service.facts()) and chart is None


def test_a_clicked_fact_opens_its_sentence_with_the_figure_marked(service) -> None:
    app = ChatApp(service)
    shown = app.figures("郑州市", 2021, "地区生产总值", "target")[1]
    html = app.open_fact(shown, SimpleNamespace(index=[0, 3]))
    assert "<mark>7.5%以上</mark>" in html and "郑州市2021年政府工作报告" in html
    assert "gq-src-empty" in app.open_fact(shown, SimpleNamespace(index=[len(shown), 0]))
