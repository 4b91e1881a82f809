"""Small inline-SVG charts: the report must open offline, in any browser, with no JavaScript library."""

from __future__ import annotations

import math
from collections.abc import Sequence
from html import escape

BAND_COLOURS = {
    "healthy": "#2e7d32",
    "not_so_healthy": "#f9a825",
    "unhealthy": "#c62828",
}
SERIES_COLOURS = ("#1565c0", "#6a1b9a", "#00838f", "#ef6c00", "#5d4037", "#455a64")

WIDTH = 1000
HEIGHT = 300
MARGIN_LEFT = 64
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 52


def _plot_area() -> tuple[float, float]:
    return WIDTH - MARGIN_LEFT - MARGIN_RIGHT, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM


def _svg(title: str, body: list[str], x_title: str, y_title: str) -> str:
    """The chart at the page's full width (it scales with its viewBox), with both axis titles."""
    plot_width, plot_height = _plot_area()
    middle = MARGIN_TOP + plot_height / 2
    titles = (
        f'<text class="axis-title" x="{MARGIN_LEFT + plot_width / 2:.1f}" y="{HEIGHT - 6}" '
        f'text-anchor="middle" font-size="12">{escape(x_title)}</text>'
        f'<text class="axis-title" x="14" y="{middle:.1f}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 14 {middle:.1f})">{escape(y_title)}</text>'
    )
    return (
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="100%" preserveAspectRatio="xMidYMid meet" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}{titles}</svg>"
    )


def nice_axis(value: float, percent: bool) -> tuple[float, int]:
    """The axis maximum and its number of ticks: the first round step (1, 2, 2.5 or 5 x 10^k; percent
    steps of 5, 10, 20, 25 or 50%) that reaches `value` in at most six ticks, e.g. 0/25/50/.../150%."""
    if value <= 0:
        return 1.0, 4
    steps = (0.05, 0.1, 0.2, 0.25, 0.5, 1.0, 2.0) if percent else ()
    if not percent:
        magnitude = 10 ** math.floor(math.log10(value / 6))
        # whole counts: never a step under 1
        steps = tuple(
            m * magnitude
            for m in (1, 2, 2.5, 5, 10, 20)
            if m * magnitude >= 1 and float(m * magnitude).is_integer()
        )
    for step in steps:
        ticks = math.ceil(value / step - 1e-9)
        if ticks <= 6:
            return step * max(ticks, 1), max(ticks, 1)
    return value, 4


def _y_axis(max_value: float, percent: bool, ticks: int = 4) -> list[str]:
    plot_width, plot_height = _plot_area()
    parts = []
    for step in range(ticks + 1):
        value = max_value * step / ticks
        y = MARGIN_TOP + plot_height - plot_height * step / ticks
        label = f"{value:.0%}" if percent else f"{value:,.0f}"
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT + plot_width}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#e0e0e0"/>'
            f'<text class="tick" x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{label}</text>"
        )
    return parts


def _reference(value: float, top: float, label: str) -> list[str]:
    """A dashed line at `value` (e.g. 100% NRR: what the customers of a year ago pay today)."""
    plot_width, plot_height = _plot_area()
    y = MARGIN_TOP + plot_height - plot_height * value / top
    return [
        f'<line class="reference" x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT + plot_width}" y1="{y:.1f}" '
        f'y2="{y:.1f}" stroke="#424242" stroke-dasharray="6 4"/>'
        f'<text x="{MARGIN_LEFT + plot_width - 4}" y="{y - 4:.1f}" text-anchor="end" font-size="11" '
        f'fill="#424242">{escape(label)}</text>'
    ]


