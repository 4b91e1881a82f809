"""The static HTML health report: one self-contained file a CS leader can open or mail around."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from account_health.explain.data import component_labels
from account_health.paths import Paths
from account_health.report import charts
from account_health.report.queries import ReportData, read_report_data
from account_health.serving import open_serving


@dataclass(frozen=True)
class ReportResult:
    path: Path
    sections: list[str]


def _charts(data: ReportData) -> dict[str, Markup]:
    rendered = {
        "bands": charts.stacked_bars(
            "Share of accounts per band",
            data.band_months,
            data.band_shares,
            x_title="month",
            y_title="share of scored customers",
        ),
        "scores": charts.histogram(
            "Accounts per score bucket today",
            data.score_bins,
            data.score_counts,
            x_title="health score",
            y_title="customers",
        ),
        "adoption": charts.lines(
            "Active user rate by user group",
            data.adoption_months,
            data.adoption,
            percent=True,
            x_title="month",
            y_title="active users / provisioned users",
        ),
        "retention": charts.lines(
            "Trailing 12-month retention",
            data.retention_months,
            data.retention,
            percent=True,
            x_title="month",
            y_title="revenue retained, trailing 12 months",
            reference=(1.0, "100%: the revenue of a year ago, kept"),
        ),
    }
    # The SVG is built from numbers and escaped labels only, so it is safe to insert as markup.
    return {name: Markup(svg) for name, svg in rendered.items() if svg}


def signed(value: object, places: int = 1) -> str:
    """+1.5, -0.3, 0.0: never "-0.0" for a value that rounds to zero."""
    number = round(float(value or 0), places)  # type: ignore[arg-type]
    return f"{0.0:.{places}f}" if number == 0 else f"{number:+.{places}f}"


def labelled(drivers: str | None, labels: dict[str, str]) -> str | None:
    """'by_choice_active_rate_30d (-17.3), nps_365d (-2.0)' with each component's label from the seed."""
    if not drivers:
        return drivers
    return re.sub(r"[a-z0-9_]+(?= \()", lambda match: labels.get(match.group(0), match.group(0)), drivers)


def build_report(paths: Paths) -> ReportResult:
    """Render the report from the serving database (read-only), so it shows exactly what BI sees."""
    with open_serving(paths, error=FileNotFoundError) as con:
        data = read_report_data(con)
    labels = {component: label for component, (label, _) in component_labels(paths.config_dir).items()}
    for row in data.decliners:
        row["top_change_drivers"] = labelled(row["top_change_drivers"], labels)
    environment = Environment(
        loader=PackageLoader("account_health.report", "templates"),
        autoescape=select_autoescape(["html", "j2"]),
    )
    environment.filters["signed"] = signed
    rendered_charts = _charts(data)
    html = environment.get_template("report.html.j2").render(data=data, charts=rendered_charts)
    paths.report_dir.mkdir(parents=True, exist_ok=True)
    target = paths.report_dir / "index.html"
    temporary = target.with_suffix(".html.tmp")
    temporary.write_text(html, encoding="utf-8")
    temporary.replace(target)
    sections = [name for name in ("kpis",) if data.kpis] + list(rendered_charts)
    if data.review_queue:
        sections.append("review_queue")
    if data.why_red:
        sections.append("why_red")
    if data.renewals_by_window:
        sections.append("renewals")
    if data.decliners:
        sections.append("decliners")
    return ReportResult(path=target, sections=sections)
