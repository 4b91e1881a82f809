"""What a CS team runs every day on the published marts: explain, alerts, export, metrics, check and the
dashboard."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from account_health.cli.common import (
    ConfigDir,
    DataDir,
    InputError,
    app,
    console,
    fail,
    parse_date,
    resolve_paths,
)


@app.command()
def explain(
    account_id: Annotated[str, typer.Argument(help="The account to explain, e.g. acc_00239.")],
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="Score day (YYYY-MM-DD). Default: its latest.")
    ] = None,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Explain one account: band and why, score and its last 90 days, every component (raw value, score,
    weight, points), what is missing or stale, the 30-day change and the next step. Reads the serving
    database."""
    from account_health import explain as explaining

    paths = resolve_paths(data_dir, config_dir)
    day = parse_date(as_of) if as_of else None
    try:
        page = explaining.explain(paths, account_id, day)
    except explaining.ExplainError as error:
        raise InputError(str(error)) from error
    console.print(explaining.render(page))


@app.command()
def alerts(
    webhook: Annotated[
        str | None,
        typer.Option(help="URL to POST the changes to (JSON). Default: $ACCOUNT_HEALTH_ALERT_WEBHOOK."),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            help="Without a webhook: JSON lines appended here (<data dir>/alerts/band_changes.jsonl)."
        ),
    ] = None,
    since: Annotated[
        str | None, typer.Option(help="Changes after this day (YYYY-MM-DD). Default: after the last sent.")
    ] = None,
    worse_only: Annotated[
        bool, typer.Option("--worse-only", help="Only accounts that moved to a worse band.")
    ] = False,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Send the band changes published since the last alert (fct_account_band_changes) to a webhook or
    a file; each change goes out once."""
    from account_health.alerts import AlertError, deliver

    paths = resolve_paths(data_dir, config_dir)
    after = parse_date(since) if since else None
    try:
        sent = deliver(paths, webhook=webhook, out=out, since=after, worse_only=worse_only)
    except AlertError as error:
        raise fail(str(error)) from error
    if not sent.changes:
        console.print("no band changes since the last alert")
        return
    console.print(
        f"{sent.changes} band changes (to {sent.last_changed_on}) sent to {sent.target}", soft_wrap=True
    )


@app.command()
def export(
    table: Annotated[str, typer.Argument(help="A published mart, e.g. fct_account_review_queue.")],
    file_format: Annotated[
        str, typer.Option("--format", help="csv, json (an array of objects) or parquet.")
    ] = "csv",
    where: Annotated[
        str | None,
        typer.Option(help="SQL condition over the mart's columns, e.g. \"health_band = 'unhealthy'\"."),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="File to write. Default: <data dir>/exports/<table>.<format>.")
    ] = None,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Write one published mart (or the rows --where keeps) to CSV, JSON or Parquet, read from the serving
    database that BI reads."""
    from account_health.export import ExportError
    from account_health.export import export as export_mart

    paths = resolve_paths(data_dir, config_dir)
    try:
        exported = export_mart(paths, table, file_format=file_format, where=where, out=out)
    except ExportError as error:
        raise InputError(str(error)) from error
    console.print(f"{exported.rows} rows of {exported.table} written to {exported.path}", soft_wrap=True)


