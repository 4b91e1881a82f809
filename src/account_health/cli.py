"""The `account-health` command line. Thin: each command calls one library function and prints its result."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import BarColumn, Progress, SpinnerColumn, TextColumn, TimeElapsedColumn
from rich.table import Table

from account_health import pipeline
from account_health.paths import Paths
from account_health.report import build_report

DEMO_SCALE = "demo"
DEMO_SEED = 42
DEMO_AS_OF = date(2026, 10, 31)

app = typer.Typer(
    name="account-health",
    help=(
        "Customer account health on DuckDB and dbt: generate, land, build, validate and publish the marts,"
        " then report."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)


class _State:
    data_dir: Path | None = None


def _paths() -> Paths:
    return Paths(_State.data_dir.resolve()) if _State.data_dir else Paths.default()


def _parse_date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from error


AsOf = Annotated[
    str | None,
    typer.Option("--as-of", help="The run's as-of date (YYYY-MM-DD); scores are computed up to this day."),
]


def _as_of(value: str | None, default: date | None = None) -> date:
    if value:
        return _parse_date(value)
    return default or date.today()


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False)
    return typer.Exit(code=1)


@app.callback()
def main(
    data_dir: Annotated[
        Path | None,
        typer.Option(
            "--data-dir",
            envvar="ACCOUNT_HEALTH_DATA_DIR",
            help="Data folder (raw, warehouse, quality, serving). Default: ./data of the project.",
        ),
    ] = None,
) -> None:
    """Customer account health: land raw files, build the dbt models, check quality, publish the marts."""
    _State.data_dir = data_dir
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@contextmanager
def _spinner(description: str):
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        progress.add_task(description, total=None)
        yield


@app.command()
def generate(
    scale: Annotated[
        str, typer.Option(help="Size of the synthetic data set: tiny, demo or large.")
    ] = DEMO_SCALE,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed and as-of give identical files.")
    ] = 42,
    as_of: AsOf = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder for the raw files. Default: <data dir>/raw.")
    ] = None,
) -> None:
    """Generate synthetic raw files (all fifteen raw tables) and the ground truth beside them."""
    from account_health.generate import generate as run_generate

    paths = _paths()
    out_dir = out.resolve() if out else paths.raw_dir
    truth_dir = paths.ground_truth_dir if out is None else out_dir.parent / "ground_truth"
    with _spinner(f"generating {scale} data"):
        rows = run_generate(out_dir, truth_dir, scale=scale, seed=seed, as_of=_as_of(as_of, DEMO_AS_OF))
    table = Table("table", "rows", title=f"generated into {out_dir}")
    for name, count in sorted(rows.items()):
        table.add_row(name, f"{count:,}")
    console.print(table)


def _land_table(report: Any) -> Table:
    table = Table("file", "table", "status", "read", "loaded", "quarantined", title="landing")
    for result in report.files:
        table.add_row(
            Path(str(result.path)).name,
            str(result.table),
            str(result.status),
            f"{getattr(result, 'rows_read', 0):,}",
            f"{getattr(result, 'rows_loaded', 0):,}",
            f"{getattr(result, 'rows_quarantined', 0):,}",
        )
    return table


@app.command()
def land(
    source: Annotated[
        Path | None,
        typer.Option(
            "--from", help="Folder of raw files, one sub-folder per table. Default: <data dir>/raw."
        ),
    ] = None,
    as_of: AsOf = None,
    ignore_unknown_folders: Annotated[
        bool,
        typer.Option(
            "--ignore-unknown-folders",
            help="Exit 0 even when a folder is not a contract table or a data file is outside a table folder"
            " (they are still listed as warnings, and still not landed).",
        ),
    ] = False,
) -> None:
    """Load raw files into the warehouse under the raw contract.

    Prints every warning and every file's outcome. Exit 1 when a file is rejected, a folder or file is
    misplaced (unless --ignore-unknown-folders) or the disk is full; exit 3 when another process holds the
    warehouse. A changed file with a name already loaded replaces that file's earlier rows (kept in
    raw._history).
    """
    from account_health.land import LandingError
    from account_health.land import land as run_land

    paths = _paths()
    source_dir = source.resolve() if source else paths.raw_dir
    if not source_dir.is_dir():
        raise _fail(f"{source_dir} is not a folder")
    try:
        with _spinner(f"landing {source_dir}"):
            report = run_land(
                source_dir,
                paths.warehouse_path,
                quality_dir=paths.quality_dir,
                as_of=_parse_date(as_of) if as_of else None,
            )
    except LandingError as error:
        errors.print(f"[bold red]error:[/] {escape(str(error))}", highlight=False, soft_wrap=True)
        raise typer.Exit(code=error.exit_code) from None
    console.print(_land_table(report))
    console.print(
        f"rows read {report.rows_read:,} = loaded {report.rows_loaded:,}"
        f" + quarantined {report.rows_quarantined:,}"
    )
    for warning in report.warnings:
        errors.print(f"[yellow]warning:[/] {escape(warning)}", highlight=False, soft_wrap=True)
    for result in report.files:
        if result.status == "rejected":
            errors.print(f"[bold red]rejected[/] {escape(result.message)}", highlight=False, soft_wrap=True)
        elif result.message:
            console.print(
                f"{result.status} {escape(str(result.path))}: {escape(result.message)}", highlight=False
            )
    failed = not report.ok
    if report.failure:
        errors.print(f"[bold red]error:[/] {escape(report.failure)}", highlight=False, soft_wrap=True)
    if report.misplaced and not ignore_unknown_folders:
        errors.print(
            f"[bold red]error:[/] {len(report.misplaced)} misplaced folders or files were not landed "
            "(see the "
            "warnings); move them into a table folder, or pass --ignore-unknown-folders",
            highlight=False,
            soft_wrap=True,
        )
        failed = True
    if failed:
        raise typer.Exit(code=1)


@app.command()
def build(as_of: AsOf = None) -> None:
    """Check source freshness, then `dbt build` (seeds, models, snapshots, tests) on the warehouse."""
    from account_health.build import build as run_build

    paths = _paths()
    run_as_of = _as_of(as_of)
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as progress:
        task = progress.add_task("dbt build", total=None)
        done = [0]

        def on_node(kind: str, name: str, status: str) -> None:
            done[0] += 1
            progress.update(task, description=f"dbt build: {done[0]} nodes, last {kind} {name} ({status})")

        result = run_build(paths, run_as_of, on_node=on_node)
    console.print(f"dbt: {result.summary()} in {result.elapsed:.1f}s")
    console.print(f"not provided: {result.not_provided_note()}", highlight=False)
    if not result.success:
        for problem in result.problems:
            errors.print(f"[red]{problem}[/]", highlight=False)
        raise _fail("dbt build failed")


@app.command()
def validate() -> None:
    """Run the Great Expectations suites on the warehouse; exit 1 when an expectation fails."""
    validator = pipeline.quality_validator()
    with _spinner("validating"):
        report = validator(_paths())
    if not pipeline.validation_passed(report):
        raise _fail(f"validation failed: {pipeline.validation_failures(report)}")
    console.print("validation passed")


@app.command()
def publish(
    rollback: Annotated[
        bool, typer.Option("--rollback", help="Swap the previously published database back in instead.")
    ] = False,
    as_of: AsOf = None,
) -> None:
    """Copy the marts into the serving database (write, audit, atomic swap), or roll back to the previous one.

    Publish does not check that the build and validation passed: `run` does. Use it by hand only after both.
    """
    from account_health.publish import PublishError
    from account_health.publish import publish as run_publish
    from account_health.publish import rollback as run_rollback

    paths = _paths()
    try:
        if rollback:
            result = run_rollback(paths)
            console.print(f"rolled back to run {result.restored_run_id}: {result.serving_path}")
            return
        with _spinner("publishing"):
            published = run_publish(paths, _parse_date(as_of) if as_of else None)
    except PublishError as error:
        raise _fail(str(error)) from error
    console.print(f"published {len(published.tables)} tables to {published.serving_path}")


def _run_with_progress(paths: Paths, as_of: date, *, scale: str | None, seed: int) -> pipeline.RunSummary:
    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=False) as progress:
        tasks: dict[str, Any] = {}
        nodes = [0]

        def on_event(event: pipeline.Progress) -> None:
            if event.phase == "start":
                tasks[event.step] = progress.add_task(event.step, total=None)
            elif event.phase == "node" and event.step in tasks:
                nodes[0] += 1
                progress.update(tasks[event.step], description=f"build: {nodes[0]} nodes ({event.detail})")
            elif event.phase == "done" and event.step in tasks:
                progress.update(
                    tasks[event.step],
                    total=1,
                    completed=1,
                    description=event.step if event.step != "build" else f"build: {nodes[0]} nodes",
                )
            elif event.phase == "skip":
                progress.console.print(f"[dim]{event.step} skipped: {event.detail}[/]")

        try:
            return pipeline.run(paths, as_of, generate_scale=scale, seed=seed, progress=on_event)
        except pipeline.PipelineError as error:
            progress.stop()
            raise _fail(f"{error}\nThe serving database was not changed.") from error


def _summary_table(summary: pipeline.RunSummary) -> Table:
    table = Table("", "", title=f"account-health run for {summary.as_of}", show_header=False)
    if summary.generated is not None:
        table.add_row("rows generated", f"{sum(summary.generated.values()):,}")
    table.add_row("rows landed", f"{summary.rows_landed:,}")
    table.add_row("rows quarantined", f"{summary.rows_quarantined:,}")
    if summary.build is not None:
        table.add_row("not provided", summary.build.not_provided_note())
        for label, counts in (
            ("models", summary.build.models),
            ("data tests", summary.build.tests),
            ("unit tests", summary.build.unit_tests),
            ("seeds", summary.build.seeds),
            ("snapshots", summary.build.snapshots),
        ):
            if counts.total:
                extra = f", {counts.warned} warned" if counts.warned else ""
                table.add_row(label, f"{counts.passed}/{counts.total} passed{extra}")
    if summary.validation_available:
        table.add_row("validation", "passed")
    else:
        table.add_row("validation", "no suites available")
    if summary.published is not None:
        table.add_row("marts published", str(len(summary.published.tables)))
        table.add_row("serving database", str(summary.published.serving_path))
        table.add_row("parquet", str(summary.published.parquet_dir))
    if summary.report is not None:
        table.add_row("report", str(summary.report.path))
    steps = ", ".join(f"{step} {seconds:.1f}s" for step, seconds in summary.timings.items())
    table.add_row("elapsed", f"{summary.elapsed:.1f}s ({steps})")
    return table


@app.command()
def report() -> None:
    """Write the static HTML health report from the serving database to data/report/index.html."""
    paths = _paths()
    try:
        result = build_report(paths)
    except FileNotFoundError as error:
        raise _fail(str(error)) from error
    console.print(f"report written to {result.path} ({', '.join(result.sections)})")


@app.command()
def run(as_of: AsOf = None) -> None:
    """Land, build, validate, publish and report for one as-of date (default today).

    The serving database changes only when every step passed.
    """
    paths = _paths()
    summary = _run_with_progress(paths, _as_of(as_of), scale=None, seed=DEMO_SEED)
    console.print(_summary_table(summary))


@app.command()
def calibrate() -> None:
    """Propose band thresholds and per-segment weights learned from the built warehouse's history.

    Learns from the month-ends whose churn outcome was known before the held-out months (the backtest's
    split), compares today's scorecard with the proposal on the held-out months (AUC, churn rate and
    lift per band, overrides), and writes the proposal into <config dir>/proposals/<valid_from>/ for
    review. It never changes the scorecard.
    """
    from account_health import calibrate as calibration

    paths = _paths()
    try:
        with _spinner("calibrating the scorecard on its own history"):
            result = calibration.calibrate(paths)
            folder = calibration.write_proposal(result, calibration.config_dir(paths))
    except calibration.CalibrationInputError as error:
        raise _fail(str(error)) from error
    for line in calibration.summary_lines(result):
        console.print(line, highlight=False, markup=False)
    if not result.separable:
        console.print(f"[yellow]cannot separate churn well: {result.cut.note}[/]")
    console.print(f"proposal written to {folder} (review it; nothing was applied)")


@app.command()
def demo() -> None:
    """Generate the demo data set (if absent: scale demo, seed 42, as-of 2026-10-31) and run every step."""
    paths = _paths()
    summary = _run_with_progress(paths, DEMO_AS_OF, scale=DEMO_SCALE, seed=DEMO_SEED)
    console.print(_summary_table(summary))
