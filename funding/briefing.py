"""The briefing pack's figures as SVG: the same figure dicts the pages draw with plotly, as vector
bar charts WeasyPrint puts in the PDF (no browser, no network). Pure: a figure dict in, SVG text out.

Bars stack (or stand side by side for changes) in the figure's order and colours; every year of the
range has its slot, "no data" is written where a year has nothing, the marks sit above their bars,
and the legend names every series. Numbers on the axis follow the active language.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

from django.utils.formats import number_format

WIDTH, HEIGHT = 640, 300
LEFT, RIGHT, TOP, BOTTOM = 70, 10, 12, 28
LEGEND_ROW = 16
FONT = "DejaVu Sans, Arial, sans-serif"
# About how wide a year under the axis is with room around it, and a character of "no data" at 9 px.
YEAR_LABEL_WIDTH = 30
NO_DATA_CHARACTER = 5.2


def _nice_step(top):
    """A round step for about five gridlines up to `top`."""
    if top <= 0:
        return 1
    raw = top / 5
    magnitude = 10 ** (len(str(int(raw))) - 1) if raw >= 1 else 1
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= factor * magnitude:
            return factor * magnitude
    return 10 * magnitude


def _legend_rows(names):
    """The legend's names in rows that fit the width (about 6.5 px a character at 10 px)."""
    rows, row, used = [], [], 0
    for name in names:
        width = 22 + len(name) * 6.2
        if row and used + width > WIDTH - LEFT:
            rows.append(row)
            row, used = [], 0
        row.append((name, used))
        used += width
    if row:
        rows.append(row)
    return rows


def figure_svg(figure, *, title):
    """A plotly figure dict of charts.figure() -> an SVG document (str), `title` as its accessible name."""
    layout = figure["layout"]
    years = layout["xaxis"]["categoryarray"]
    traces = figure["data"]
    grouped = layout.get("barmode") == "group"
    legend = _legend_rows([t["name"] for t in traces]) if layout.get("showlegend") else []
    top_margin = TOP + LEGEND_ROW * len(legend)
    bottom, top, step = _value_range(traces, grouped)
    scale = _Scale(top=top, span=top - bottom, top_margin=top_margin, height=HEIGHT - top_margin - BOTTOM)
    slot = (WIDTH - LEFT - RIGHT) / max(len(years), 1)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" font-family="{FONT}" font-size="10">',
        f"<title>{escape(title)}</title>",
        *_legend_svg(legend, traces),
        *_gridlines(
            scale,
            bottom,
            top,
            step,
            percent="ticksuffix" in layout["yaxis"],
            labels=layout["yaxis"].get("showticklabels", True),
        ),
        *_bars(traces, years, scale, slot, grouped),
        *_year_labels(traces, years, scale, slot, layout),
        "</svg>",
    ]
    return "".join(parts)


@dataclass(frozen=True)
class _Scale:
    """Values to the SVG's y: `top` is drawn at `top_margin`, `top - span` `height` lower."""

    top: float
    span: float
    top_margin: float
    height: float

    def y(self, value):
        return self.top_margin + self.height * (self.top - value) / self.span


def _value_range(traces, grouped):
    """(bottom, top, step) of the value axis: round steps that hold every bar (stacked or side by side)."""
    stacks = {}
    lowest, highest = 0.0, 0.0
    for trace in traces:
        for x, y in zip(trace["x"], trace["y"], strict=True):
            if grouped:
                lowest, highest = min(lowest, y), max(highest, y)
            else:
                stacks[x] = stacks.get(x, 0) + y
                highest = max(highest, stacks[x])
    step = _nice_step(max(highest - lowest, 1))
    top = step * (int(highest / step) + (highest % step > 0)) if highest > 0 else step
    bottom = -step * (int(-lowest / step) + (-lowest % step > 0)) if lowest < 0 else 0
    return bottom, top, step


def _legend_svg(legend, traces):
    for row_index, row in enumerate(legend):
        y = TOP + row_index * LEGEND_ROW
        for name, offset in row:
            colour = next(t["marker"]["color"] for t in traces if t["name"] == name)
            yield f'<rect x="{LEFT + offset:.1f}" y="{y}" width="10" height="10" fill="{colour}"/>'
            yield f'<text x="{LEFT + offset + 14:.1f}" y="{y + 9}">{escape(name)}</text>'


def _gridlines(scale, bottom, top, step, *, percent, labels=True):
    """The value axis' lines, each labelled; a chart without bars has no scale to read (the page's chart
    hides its labels, charts._layout), so its lines are unlabelled rather than read "0" and "1"."""
    value = bottom
    while value <= top + 1e-9:
        y = scale.y(value)
        label = number_format(Decimal(str(round(value, 6))).normalize(), force_grouping=True)
        label = f"{label}%" if percent else label
        yield f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d1d5db"/>'
        if labels:
            yield f'<text x="{LEFT - 6}" y="{y + 3:.1f}" text-anchor="end">{escape(label)}</text>'
        value += step
    yield f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{scale.y(0):.1f}" y2="{scale.y(0):.1f}" stroke="#4b5563"/>'


def _bars(traces, years, scale, slot, grouped):
    """Each bar, stacked on the traces before it (or beside them when grouped), with its mark above."""
    bases = {}
    width = slot * 0.7 / (len(traces) if grouped and traces else 1)
    for index, trace in enumerate(traces):
        for x, y, mark in zip(trace["x"], trace["y"], trace.get("text") or [""] * len(trace["x"]), strict=True):
            left = LEFT + years.index(x) * slot + slot * 0.15 + (index * width if grouped else 0)
            start = 0 if grouped else bases.get(x, 0)
            end = start + y
            bases[x] = end
            y1, y2 = sorted((scale.y(start), scale.y(end)))
            yield (
                f'<rect x="{left:.1f}" y="{y1:.1f}" width="{width:.1f}" height="{max(y2 - y1, 0.5):.1f}" '
                f'fill="{trace["marker"]["color"]}"/>'
            )
            if mark:
                yield (
                    f'<text x="{left + width / 2:.1f}" y="{y1 - 3:.1f}" text-anchor="middle" '
                    f'font-weight="bold">{escape(mark)}</text>'
                )


def _year_labels(traces, years, scale, slot, layout):
    """Each year under its slot (every second or fifth one when the slots are too narrow for all),
    and the figure's "no data" words over a year without a bar, turned upright, as the page draws
    them, when they are wider than the slot."""
    drawn = {x for trace in traces for x in trace["x"]}
    no_data = next((a["text"] for a in layout.get("annotations", []) if a.get("textangle") == -90), "")
    every = next(step for step in (1, 2, 5, 10, 20, 50) if slot * step >= YEAR_LABEL_WIDTH)
    upright = len(no_data) * NO_DATA_CHARACTER > slot * 0.9
    for index, year in enumerate(years):
        centre = LEFT + index * slot + slot / 2
        if int(year) % every == 0:
            yield f'<text x="{centre:.1f}" y="{HEIGHT - 10}" text-anchor="middle">{year}</text>'
        if year not in drawn and no_data:
            if upright:
                x, y = centre + 3, scale.y(0) - 4
                yield (
                    f'<text x="{x:.1f}" y="{y:.1f}" transform="rotate(-90 {x:.1f} {y:.1f})" fill="#4b5563" '
                    f'font-size="9">{escape(no_data)}</text>'
                )
            else:
                yield (
                    f'<text x="{centre:.1f}" y="{scale.y(0) - 4:.1f}" text-anchor="middle" fill="#4b5563" '
                    f'font-size="9">{escape(no_data)}</text>'
                )