@app.command()
def metrics(
    names: Annotated[
        list[str] | None,
        typer.Argument(help="Metrics to show. Default: nrr grr logo_retention accounts arr arr_at_risk."),
    ] = None,
    by: Annotated[
        list[str] | None,
        typer.Option("--by", help="Group by a dimension: band, segment, csm, region, journey_stage, ..."),
    ] = None,
    grain: Annotated[
        str | None, typer.Option(help="Time grain: day, week, month, quarter or year. Default: today only.")
    ] = None,
    where: Annotated[
        str | None,
        typer.Option(
            help="MetricFlow filter, e.g. \"{{ TimeDimension('metric_time', 'day') }} >= '2026-01-01'\"."
        ),
    ] = None,
    show_sql: Annotated[bool, typer.Option("--sql", help="Also print the SQL MetricFlow ran.")] = False,
    list_metrics: Annotated[
        bool, typer.Option("--list", help="List the metrics and what they mean.")
    ] = False,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """The headline metrics from the dbt semantic layer (MetricFlow), the one definition every BI tool
    shares: by time grain and by band, segment or CSM. Reads the built warehouse read-only."""
    from account_health.metrics import (
        GRAINS,
        HEADLINE_FAMILIES,
        HEADLINE_METRICS,
        MetricsError,
        format_cell,
        metrics_session,
    )

    paths = resolve_paths(data_dir, config_dir)
    if grain is not None and grain not in GRAINS:
        raise InputError(f"--grain {grain}: use one of {', '.join(GRAINS)}")
    time_group = [f"metric_time__{grain}"] if grain else []
    try:
        with metrics_session(paths) as session:
            if list_metrics:
                listing = Table("metric", "what it is")
                for metric in sorted(session.manifest.metrics, key=lambda metric: metric.name):
                    listing.add_row(metric.name, " ".join((metric.description or metric.label or "").split()))
                console.print(listing)
                return
            if names or not by:
                queries = [list(names or HEADLINE_METRICS)]
            else:
                # the headline families that can be grouped that way (retention has no band), one table each
                queries = [list(family) for family in HEADLINE_FAMILIES if _groups_by(session, by, family)]
                if not queries:
                    known = set().union(*(session.group_by_names(family) for family in HEADLINE_FAMILIES))
                    choices = ", ".join(sorted(known - {"metric_time__day"}))
                    raise MetricsError(f"--by {' '.join(by)}: the headline metrics group by {choices}")
            tables = []
            for chosen in queries:
                group_by = time_group + [session.resolve_group_by(name, chosen) for name in by or []]
                tables.append(session.query(chosen, group_by=group_by, where=[where] if where else ()))
    except MetricsError as error:
        raise InputError(str(error)) from error
    for table in tables:
        shown = Table(*table.columns)
        for row in table.rows:
            shown.add_row(*(format_cell(value) for value in row))
        console.print(shown)
        if show_sql:
            console.print(table.sql, highlight=False, markup=False, soft_wrap=True)


def _groups_by(session: Any, by: list[str], metrics: Sequence[str]) -> bool:
    from account_health.metrics import MetricsError

    try:
        for name in by:
            session.resolve_group_by(name, metrics)
    except MetricsError:
        return False
    return True


@app.command()
def check(data_dir: DataDir = None, config_dir: ConfigDir = None) -> None:
    """Check every seed (the config folder's where it has one) and sources.yml in seconds, before a build.

    Runs the checks the seeds' YAML declares (types, required values, unique keys, accepted values and
    ranges, ids that must exist in another seed, expressions) and the singular tests that read only
    seeds, naming file, line and column of each problem. Exit 1 when there is one.
    """
    from account_health.seedcheck import check as check_seeds

    paths = resolve_paths(data_dir, config_dir)
    report = check_seeds(paths.config_dir)
    for problem in report.problems:
        console.print(str(problem), highlight=False, markup=False, soft_wrap=True)
    if not report.ok:
        raise fail(f"{len(report.problems)} problems in the seeds or the config folder {paths.config_dir}")
    console.print(f"{report.seeds} seeds and sources.yml checked ({report.tests} checks): no problems")


@app.command()
def dashboard(
    port: Annotated[int, typer.Option(help="Port of the dashboard.")] = 8501,
    address: Annotated[
        str, typer.Option(help="Address to listen on; 0.0.0.0 to let other machines open it.")
    ] = "127.0.0.1",
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Start the CS dashboard (Streamlit) on this data folder's serving database, read-only.

    Pages: Portfolio (customers and ARR by band, band trend, at-risk queue by CSM and segment), Account
    (one account's band, score history, components, next step), Renewals (ARR renewing in 30/60/90 days
    by band) and Retention (NRR, GRR, logo retention). Headless, usage statistics off, no network; it
    shows each new publish on the next page load. Ctrl-C or SIGTERM stops it.
    """
    from account_health.dashboard.server import serve as serve_dashboard

    paths = resolve_paths(data_dir, config_dir)
    if not paths.serving_path.exists():
        console.print(
            f"[yellow]nothing published yet at {paths.serving_path}: run `account-health run`[/]",
            soft_wrap=True,
        )
    console.print(f"dashboard on http://{address}:{port} over {paths.serving_path}", soft_wrap=True)
    raise typer.Exit(code=serve_dashboard(paths, port, address))
