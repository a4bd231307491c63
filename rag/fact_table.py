"""The library's figures as a table: flat records, the filter, rows and CSV that the 指标 tab and
`govqa figures` share.

Pure functions over fact records: no store, no model, no user interface. A record is a
`StoredFact` flattened (`fact_record`): `year` is the year the figure is about, `figure` the
figure as written, qualifier included.

Example:
    >>> facts = [{"place": "浙江省", "report_year": 2025, "year": 2025, "indicator": "地区生产总值",
    ...           "indicator_norm": "生产总值", "figure": "5.5%左右", "reading": "target"},
    ...          {"place": "全国", "report_year": 2025, "year": 2024, "indicator": "国内生产总值",
    ...           "indicator_norm": "生产总值", "figure": "5%", "reading": "result"}]
    >>> [f["place"] for f in filter_facts(facts, FactFilter(place="浙江", indicator="生产总值"))]
    ['浙江省']
    >>> [f["place"] for f in filter_facts(facts, FactFilter(year=2024))]
    ['全国']
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from vectorstore.records import StoredFact

# The readings a fact can have, and how the table names them.
READINGS = {"target": "目标", "result": "完成", "estimate": "预计"}
# The 指标 table's columns: (heading, key of the fact record).
FACT_COLUMNS = (("地区", "place"), ("报告年份", "report_year"), ("所指年份", "year"), ("指标", "indicator"),
                ("数值", "figure"), ("单位", "unit"), ("限定", "qualifier"), ("类型", "reading"),
                ("报告", "doc"))
_SPACE = re.compile(r"\s+")


def fact_record(fact: StoredFact) -> dict[str, Any]:
    """A stored fact as the flat record the table shows: `year` the year it is about, `figure` as written."""
    record = {k: v for k, v in asdict(fact).items() if k not in ("fact_id", "doc_id", "text", "period_year")}
    return {**record, "year": fact.period_year, "figure": fact.text}


@dataclass(frozen=True)
class FactFilter:
    """Which facts to keep; every field optional (None or empty keeps all).

    `place` keeps a fact of that place, written in full or as the start of its name ("浙江" for
    浙江省); `year` a fact whose report is of that year or that is about that year; `indicator` a
    fact whose indicator as written or normalised holds those words (full- and half-width alike);
    `reading` a target, result or estimate.
    """

    place: str | None = None
    year: int | None = None
    indicator: str | None = None
    reading: str | None = None


def _folded(text: Any) -> str:
    return _SPACE.sub("", unicodedata.normalize("NFKC", str(text or ""))).lower()


def _keeps(fact: dict[str, Any], wanted: FactFilter) -> bool:
    place = str(fact.get("place") or "")
    if wanted.place and not (place == wanted.place or place.startswith(wanted.place)):
        return False
    if wanted.year and wanted.year not in (fact.get("report_year"), fact.get("year")):
        return False
    words = _folded(wanted.indicator)
    if words and not any(words in _folded(fact.get(k)) for k in ("indicator", "indicator_norm")):
        return False
    return not wanted.reading or fact.get("reading") == wanted.reading


def filter_facts(facts: Iterable[dict[str, Any]], wanted: FactFilter) -> list[dict[str, Any]]:
    """The facts `wanted` keeps, in their order."""
    return [fact for fact in facts if _keeps(fact, wanted)]


def fact_cell(fact: dict[str, Any], key: str) -> str:
    """One cell of the table as text: readings in Chinese, a span of years for a five-year figure, unknowns empty.

    >>> fact_cell({"reading": "target"}, "reading"), fact_cell({"year": None, "period": "2021-2025"}, "year")
    ('目标', '2021-2025')
    """
    value = fact.get(key)
    if key == "year" and value is None:
        value = fact.get("period")
    if value is None:
        return ""
    return READINGS.get(str(value), str(value)) if key == "reading" else str(value)


def fact_rows(facts: Sequence[dict[str, Any]]) -> list[list[str]]:
    """The facts as the rows of the table, in FACT_COLUMNS order."""
    return [[fact_cell(f, key) for _, key in FACT_COLUMNS] for f in facts]


def facts_csv(facts: Sequence[dict[str, Any]]) -> str:
    """The facts as CSV text (the table's columns, then value and measure as numbers for analysis).

    >>> facts_csv([{"place": "全国", "figure": "5%左右", "value": 5.0}]).splitlines()[1]
    '全国,,,,5%左右,,,,,5.0,'
    """
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([heading for heading, _ in FACT_COLUMNS] + ["数值（数）", "度量"])
    for fact, row in zip(facts, fact_rows(facts)):
        writer.writerow(row + [fact_cell(fact, "value"), fact_cell(fact, "measure")])
    return out.getvalue()


@dataclass(frozen=True)
class TrendLine:
    """One line of a chart: a place's targets (or results) of one indicator, one point a year."""

    label: str
    points: tuple[tuple[int, float], ...]


def _natural_report(fact: dict[str, Any]) -> bool:
    """Whether a fact stands in the report that speaks of its year first: a target in that year's report, a
    result in the next year's review (a later report's look back repeats it, sometimes revised)."""
    offset = 0 if fact.get("reading") == "target" else 1
    return fact.get("report_year") == fact["year"] + offset


def trend_lines(facts: Sequence[dict[str, Any]]) -> tuple[str, list[TrendLine]]:
    """The unit and lines of a chart of `facts` across years: the commonest measure and unit among them only
    (a growth rate and an amount do not share an axis), one line per place and reading, one point a year.

    >>> facts = [{"place": "全国", "reading": "target", "year": y, "report_year": y, "value": v, "unit": "%",
    ...           "measure": "growth"} for y, v in ((2024, 5.0), (2025, 5.0))]
    >>> trend_lines(facts + [{**facts[0], "unit": "元", "measure": "amount", "value": 1e13}])
    ('%', [TrendLine(label='全国目标', points=((2024, 5.0), (2025, 5.0)))])
    """
    dated = [f for f in facts if isinstance(f.get("year"), int) and isinstance(f.get("value"), (int, float))]
    if not dated:
        return "", []
    kinds: dict[tuple[str, str], int] = {}
    for f in dated:
        kind = (str(f.get("measure") or ""), str(f.get("unit") or ""))
        kinds[kind] = kinds.get(kind, 0) + 1
    measure, unit = max(kinds, key=lambda k: kinds[k])  # ties: the first seen
    chosen: dict[tuple[str, str], dict[int, dict[str, Any]]] = {}
    for f in dated:
        if (str(f.get("measure") or ""), str(f.get("unit") or "")) != (measure, unit):
            continue
        line = chosen.setdefault((str(f.get("place") or "未知"), str(f.get("reading") or "")), {})
        held = line.get(f["year"])
        if held is None or (_natural_report(f) and not _natural_report(held)):
            line[f["year"]] = f
    lines = [TrendLine(f"{place}{READINGS.get(reading, '')}",
                       tuple((year, float(line[year]["value"])) for year in sorted(line)))
             for (place, reading), line in sorted(chosen.items())]
    return unit, lines
