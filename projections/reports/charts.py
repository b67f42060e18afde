"""Small trend charts for the scorecard, drawn with matplotlib as inline SVG.

One chart per measure: a bar for each of the last four quarters, coloured by its traffic
light, with the green and amber thresholds drawn across. Text stays text (`svg.fonttype`
'none'), so the charts are small and the PDF's words can be searched.

matplotlib writes SVG paint (fill, stroke, text-anchor) as `style` declarations. In an HTML page
those go through the page's CSS cascade too, which has no such properties: WeasyPrint warned of
each one (about 200 a report). Here they become SVG presentation attributes, which the SVG
renderers (WeasyPrint's and browsers') read the same way; CSS the page knows (`font`) stays.
"""

from __future__ import annotations

import io
import re

import matplotlib

matplotlib.use("Agg")  # no display: render to files only

import matplotlib.pyplot as plt

from projections.scorecard import ScoredMeasure

COLOURS = {"green": "#2e7d32", "amber": "#f2a900", "red": "#c62828", "none": "#b0b7bf"}
INK, FAINT = "#1b1b1b", "#6b7280"


def trend_svg(scored: ScoredMeasure, width: float = 2.3, height: float = 1.05) -> str:
    """The measure's last four quarters as an `<svg>` element (no XML prologue)."""
    threshold = scored.measure.threshold
    values = [p.figure.value for p in scored.trend]
    labels = [f"Q{p.quarter.number}\n{p.quarter.year % 100:02d}" for p in scored.trend]
    # Scaled to the largest value or threshold, so a small share (drift) is still readable.
    top = max([v for v in values if v is not None] + [threshold.green, threshold.amber, 1.0])
    with plt.rc_context({"svg.fonttype": "none", "svg.hashsalt": scored.measure.key,
                         "font.family": "DejaVu Sans", "font.size": 6.5}):
        figure, axes = plt.subplots(figsize=(width, height), dpi=72)
        positions = range(len(values))
        for bound, style in ((threshold.green, "-"), (threshold.amber, "--")):
            axes.axhline(bound, color=FAINT, linewidth=0.6, linestyle=style, zorder=1)
        axes.bar(positions, [v or 0 for v in values], width=0.62, zorder=2,
                 color=[COLOURS[p.light] for p in scored.trend])
        for x, value in zip(positions, values, strict=True):
            text = "n/a" if value is None else f"{value:g}"
            axes.text(x, (value or 0) + top * 0.04, text, ha="center", va="bottom", color=INK,
                      zorder=3, bbox={"boxstyle": "square,pad=0.1", "facecolor": "white",
                                      "edgecolor": "none"})
        axes.set_ylim(0, top * 1.3)
        axes.set_xticks(list(positions), labels, color=FAINT)
        axes.tick_params(axis="both", length=0, pad=1)
        axes.set_yticks([])
        for side in ("top", "right", "left"):
            axes.spines[side].set_visible(False)
        axes.spines["bottom"].set_color(FAINT)
        figure.subplots_adjust(left=0.02, right=0.98, top=0.97, bottom=0.28)
        buffer = io.StringIO()
        figure.savefig(buffer, format="svg", transparent=True)
        plt.close(figure)
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    # Metadata and comments only add weight to an inline chart.
    svg = re.sub(r"<metadata>.*?</metadata>|<!--.*?-->", "", svg, flags=re.S)
    return _presentation_attributes(_scoped_ids(svg, scored.measure.key))


# SVG's own paint properties, which are no CSS properties of an HTML page.
SVG_PAINT = {"fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-linecap",
             "stroke-linejoin", "stroke-dasharray", "stroke-dashoffset", "stroke-miterlimit",
             "stroke-opacity", "text-anchor", "dominant-baseline", "clip-rule"}


def _presentation_attributes(svg: str) -> str:
    """Each `style` declaration of SVG paint moved to an attribute of the same name; the
    stylesheet matplotlib adds for every element (`*{stroke-linejoin: round; ...}`, which in
    an HTML page would also match the page's elements) becomes the root's defaults, which
    each element's own attributes override as its inline style did."""
    defaults = re.search(r'<style type="text/css">\*\{([^}]*)\}</style>', svg)
    if defaults is not None:
        svg = svg.replace(defaults.group(0), "")
        svg = re.sub(r"<defs>\s*</defs>", "", svg)
        svg = svg.replace("<svg ", f'<svg style="{defaults.group(1)}" ', 1)

    def moved(match: re.Match[str]) -> str:
        attributes, kept = [], []
        for declaration in filter(None, (d.strip() for d in match.group(1).split(";"))):
            name, _, value = (part.strip() for part in declaration.partition(":"))
            if name in SVG_PAINT:
                attributes.append(f'{name}="{value}"')
            else:
                kept.append(f"{name}: {value}")
        if kept:
            attributes.append(f'style="{"; ".join(kept)}"')
        return " ".join(attributes)

    return re.sub(r'style="([^"]*)"', moved, svg)


def _scoped_ids(svg: str, scope: str) -> str:
    """Element ids prefixed by `scope`: the charts share one HTML page, where ids must differ."""
    svg = re.sub(r'\bid="([^"]+)"', rf'id="{scope}-\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{scope}-\1)", svg)
    return re.sub(r'href="#([^"]+)"', rf'href="#{scope}-\1"', svg)
