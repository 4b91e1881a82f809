"""The terminal page of `account-health explain`: rich renderables from an `Explanation`."""

from __future__ import annotations

from decimal import Decimal

from rich import box
from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

from account_health.explain.data import Component, Explanation

BAND_STYLES = {"unhealthy": "bold red", "not_so_healthy": "bold yellow", "healthy": "bold green"}
SPARK = "▁▂▃▄▅▆▇█"
SPARK_POINTS = 30


def sparkline(scores: list[Decimal | None], points: int = SPARK_POINTS) -> str:
    """One character per sampled day on a fixed 0-100 scale (a space where the day had no score)."""
    if not scores:
        return ""
    step = max(1, len(scores) // points)
    sampled = scores[::-1][::step][::-1]  # keep the last day
    return "".join(
        " " if score is None else SPARK[min(len(SPARK) - 1, int(float(score) / 100 * len(SPARK)))]
        for score in sampled
    )


def _number(value: object, places: int = 1, signed: bool = False) -> str:
    if value is None:
        return "-"
    number = float(value)  # type: ignore[arg-type]
    text = f"{number:+.{places}f}" if signed else f"{number:,.{places}f}"
    return text.replace("-0.0", "0.0").replace("+0.0", "0.0") if abs(number) < 0.05 else text


def _raw(value: float | None) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3g}"


def _header(page: Explanation) -> RenderableType:
    band = page.health_band or "no band"
    title = Text.assemble(
        (f"{page.account_name} ", "bold"),
        (f"({page.account_id}, {page.segment}, CSM {page.csm_owner or 'none'})", "dim"),
    )
    lines = [
        Text.assemble(
            (band, BAND_STYLES.get(band, "bold")),
            f"   score {_number(page.health_score)}",
            f"   30-day change {_number(page.score_delta_30d, signed=True)}",
            f"   in this band since {page.band_entered_on or '-'}",
        ),
        Text(
            f"why {band}: "
            + (
                f"override {page.band_override_rules} (the score alone says {page.score_band})"
                if page.band_set_by == "override"
                else "its score"
                if page.band_set_by == "score"
                else "not scored"
            )
        ),
        Text(f"last {len(page.history)} days  {sparkline([score for _, score in page.history])}  (0-100)"),
        Text(
            f"ARR ${_number(page.current_arr_usd, 0)}   renewal {page.next_renewal_date or 'none'}   "
            f"score day {page.score_date}" + ("" if page.is_active_customer else "   not a customer today")
        ),
        Text(f"scorecard {page.scorecard_version or '-'}", style="dim"),
    ]
    if page.override_rules_fired:
        lines.append(Text(f"override rules firing: {page.override_rules_fired}"))
    if page.score_status and page.score_status != "ok":
        lines.append(Text(f"score status: {page.score_status}", style="yellow"))
    return Panel(Group(*lines), title=title, title_align="left")


def _components(components: list[Component]) -> Table:
    """The components that made the score: their points add up to it."""
    table = Table(
        title="Components used (points add up to the score)", title_justify="left", box=box.SIMPLE_HEAD
    )
    table.add_column("component", no_wrap=True, overflow="ellipsis", max_width=28)
    for name in ("raw", "score", "weight", "points", "vs 50", "30d"):
        table.add_column(name, justify="right", no_wrap=True, min_width=max(5, len(name)))
    for component in components:
        if component.status == "used":
            table.add_row(*_component_cells(component))
    return table


def _component_cells(component: Component) -> list[RenderableType]:
    pull = component.pull or 0
    pull_style = "green" if pull > 0 else "red" if pull < 0 else ""
    delta = component.contribution_delta_30d
    return [
        component.label,
        _raw(component.raw_value),
        _number(component.score, 0),
        f"{float(component.normalised_weight or 0) * 100:.0f}%",
        _number(component.contribution),
        Text(_number(component.pull, signed=True), style=pull_style),
        _number(delta, signed=True) if delta else "-",
    ]


def _listed(components: list[Component], describe) -> str:
    return ", ".join(f"{component.label} ({describe(component)})" for component in components) or "none"


def _drivers(page: Explanation, count: int = 3) -> str:
    moved = [c for c in page.components if c.contribution_delta_30d]
    moved.sort(key=lambda c: abs(c.contribution_delta_30d or 0), reverse=True)
    return (
        ", ".join(f"{c.label} ({_number(c.contribution_delta_30d, signed=True)})" for c in moved[:count])
        or "none"
    )


def _next(page: Explanation) -> RenderableType:
    action = page.recommended_action or "no action"
    if page.action_owner_role:
        action += f" ({page.action_owner_role}, due {page.action_due_date})"
    return Group(
        Text(f"30-day change {_number(page.score_delta_30d, signed=True)}, most from: {_drivers(page)}"),
        Text(f"missing (left out, not scored 0): {', '.join(c.label for c in page.missing) or 'none'}"),
        Text("stale (left out): " + _listed(page.stale, lambda c: f"{_raw(c.raw_value)} on {c.measured_on}")),
        Text(
            "tracked at weight 0: "
            + _listed(page.unweighted, lambda c: f"{_raw(c.raw_value)}, score {_number(c.score, 0)}")
        ),
        Text.assemble(("next: ", "bold"), action),
        Text(f"next review due {page.next_review_due_date or '-'}"),
    )


def render(page: Explanation) -> Group:
    return Group(_header(page), _components(page.components), _next(page))
