"""Charts drawn on the server as SVG (matplotlib), so the same definition serves a page and a PDF,
offline. Every chart function takes plain data and returns an SVG string."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

import matplotlib

matplotlib.use("Agg")
matplotlib.rcParams["svg.hashsalt"] = "equitable"  # deterministic ids
matplotlib.rcParams["font.family"] = "DejaVu Sans"
matplotlib.rcParams["svg.fonttype"] = "none"  # keep text as text: selectable, searchable, smaller

import matplotlib.pyplot as plt  # noqa: E402

PALETTE = ["#1b4d6e", "#f2c14e", "#5b8e7d", "#c8553d", "#8e7dbe", "#6c757d"]


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]


def _to_svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    plt.close(figure)
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]


def bar_chart(labels: Sequence[str], series: Sequence[Series], *, title: str = "", horizontal: bool = True,
              value_format: str = "{:,.0f}") -> str:
    """Grouped bars: one group per label, one bar per series. Returns an SVG string."""
    count = len(labels)
    height = max(2.0, 0.35 * count * max(1, len(series)) + 1) if horizontal else 3.2
    figure, axes = plt.subplots(figsize=(7.5, height))
    width = 0.8 / max(1, len(series))
    for index, item in enumerate(series):
        positions = [i + (index - (len(series) - 1) / 2) * width for i in range(count)]
        values = [v if v is not None else 0 for v in item.values]
        if horizontal:
            bars = axes.barh(positions, values, height=width, label=item.label, color=PALETTE[index % len(PALETTE)])
        else:
            bars = axes.bar(positions, values, width=width, label=item.label, color=PALETTE[index % len(PALETTE)])
        axes.bar_label(bars, labels=[value_format.format(v) if v is not None else "*" for v in item.values],
                       fontsize=8, padding=2)
    if horizontal:
        axes.set_yticks(range(count), labels)
        axes.invert_yaxis()
    else:
        axes.set_xticks(range(count), labels, rotation=30, ha="right")
    axes.spines[["top", "right"]].set_visible(False)
    if title:
        axes.set_title(title, loc="left", fontsize=11)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=8)
    return _to_svg(figure)


def line_chart(x_labels: Sequence[str], series: Sequence[Series], *, title: str = "") -> str:
    figure, axes = plt.subplots(figsize=(7.5, 3.2))
    for index, item in enumerate(series):
        axes.plot(list(x_labels), list(item.values), marker="o", label=item.label, color=PALETTE[index % len(PALETTE)])
    axes.spines[["top", "right"]].set_visible(False)
    if title:
        axes.set_title(title, loc="left", fontsize=11)
    if len(series) > 1:
        axes.legend(frameon=False, fontsize=8)
    return _to_svg(figure)
