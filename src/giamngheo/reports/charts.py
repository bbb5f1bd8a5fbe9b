"""Charts drawn on the server as inline SVG (biểu đồ): horizontal bars, stacked bars and a line chart
for trends. Framework-free (no Django) and self-contained: no script, no font or image from anywhere.

Every chart is an ``<svg role="img">`` with a ``<title>`` and a ``<desc>`` (what a screen reader says),
and every bar or point carries its own ``<title>`` (its label and value, also shown as a tooltip).
Values are written next to the bars, so nothing is told by colour alone. Texts arrive already
translated and numbers already formatted (``fmt``): the caller owns the language and the number
format; this module only escapes and draws.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final

__all__ = ["Bar", "Line", "Segment", "StackedBar", "bar_chart", "line_chart", "stacked_bar_chart"]

Formatter = Callable[[float], str]

#: Colours with enough contrast on white; the first two are the poor and near-poor colours.
PALETTE: Final = ("#b3261e", "#d08700", "#0b4f6c", "#5b6775", "#2e7d32", "#6a1b9a")
FONT_SIZE: Final = 13
ROW_HEIGHT: Final = 26
LABEL_WIDTH: Final = 190  # room for a commune name ("Phường Cẩm Thành") at 13 px
VALUE_WIDTH: Final = 80
WIDTH: Final = 640
NARROW_WIDTH: Final = 480  # charts meant for a half-width card

_ids = itertools.count(1)


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    value: float
    href: str = ""  # optional link (drill-down)


@dataclass(frozen=True, slots=True)
class Segment:
    series: str
    value: float


@dataclass(frozen=True, slots=True)
class StackedBar:
    label: str
    segments: tuple[Segment, ...]
    href: str = ""


@dataclass(frozen=True, slots=True)
class Line:
    name: str
    values: tuple[float | None, ...]  # one per x label; ``None``: no point


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _default_format(value: float) -> str:
    return f"{value:g}"


def _new_id() -> str:
    return f"chart-{next(_ids)}"


def _open_svg(width: int, height: int, title: str, description: str, css: str) -> tuple[str, str]:
    chart_id = _new_id()
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {css}" role="img" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-size="{FONT_SIZE}">'
        f'<title id="{chart_id}-title">{_e(title)}</title>'
        f'<desc id="{chart_id}-desc">{_e(description)}</desc>'
    )
    return chart_id, head


def _truncate(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[: limit - 1] + "…"


def _wrap_link(href: str, body: str) -> str:
    """A relative link around ``body``; anything that is not a site path is dropped (no external URL)."""
    if href.startswith("/") and not href.startswith("//"):
        return f'<a href="{_e(href)}">{body}</a>'
    return body


def _scale_max(values: Sequence[float], max_value: float | None) -> float:
    top = max([v for v in values if v > 0], default=0.0)
    if max_value is not None:
        top = max(top, max_value)
    return top or 1.0


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    description: str,
    fmt: Formatter = _default_format,
    max_value: float | None = None,
    colour: str = PALETTE[0],
) -> str:
    """Horizontal bars, one item per row: its label above the bar (long Vietnamese labels fit a half-width
    card) and its value at the end of the bar.

    ``max_value`` fixes the end of the scale (e.g. 100 for percentages); by default the largest value.
    """
    width, row_height, left, value_width = NARROW_WIDTH, 40, 4, 76
    height = max(len(bars), 1) * row_height + 4
    plot = width - left - value_width
    top = _scale_max([b.value for b in bars], max_value)
    _chart_id, head = _open_svg(width, height, title, description, "chart-bar")
    parts = [head]
    for index, bar in enumerate(bars):
        y = 2 + index * row_height
        length = max(plot * max(bar.value, 0.0) / top, 0.0)
        value = fmt(bar.value)
        row = (
            f'<g class="chart-row"><title>{_e(bar.label)}: {_e(value)}</title>'
            f'<text x="{left}" y="{y + 14}" class="chart-label">{_e(_truncate(bar.label, 64))}</text>'
            f'<rect x="{left}" y="{y + 20}" width="{length:.1f}" height="14" rx="2" fill="{colour}"/>'
            f'<text x="{left + length + 6:.1f}" y="{y + 32}" class="chart-value">{_e(value)}</text></g>'
        )
        parts.append(_wrap_link(bar.href, row))
    parts.append("</svg>")
    return "".join(parts)


def _legend(series: Sequence[str], y: float, x0: float = LABEL_WIDTH) -> str:
    parts = ['<g class="chart-legend">']
    x = x0
    for index, name in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(
            f'<rect x="{x:.1f}" y="{y - 10:.1f}" width="12" height="12" rx="2" fill="{colour}"/>'
            f'<text x="{x + 17:.1f}" y="{y:.1f}">{_e(name)}</text>'
        )
        x += 17 + len(name) * 7.2 + 20
    parts.append("</g>")
    return "".join(parts)


def stacked_bar_chart(
    bars: Sequence[StackedBar],
    *,
    series: Sequence[str],
    title: str,
    description: str,
    fmt: Formatter = _default_format,
    max_value: float | None = None,
) -> str:
    """Horizontal stacked bars (e.g. poor and near-poor rates per commune), a legend on top; the values
    of the segments are written after the bar ("8,17 % + 7,83 %") and in its ``<title>``."""
    legend_height = 24
    height = legend_height + max(len(bars), 1) * ROW_HEIGHT + 8
    plot = WIDTH - LABEL_WIDTH - 2 * VALUE_WIDTH
    totals = [sum(max(segment.value, 0.0) for segment in bar.segments) for bar in bars]
    top = _scale_max(totals, max_value)
    colours = {name: PALETTE[i % len(PALETTE)] for i, name in enumerate(series)}
    _chart_id, head = _open_svg(WIDTH, height, title, description, "chart-stacked")
    parts = [head, _legend(series, 16)]
    for index, bar in enumerate(bars):
        y = legend_height + 4 + index * ROW_HEIGHT
        x = float(LABEL_WIDTH)
        described = "; ".join(f"{s.series}: {fmt(s.value)}" for s in bar.segments)
        row = [
            f'<g class="chart-row"><title>{_e(bar.label)} — {_e(described)}</title>'
            f'<text x="{LABEL_WIDTH - 8}" y="{y + ROW_HEIGHT / 2 + 4:.1f}" text-anchor="end" '
            f'class="chart-label">{_e(_truncate(bar.label))}</text>'
        ]
        for segment in bar.segments:
            length = plot * max(segment.value, 0.0) / top
            row.append(
                f'<rect x="{x:.1f}" y="{y + 4}" width="{length:.1f}" height="{ROW_HEIGHT - 8}" '
                f'fill="{colours.get(segment.series, PALETTE[-1])}"/>'
            )
            x += length
        values = " + ".join(fmt(segment.value) for segment in bar.segments)
        row.append(
            f'<text x="{x + 6:.1f}" y="{y + ROW_HEIGHT / 2 + 4:.1f}" class="chart-value">'
            f"{_e(values)}</text></g>"
        )
        parts.append(_wrap_link(bar.href, "".join(row)))
    parts.append(
        f'<line x1="{LABEL_WIDTH}" y1="{legend_height}" x2="{LABEL_WIDTH}" y2="{height}" '
        'stroke="#8a96a3" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def line_chart(
    x_labels: Sequence[str],
    lines: Sequence[Line],
    *,
    title: str,
    description: str,
    fmt: Formatter = _default_format,
    max_value: float | None = None,
) -> str:
    """Lines over ``x_labels`` (e.g. years), each point labelled with its value; a legend on top.

    The scale starts at 0. With one x label the points stand alone (nothing to join).
    """
    width, height = NARROW_WIDTH, 256
    left, right, top_margin, bottom = 56, 16, 40, 52
    plot_w = width - left - right
    plot_h = height - top_margin - bottom
    values = [v for line in lines for v in line.values if v is not None]
    top = _scale_max(values, max_value) * 1.15
    count = max(len(x_labels), 1)
    step = plot_w / count

    def x_of(i: int) -> float:
        return left + step * (i + 0.5)

    def y_of(v: float) -> float:
        return top_margin + plot_h * (1 - max(v, 0.0) / top)

    _chart_id, head = _open_svg(width, height, title, description, "chart-line")
    parts = [head, _legend([line.name for line in lines], 16, left)]
    for fraction in (0.0, 0.5, 1.0):
        tick = top / 1.15 * fraction
        y = y_of(tick)
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'stroke="#d9dfe5" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" class="chart-axis">'
            f"{_e(fmt(tick))}</text>"
        )
    for i, label in enumerate(x_labels):
        parts.append(
            f'<text x="{x_of(i):.1f}" y="{height - 8}" text-anchor="middle" class="chart-axis">'
            f"{_e(label)}</text>"
        )

    def highest(i: int) -> int:
        """Which line is on top at ``i`` (its value is written above the point, the others' below)."""
        at = [(line.values[i], -n) for n, line in enumerate(lines) if i < len(line.values)]
        known = [(v, n) for v, n in at if v is not None]
        return -max(known)[1] if known else -1

    for index, line in enumerate(lines):
        colour = PALETTE[index % len(PALETTE)]
        points = [(x_of(i), y_of(v), v, x_labels[i], i) for i, v in enumerate(line.values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y, _v, _l, _i in points)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2.5"/>')
        for x, y, v, label, i in points:
            text_y = y - 9 if highest(i) == index else y + 19
            parts.append(
                f'<g class="chart-point"><title>{_e(line.name)}, {_e(label)}: {_e(fmt(v))}</title>'
                f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4.5" fill="{colour}"/>'
                f'<text x="{x:.1f}" y="{text_y:.1f}" text-anchor="middle" class="chart-value">'
                f"{_e(fmt(v))}</text></g>"
            )
    parts.append("</svg>")
    return "".join(parts)
