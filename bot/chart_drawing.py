"""Draws one chart (``handlers.dialogue.messages.Chart``, as JSON on standard input) as a PNG on standard output.

A program of its own, run by ``bot.charts`` in a child process: matplotlib and numpy take some 40 MB once loaded,
which ``vhbot serve`` should not carry for a picture the ketenmanager asks for now and then. A hidden count
("<5") is drawn as a hatched block of its own height, labelled "<5", so the picture says no more than the text.
"""

from __future__ import annotations

import io
import json
import sys

from handlers.dialogue.messages import Chart

HIDDEN = "<5"
HIDDEN_HEIGHT = 2.5  # halfway up the band it may be in
COLOURS = ("#1f6f8b", "#e39b2d", "#9aa5ab")
PALETTE = 16
FONT = 14  # points; at 100 dpi some 19 px, and 11 px or more when the picture fills a phone's column


def height(value: str) -> float:
    return HIDDEN_HEIGHT if value == HIDDEN else float(value)


def draw(chart: Chart) -> bytes:
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot
    from matplotlib.patches import Patch
    from matplotlib.ticker import MultipleLocator

    # Drawn for a phone's column (some 360 px wide): a narrow picture with large letters, scaled down less and
    # still legible there; the legend below the bars, where it covers none.
    pyplot.rcParams.update({"font.size": FONT, "axes.titlesize": FONT + 2})
    figure, axes = pyplot.subplots(figsize=(6, 5), dpi=100)
    positions = range(len(chart.categories))
    bottoms = [0.0] * len(chart.categories)
    for (label, values), colour in zip(chart.series, COLOURS, strict=False):
        heights = [height(value) for value in values]
        bars = axes.bar(positions, heights, bottom=bottoms, color=colour, edgecolor="white")
        for bar, value in zip(bars, values, strict=True):
            if value == HIDDEN:
                bar.set_hatch("//")
            if value != "0":
                axes.annotate(
                    value,
                    (bar.get_x() + bar.get_width() / 2, bar.get_y() + bar.get_height() / 2),
                    ha="center",
                    va="center",
                    fontsize=FONT - 1,
                    bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none"},
                )
        bottoms = [bottom + step for bottom, step in zip(bottoms, heights, strict=True)]
    axes.set_xticks(list(positions), chart.categories, rotation=45 if len(chart.categories) > 6 else 0)
    axes.set_title(chart.title)
    axes.spines[["top", "right"]].set_visible(False)
    axes.yaxis.set_major_locator(MultipleLocator(5))  # the counts are fives (and '<5')
    legend = [
        Patch(color=colour, label=label) for (label, _), colour in zip(chart.series, COLOURS, strict=False)
    ]
    hidden = Patch(facecolor="white", edgecolor="grey", hatch="//", label=HIDDEN)
    axes.legend(
        handles=[*legend, hidden], frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.18), ncol=2
    )
    figure.tight_layout()
    drawn = io.BytesIO()
    figure.savefig(drawn, format="png")
    # A few flat colours: a palette of 16 keeps the picture a quarter of its size, small enough to travel inside
    # a Teams card (whose whole message must stay under 28 KB).
    from PIL import Image

    out = io.BytesIO()
    Image.open(drawn).convert("RGB").quantize(colors=PALETTE).save(out, format="PNG", optimize=True)
    return out.getvalue()


def main() -> None:
    chart = Chart.from_json(json.load(sys.stdin))
    sys.stdout.buffer.write(draw(chart))


if __name__ == "__main__":
    main()
