"""Charts for the report: matplotlib figures rendered to small inline SVG.

matplotlib is imported only when a chart is drawn, so ``clean`` without ``--report`` never pays
for it. SVGs keep text as text (``svg.fonttype = 'none'``: no embedded glyph outlines, the page's
font is used), carry no date metadata, and get ids salted by chart name so that several SVGs
inlined in one page never share a ``clip-path`` id. Data is aggregated before it gets here: a
chart never sees more than a few dozen bars.

>>> svg = bar_chart("demo", ["a", "b"], [3, 1], title="Demo")
>>> svg.startswith("<svg") and "</svg>" in svg and "Demo" in svg
True
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from typing import Any

#: Bar and line colour (the report's accent) and the colour of preset thresholds.
ACCENT = "#3867b0"
THRESHOLD = "#c0392b"


def _pyplot() -> Any:
    try:
        import matplotlib
    except ImportError as exc:
        raise ImportError(
            "the report draws its charts with matplotlib, which is not installed: "
            "pip install 'boilerclean[report]' (or pip install matplotlib)."
        ) from exc

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def _svg(fig: Any, name: str) -> str:
    """The figure as an ``<svg>`` element (no XML prolog, no metadata), then closed."""
    plt = _pyplot()
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None}, transparent=True)
    plt.close(fig)
    text = buffer.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.S)
    return text.replace("<svg ", f'<svg role="img" aria-label="{_attr(name)}" ', 1)


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


def _rc(name: str) -> dict[str, Any]:
    return {
        "svg.fonttype": "none",
        "svg.hashsalt": name,
        "font.size": 8,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "axes.titlesize": 9,
        "axes.titleweight": "bold",
    }


def bar_chart(
    name: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    title: str,
    xlabel: str = "",
    percent: bool = False,
) -> str:
    """Horizontal bars, largest first as given; ``percent`` formats values as shares."""
    plt = _pyplot()
    with plt.rc_context(_rc(name)):
        height = 1.0 + 0.2 * max(len(labels), 2)
        fig, ax = plt.subplots(figsize=(6.4, height))
        positions = list(range(len(labels)))[::-1]
        ax.barh(positions, values, color=ACCENT, height=0.7)
        ax.set_yticks(positions, [str(label) for label in labels])
        ax.set_title(title, loc="left")
        if xlabel:
            ax.set_xlabel(xlabel)
        if percent:
            from matplotlib.ticker import PercentFormatter

            ax.xaxis.set_major_formatter(PercentFormatter(1.0, decimals=1))
        ax.margins(y=0.02)
        fig.tight_layout()
        return _svg(fig, name)


def histogram(
    name: str,
    counts: Sequence[int],
    edges: Sequence[float],
    *,
    title: str,
    log_counts: bool = False,
    thresholds: Sequence[tuple[str, float]] = (),
) -> str:
    """A histogram from counts already binned on ``edges``, with threshold lines drawn on it.

    ``log_counts`` marks a signal binned as log10(value + 1): its axis is labelled in values and
    its thresholds are placed on the same scale.
    """
    import math

    plt = _pyplot()
    with plt.rc_context(_rc(name)):
        fig, ax = plt.subplots(figsize=(3.6, 2.0))
        ax.stairs(counts, edges, fill=True, color=ACCENT, linewidth=0)
        ax.set_title(title, loc="left")
        ax.set_ylabel("documents")
        if log_counts:
            ticks = [t for t in range(int(edges[-1]) + 1)]
            ax.set_xticks(ticks, [f"{10**t:,}" if t < 4 else f"1e{t}" for t in ticks])
        for label, value in thresholds:
            x = math.log10(max(value, 0) + 1) if log_counts else value
            x = min(max(x, edges[0]), edges[-1])
            ax.axvline(x, color=THRESHOLD, linewidth=1.2, linestyle="--", label=label)
        if thresholds:
            ax.legend(fontsize=6, frameon=False, loc="upper right")
        fig.tight_layout()
        return _svg(fig, name)
