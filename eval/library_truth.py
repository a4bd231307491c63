"""The place and year each report of a known library should be described with, and the reports that are not.

The truth is a TSV (``eval/sets/library-truth.tsv``: name, region, year; ``#`` lines are comments).
A report the truth does not list is not judged.

Example:
    >>> truth = {"2015_国务院.txt": ("全国", 2015)}
    >>> misdescribed([("2015_国务院.txt", "全国", 2014), ("other.txt", None, None)], truth)
    [{'name': '2015_国务院.txt', 'expected': ['全国', 2015], 'described': ['全国', 2014]}]
"""
from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

LIBRARY_TRUTH = Path(__file__).resolve().parent / "sets" / "library-truth.tsv"

Truth = dict[str, tuple[str, int | None]]


def load_truth(path: Path = LIBRARY_TRUTH) -> Truth:
    """Report name → (region, year or None), from the TSV at ``path``."""
    truth: Truth = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, region, year = (line.split("\t") + ["", ""])[:3]
        truth[name] = (region, int(year) if year.strip() else None)
    return truth


def misdescribed(described: Iterable[tuple[str, str | None, int | None]], truth: Truth) -> list[dict]:
    """The reports of ``described`` (name, region, year) whose place or year differs from ``truth``."""
    wrong = []
    for name, region, year in described:
        expected = truth.get(name)
        if expected is not None and expected != (region, year):
            wrong.append({"name": name, "expected": list(expected), "described": [region, year]})
    return wrong