def _x_labels(labels: Sequence[str]) -> list[str]:
    plot_width, plot_height = _plot_area()
    every = max(1, len(labels) // 8)
    parts = []
    for index, label in enumerate(labels):
        if index % every:
            continue
        x = MARGIN_LEFT + plot_width * (index + 0.5) / len(labels)
        parts.append(
            f'<text x="{x:.1f}" y="{MARGIN_TOP + plot_height + 18}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    return parts


def stacked_bars(
    title: str, labels: Sequence[str], series: dict[str, Sequence[float]], *, x_title: str, y_title: str
) -> str:
    """Shares that add up to one per label (e.g. accounts per band per month)."""
    if not labels:
        return ""
    plot_width, plot_height = _plot_area()
    bar_width = plot_width / len(labels)
    body = _y_axis(1.0, percent=True)
    for index in range(len(labels)):
        bottom = MARGIN_TOP + plot_height
        for position, (name, values) in enumerate(series.items()):
            height = plot_height * float(values[index] or 0)
            colour = BAND_COLOURS.get(name, SERIES_COLOURS[position % len(SERIES_COLOURS)])
            bottom -= height
            x = MARGIN_LEFT + index * bar_width + 1
            body.append(
                f'<rect class="bar" data-series="{escape(name)}" x="{x:.1f}" '
                f'y="{bottom:.1f}" width="{max(bar_width - 2, 1):.1f}" height="{height:.1f}" '
                f'fill="{colour}"><title>{escape(labels[index])} {escape(name)}: '
                f"{float(values[index] or 0):.0%}</title></rect>"
            )
    body += _x_labels(labels)
    return _svg(title, body, x_title, y_title) + legend(series.keys())


def lines(
    title: str,
    labels: Sequence[str],
    series: dict[str, Sequence[float | None]],
    *,
    percent: bool,
    x_title: str,
    y_title: str,
    reference: tuple[float, str] | None = None,
) -> str:
    """One line per series; a gap (never a zero) where a value is missing; an optional reference line."""
    values = [v for vs in series.values() for v in vs if v is not None]
    if not labels or not values:
        return ""
    top, ticks = nice_axis(max([*values, reference[0] if reference else 0]) * 1.02, percent)
    plot_width, plot_height = _plot_area()
    body = _y_axis(top, percent, ticks)
    if reference:
        body += _reference(reference[0], top, reference[1])
    for position, (name, points) in enumerate(series.items()):
        colour = BAND_COLOURS.get(name, SERIES_COLOURS[position % len(SERIES_COLOURS)])
        path, pen_down = [], False
        for index, value in enumerate(points):
            if value is None:
                pen_down = False
                continue
            x = MARGIN_LEFT + plot_width * (index + 0.5) / len(labels)
            y = MARGIN_TOP + plot_height - plot_height * float(value) / top
            path.append(f"{'L' if pen_down else 'M'}{x:.1f},{y:.1f}")
            pen_down = True
        body.append(
            f'<path class="line" data-series="{escape(name)}" d="{" ".join(path)}" fill="none" '
            f'stroke="{colour}" stroke-width="2"/>'
        )
    body += _x_labels(labels)
    return _svg(title, body, x_title, y_title) + legend(series.keys())


def histogram(
    title: str, bins: Sequence[str], series: dict[str, Sequence[int]], *, x_title: str, y_title: str
) -> str:
    """Counts per bin, one colour per series, side by side."""
    if not bins:
        return ""
    top, ticks = nice_axis(max([max(values) for values in series.values() if values] + [1]), percent=False)
    plot_width, plot_height = _plot_area()
    group_width = plot_width / len(bins)
    bar_width = group_width / max(len(series), 1)
    body = _y_axis(top, percent=False, ticks=ticks)
    for position, (name, counts) in enumerate(series.items()):
        colour = BAND_COLOURS.get(name, SERIES_COLOURS[position % len(SERIES_COLOURS)])
        for index, count in enumerate(counts):
            height = plot_height * count / top
            x = MARGIN_LEFT + index * group_width + position * bar_width
            body.append(
                f'<rect class="bar" data-series="{escape(name)}" x="{x + 1:.1f}" '
                f'y="{MARGIN_TOP + plot_height - height:.1f}" width="{max(bar_width - 2, 1):.1f}" '
                f'height="{height:.1f}" fill="{colour}"><title>{escape(bins[index])} {escape(name)}: '
                f"{count}</title></rect>"
            )
    body += _x_labels(bins)
    return _svg(title, body, x_title, y_title) + legend(series.keys())


def legend(names) -> str:
    items = []
    for position, name in enumerate(names):
        colour = BAND_COLOURS.get(name, SERIES_COLOURS[position % len(SERIES_COLOURS)])
        items.append(
            f'<span class="legend-item"><span class="swatch" style="background:{colour}"></span>'
            f"{escape(str(name).replace('_', ' '))}</span>"
        )
    return f'<div class="legend">{"".join(items)}</div>'
