"""The report's plots as PNG files: hit@k curves, per-type bars and latency, one colour per configuration.

Drawn with matplotlib's object API on the Agg canvas (no display, no global backend
switch). Labels are Chinese when a CJK font is available and English otherwise, so a
machine without one still gets readable plots instead of empty boxes.

Usage::

    plots = write_plots(run.results, Path("out/eval"))
    [plot.file for plot in plots]     # ['hit_at_k.png', 'by_type.png', 'latency.png']
"""

from __future__ import annotations

import functools
import random
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import matplotlib
from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, LogLocator, NullFormatter

from eval.configs import DEFAULT_CONFIG
from eval.labels import type_label
from eval.metrics import types_in_order
from eval.results import HIT_CURVE_MAX_K, ConfigResult

# Simplified-Chinese faces first: the same code point can be drawn differently in JP/TC faces.
_CJK_FAMILIES = (
    "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei",
    "Microsoft YaHei", "SimHei", "PingFang SC", "Heiti SC", "Noto Sans CJK JP", "Noto Serif CJK SC",
)
_COLOURS = {DEFAULT_CONFIG: "#d62728", "bm25": "#1f77b4", "dense": "#2ca02c", "langchain-default": "#7f7f7f",
            "bm25-plain": "#ff7f0e"}
_OTHER_COLOURS = ("#9467bd", "#8c564b", "#e377c2", "#bcbd22", "#17becf")
_MARKERS = ("o", "s", "^", "D", "v", "P")
_DPI = 120


@dataclass(frozen=True)
class Plot:
    """A written PNG (file name inside the output folder) and its Chinese title and caption for the report."""

    file: str
    title: str
    caption: str


def _fontconfig_chinese_files() -> list[str]:
    if not shutil.which("fc-list"):
        return []
    listed = subprocess.run(["fc-list", ":lang=zh", "--format", "%{file}\n"],
                            capture_output=True, text=True, check=False, timeout=30)
    return sorted({line.strip() for line in listed.stdout.splitlines() if line.strip()})


@functools.lru_cache(maxsize=1)
def cjk_font() -> str | None:
    """The family name of an installed font that draws Chinese, or None.

    matplotlib's font cache predates fonts installed after it was built, so fontconfig's
    Chinese fonts are registered with it when none of the known families is found.

    Example:
        >>> cjk_font()  # doctest: +SKIP
        'Noto Sans CJK SC'
    """
    def known() -> str | None:
        names = {entry.name for entry in font_manager.fontManager.ttflist}
        return next((family for family in _CJK_FAMILIES if family in names), None)

    found = known()
    if found:
        return found
    files = _fontconfig_chinese_files()
    for path in files:
        try:
            font_manager.fontManager.addfont(path)
        except (OSError, RuntimeError, ValueError):
            continue  # a format FreeType cannot read here: try the next file
    found = known()
    if found or not files:
        return found
    # An unlisted Chinese font: take any face fontconfig says covers Chinese, sans and proportional if possible.
    faces = sorted({entry.name for entry in font_manager.fontManager.ttflist if entry.fname in files},
                   key=lambda name: ("Mono" in name, "Sans" not in name, name))
    return faces[0] if faces else None


def _colour(name: str, index: int) -> str:
    return _COLOURS.get(name, _OTHER_COLOURS[index % len(_OTHER_COLOURS)])


def _style(font: str | None) -> dict[str, object]:
    # DejaVu Sans after the CJK face: matplotlib falls back per glyph, so Latin text keeps a Latin face.
    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    return {"font.family": family, "axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
            "grid.alpha": 0.3, "axes.unicode_minus": False}


def _save(figure: Figure, path: Path) -> None:
    figure.tight_layout()
    figure.savefig(path, dpi=_DPI)


def plot_hit_curves(results: Sequence[ConfigResult], path: Path, cjk: bool) -> None:
    """hit@k for k = 1…10, one line per configuration; the default configuration drawn heaviest."""
    figure = Figure(figsize=(8, 4.6))
    axes = figure.add_subplot()
    ks = list(range(1, HIT_CURVE_MAX_K + 1))
    for index, result in enumerate(results):
        curve = result.hit_curve()
        points = [(k, value) for k, value in zip(ks, curve) if value is not None]
        if not points:
            continue
        ours = result.name == DEFAULT_CONFIG
        # Curves often coincide: ours is drawn wide and underneath, the others dashed on top, so all stay visible.
        axes.plot([k for k, _ in points], [v for _, v in points], marker=_MARKERS[index % len(_MARKERS)],
                  markersize=5, linewidth=4 if ours else 1.6, linestyle="-" if ours else (0, (4, 2)),
                  zorder=2 if ours else 3, color=_colour(result.name, index),
                  label=result.name if curve[4] is None
                  else f"{result.name}（hit@5 = {curve[4]:.2f}）" if cjk else f"{result.name} (hit@5 = {curve[4]:.2f})")
    axes.set_xticks(ks)
    axes.set_ylim(0, 1.04)
    axes.set_xlabel("k（取前 k 段）" if cjk else "k (top k passages)")
    axes.set_ylabel("命中率 hit@k" if cjk else "hit@k")
    axes.set_title("证据出现在前 k 个检索段落中的比例" if cjk else "Share of questions with evidence in the top k")
    axes.legend(loc="lower right", frameon=False)
    _save(figure, path)


def _types_present(results: Sequence[ConfigResult]) -> list[str]:
    return types_in_order(t for result in results for t in result.metrics["by_type"])


