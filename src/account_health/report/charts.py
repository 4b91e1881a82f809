"""Small inline-SVG charts: the report must open offline, in any browser, with no JavaScript library."""

from __future__ import annotations

from collections.abc import Sequence
from html import escape

BAND_COLOURS = {
    "healthy": "#2e7d32",
    "not_so_healthy": "#f9a825",
    "unhealthy": "#c62828",
}
SERIES_COLOURS = ("#1565c0", "#6a1b9a", "#00838f", "#ef6c00", "#5d4037", "#455a64")

WIDTH = 720
HEIGHT = 260
MARGIN_LEFT = 48
MARGIN_RIGHT = 16
MARGIN_TOP = 16
MARGIN_BOTTOM = 36


def _plot_area() -> tuple[float, float]:
    return WIDTH - MARGIN_LEFT - MARGIN_RIGHT, HEIGHT - MARGIN_TOP - MARGIN_BOTTOM


def _svg(title: str, body: list[str]) -> str:
    return (
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'width="{WIDTH}" height="{HEIGHT}" xmlns="http://www.w3.org/2000/svg">'
        f"<title>{escape(title)}</title>{''.join(body)}</svg>"
    )


def _y_axis(max_value: float, percent: bool) -> list[str]:
    plot_width, plot_height = _plot_area()
    parts = []
    for step in range(5):
        value = max_value * step / 4
        y = MARGIN_TOP + plot_height - plot_height * step / 4
        label = f"{value:.0%}" if percent else f"{value:,.0f}"
        parts.append(
            f'<line x1="{MARGIN_LEFT}" x2="{MARGIN_LEFT + plot_width}" y1="{y:.1f}" y2="{y:.1f}" '
            'stroke="#e0e0e0"/>'
            f'<text x="{MARGIN_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{label}</text>'
        )
    return parts


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


def stacked_bars(title: str, labels: Sequence[str], series: dict[str, Sequence[float]]) -> str:
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
    return _svg(title, body) + legend(series.keys())


def lines(title: str, labels: Sequence[str], series: dict[str, Sequence[float | None]], percent: bool) -> str:
    """One line per series; gaps where a value is missing."""
    values = [v for vs in series.values() for v in vs if v is not None]
    if not labels or not values:
        return ""
    top = max(max(values), 1.0) * 1.1
    plot_width, plot_height = _plot_area()
    body = _y_axis(top, percent)
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
    return _svg(title, body) + legend(series.keys())


def histogram(title: str, bins: Sequence[str], series: dict[str, Sequence[int]]) -> str:
    """Counts per bin, one colour per series, side by side."""
    if not bins:
        return ""
    top = max([max(values) for values in series.values() if values] + [1]) * 1.1
    plot_width, plot_height = _plot_area()
    group_width = plot_width / len(bins)
    bar_width = group_width / max(len(series), 1)
    body = _y_axis(top, percent=False)
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
    return _svg(title, body) + legend(series.keys())


def legend(names) -> str:
    items = []
    for position, name in enumerate(names):
        colour = BAND_COLOURS.get(name, SERIES_COLOURS[position % len(SERIES_COLOURS)])
        items.append(
            f'<span class="legend-item"><span class="swatch" style="background:{colour}"></span>'
            f"{escape(str(name).replace('_', ' '))}</span>"
        )
    return f'<div class="legend">{"".join(items)}</div>'