def plot_type_bars(results: Sequence[ConfigResult], path: Path, cjk: bool) -> None:
    """Per question type and configuration: answers with every key (top) and hit@5 (bottom).

    Unanswerable questions have neither; the top panel shows their refusal recall instead
    (hatched), since refusing is the right answer there.
    """
    types = _types_present(results)
    figure = Figure(figsize=(9, 7.2))
    top, bottom = figure.subplots(2, 1)
    width = 0.8 / max(1, len(results))
    panels = (
        (top, "all_keys",
         "答案含全部要点（不可回答题：正确拒答率）" if cjk else "all keys (unanswerable: refusal recall)"),
        (bottom, "hit@5", "检索命中@5" if cjk else "hit@5"),
    )
    labelled: set[str] = set()
    for axes, metric, title in panels:
        shown = [t for t in types if metric == "all_keys" or t != "unanswerable"]
        for index, result in enumerate(results):
            for position, question_type in enumerate(shown):
                swap = metric == "all_keys" and question_type == "unanswerable"
                value = result.metrics["by_type"][question_type]["refusal_recall" if swap else metric]
                if value is None:
                    continue
                x = position - 0.4 + width * (index + 0.5)
                axes.bar(x, value, width * 0.92, color=_colour(result.name, index), hatch="//" if swap else None,
                         edgecolor="white", label=None if result.name in labelled or swap else result.name)
                if not swap:
                    labelled.add(result.name)
                axes.text(x, value + 0.015, f"{value:.2f}", ha="center", va="bottom", fontsize=6.5)
        counts = {t: results[0].metrics["by_type"][t]["n"] for t in shown}
        axes.set_xticks(range(len(shown)))
        axes.set_xticklabels([f"{type_label(t, cjk)}\n(n={counts[t]})" for t in shown])
        axes.set_ylim(0, 1.12)
        axes.set_title(title)
        axes.grid(axis="x", visible=False)
    handles, labels = top.get_legend_handles_labels()
    more_handles, more_labels = bottom.get_legend_handles_labels()
    figure.legend(handles + more_handles, labels + more_labels, loc="upper center", ncol=len(results),
                  frameon=False)
    figure.tight_layout(rect=(0, 0, 1, 0.95))
    figure.savefig(path, dpi=_DPI)


def _latency_label(result: ConfigResult) -> str:
    overall = result.metrics["overall"]
    if overall["latency_p50_ms"] is None:
        return result.name
    return f"{result.name}\np50 {overall['latency_p50_ms']:.0f} · p95 {overall['latency_p95_ms']:.0f} ms"


def plot_latency(results: Sequence[ConfigResult], path: Path, cjk: bool) -> None:
    """Every answer's time per configuration (log scale): a box over the jittered points, p50/p95 under the name."""
    figure = Figure(figsize=(8, 4.6))
    axes = figure.add_subplot()
    # Fixed seed: the same run draws the same plot.
    jitter = random.Random(0)
    for column, result in enumerate(results):
        values = result.latencies_ms
        if not values:
            continue
        colour = _colour(result.name, column)
        axes.boxplot([values], positions=[column], widths=0.5, showfliers=False, medianprops={"color": "black"},
                     boxprops={"color": colour}, whiskerprops={"color": colour}, capprops={"color": colour})
        axes.scatter([column + jitter.uniform(-0.18, 0.18) for _ in values], values, s=10, alpha=0.55,
                     color=colour, zorder=3)
    axes.set_xticks(range(len(results)))
    axes.set_xticklabels([_latency_label(result) for result in results])
    axes.set_yscale("log")
    # Label 1-2-5 steps too: a run often spans less than a decade, which would leave one labelled tick.
    axes.yaxis.set_major_locator(LogLocator(subs=(1.0, 2.0, 5.0)))
    axes.yaxis.set_minor_formatter(NullFormatter())
    axes.yaxis.set_major_formatter(FuncFormatter(lambda value, _: f"{value:g}"))
    axes.set_ylabel("单题耗时（毫秒，对数刻度）" if cjk else "time per answer (ms, log scale)")
    axes.set_title("回答耗时分布" if cjk else "Answer latency")
    axes.grid(axis="x", visible=False)
    _save(figure, path)


def write_plots(results: Sequence[ConfigResult], out_dir: Path) -> list[Plot]:
    """Draw every plot into ``out_dir`` and describe them for the report.

    Example:
        >>> [p.file for p in write_plots(run.results, Path("out/eval"))]  # doctest: +SKIP
        ['hit_at_k.png', 'by_type.png', 'latency.png']
    """
    font = cjk_font()
    cjk = font is not None
    # A configuration that retrieves fewer than 10 passages has a flat curve beyond its depth: say so.
    depths = {r.name: max((len(record.get("retrieved") or []) for record in r.records), default=0) for r in results}
    shallow = [f"{name} 只取 {depth} 段，k>{depth} 后不再上升。"
               for name, depth in depths.items() if 0 < depth < HIT_CURVE_MAX_K]
    plots = [
        (Plot("hit_at_k.png", "检索命中率随 k 的变化",
              "每条线是一种配置：横轴 k，纵轴为前 k 个检索段落中含有标准证据的题目比例（只计有答案且有证据的题目）。"
              + "".join(shallow)),
         plot_hit_curves),
        (Plot("by_type.png", "按题型比较",
              "上：答案包含全部要点的比例（不可回答题换成正确拒答率，斜线填充）；下：证据在前 5 段中的比例。"),
         plot_type_bars),
        (Plot("latency.png", "耗时分布",
              "每个点是一道题从提问到得到答案的时间（含查询编码），箱体为四分位距，箱中横线为中位数。"),
         plot_latency),
    ]
    with matplotlib.rc_context(_style(font)):
        for plot, draw in plots:
            draw(results, out_dir / plot.file, cjk)
    return [plot for plot, _ in plots]
