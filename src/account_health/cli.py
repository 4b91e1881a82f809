"""The `account-health` command line. Thin: each command calls one library function and prints its result."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from account_health import pipeline, steps
from account_health.config import CONFIG_DIR_ENV, ConfigError, check_config_dir, init_config
from account_health.land.mapping import MappingError, load_optional
from account_health.paths import Paths
from account_health.report import build_report
from account_health.resources import ResourcesError

DEMO_SCALE = "demo"
DEMO_SEED = 42
DEMO_AS_OF = date(2026, 10, 31)
# Click's exception classes, as typer (which vendors click) raises them: found through the public
# typer.BadParameter, so this works whichever click typer bundles.
_CLICK = {cls.__name__: cls for cls in typer.BadParameter.__mro__}
UsageError: type[Exception] = _CLICK["UsageError"]
ClickException: type[Exception] = _CLICK["ClickException"]
USAGE_ERROR = 2  # wrong input: a bad option value, a missing folder, a bad mapping or config file

app = typer.Typer(
    name="account-health",
    help=(
        "Customer account health on DuckDB and dbt: generate, land, build, validate and publish the marts,"
        " then report. --data-dir and --config-dir go before or after the command name."
    ),
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console()
errors = Console(stderr=True)


class _State:
    data_dir: Path | None = None
    config_dir: Path | None = None


DATA_DIR_HELP = "Data folder (raw, warehouse, quality, serving). Default: ./data of the project."
CONFIG_DIR_HELP = (
    "Company config folder (sources.yml, seed overrides; see `init`). Default: <data dir>/config."
)
JsonOutput = Annotated[
    bool, typer.Option("--json", help="Print a machine-readable JSON summary on stdout (progress on stderr).")
]
DataDir = Annotated[Path | None, typer.Option("--data-dir", help=DATA_DIR_HELP + " Also before the command.")]
ConfigDir = Annotated[
    Path | None, typer.Option("--config-dir", help=CONFIG_DIR_HELP + " Also before the command.")
]


IGNORE_UNKNOWN_FOLDERS_HELP = (
    "Exit 0 even when a folder is not a contract table or a data file is outside a table folder"
    " (they are still listed as warnings, and still not landed)."
)
IgnoreUnknownFolders = Annotated[
    bool, typer.Option("--ignore-unknown-folders", help=IGNORE_UNKNOWN_FOLDERS_HELP)
]


class InputError(Exception):
    """Wrong input from the user: one line on stderr, exit 2."""


def _paths(data_dir: Path | None = None, config_dir: Path | None = None) -> Paths:
    """The folders of this invocation; an option after the command wins over the same one before it."""
    data = data_dir or _State.data_dir
    paths = Paths(data.resolve()) if data else Paths.default()
    config = config_dir or _State.config_dir
    explicit = config is not None or bool(os.environ.get(CONFIG_DIR_ENV))
    paths = paths.with_config(config)
    try:
        check_config_dir(paths.config_dir, explicit=explicit)
    except ConfigError as error:
        raise InputError(str(error)) from error
    return paths


def _parse_date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from error


def _valid_date(value: str | None) -> str | None:
    if value is not None:
        _parse_date(value)
    return value


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        callback=_valid_date,
        help=(
            "The as-of date (YYYY-MM-DD); scores are computed up to this day. Default: the latest activity"
            " date in the landed data (printed)."
        ),
    ),
]


def _resolved_as_of(paths: Paths, value: str | None) -> date:
    """The one as-of rule (account_health.as_of): the date given, else the latest landed activity."""
    found = _as_of_or_none(paths, value)
    if found is None:
        raise InputError(
            f"no landed activity in {paths.warehouse_path} to take an as-of date from: land files first,"
            " or pass --as-of YYYY-MM-DD"
        )
    return found


def _as_of_or_none(paths: Paths, value: str | None) -> date | None:
    if value:
        return _parse_date(value)
    from account_health.as_of import latest_activity_date

    found = latest_activity_date(paths.warehouse_path)
    if found is not None:
        console.print(f"as-of {found}: the latest activity date in the landed data (--as-of to choose)")
    return found


def _fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def _warn(message: str) -> None:
    """A landing warning, as `land`, `run` and `demo` print it."""
    errors.print(f"[yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True)


def _folder(path: Path, what: str) -> Path:
    resolved = path.resolve()
    if not resolved.is_dir():
        raise InputError(f"{resolved}: {what} not found")
    return resolved


@app.callback()
def main_options(
    data_dir: Annotated[
        Path | None,
        typer.Option("--data-dir", envvar="ACCOUNT_HEALTH_DATA_DIR", help=DATA_DIR_HELP),
    ] = None,
    config_dir: Annotated[
        Path | None,
        typer.Option("--config-dir", envvar=CONFIG_DIR_ENV, help=CONFIG_DIR_HELP),
    ] = None,
) -> None:
    """Customer account health: land raw files, build the dbt models, check quality, publish the marts.

    Wrong input (a bad date, an unknown scale, a missing folder, a bad sources.yml) is one line on stderr
    and exit code 2; a failed step is exit code 1 and leaves the serving database unchanged.
    """
    _State.data_dir = data_dir
    _State.config_dir = config_dir
    os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
    os.environ.setdefault("DO_NOT_TRACK", "1")
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def main(argv: Sequence[str] | None = None) -> None:
    """The `account-health` entry point: wrong input is one line on stderr and exit 2, never a traceback."""
    try:
        code = app(args=list(argv) if argv is not None else None, standalone_mode=False)
    except UsageError as error:
        context = getattr(error, "ctx", None)
        hint = f" (see `{context.command_path} --help`)" if context else ""
        _say_error(f"{error.format_message()}{hint}")  # type: ignore[attr-defined]
        sys.exit(USAGE_ERROR)
    except (InputError, MappingError, ConfigError, ResourcesError) as error:
        _say_error(str(error))
        sys.exit(USAGE_ERROR)
    except ClickException as error:
        _say_error(error.format_message())  # type: ignore[attr-defined]
        sys.exit(getattr(error, "exit_code", 1))
    except typer.Abort:
        _say_error("aborted")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


def _say_error(message: str) -> None:
    errors.print(f"error: {' '.join(message.split())}", highlight=False, soft_wrap=True)


@contextmanager
def _spinner(description: str, *, quiet: bool = False):
    """A spinner while a step runs (on stderr when stdout carries JSON)."""
    with Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=errors if quiet else console,
        transient=True,
    ) as progress:
        progress.add_task(description, total=None)
        yield


@app.command()
def generate(
    scale: Annotated[
        str, typer.Option(help="Size of the synthetic data set: tiny, demo, medium or large.")
    ] = DEMO_SCALE,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed and as-of give identical files.")
    ] = 42,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            callback=_valid_date,
            help="The date to generate data up to (YYYY-MM-DD). Default: 2026-10-31, the demo's.",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder for the raw files. Default: <data dir>/raw.")
    ] = None,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Generate synthetic raw files (all fifteen raw tables) and the ground truth beside them.

    Unlike every other command, the as-of date has a fixed default (2026-10-31): generated data is made
    for a date, not found in landed data.
    """
    from account_health.generate import generate as run_generate
    from account_health.generate.params import SCALES

    if scale not in SCALES:
        raise InputError(f"unknown scale {scale!r}: choose one of {', '.join(SCALES)}")
    paths = _paths(data_dir, config_dir)
    out_dir = out.resolve() if out else paths.raw_dir
    truth_dir = paths.ground_truth_dir if out is None else out_dir.parent / "ground_truth"
    day = _parse_date(as_of) if as_of else DEMO_AS_OF
    with _spinner(f"generating {scale} data"):
        rows = run_generate(out_dir, truth_dir, scale=scale, seed=seed, as_of=day)
    table = Table("table", "rows", title=f"generated into {out_dir}")
    for name, count in sorted(rows.items()):
        table.add_row(name, f"{count:,}")
    console.print(table)


SourceDir = Annotated[
    Path | None,
    typer.Option(
        "--from",
        help=(
            "Folder of your files: one sub-folder per raw table, or any layout your sources.yml"
            " describes. Default: <data dir>/raw."
        ),
    ),
]
MappingFile = Annotated[
    Path | None,
    typer.Option("--mapping", help="Source mapping to apply. Default: <config dir>/sources.yml, if any."),
]


def _mapping(paths: Paths, mapping: Path | None) -> Any:
    """The source mapping of this run (checked now, before anything lands), or None."""
    if mapping is not None and not mapping.is_file():
        raise InputError(f"{mapping.resolve()}: source mapping not found")
    return load_optional(mapping.resolve() if mapping else paths.sources_mapping_path)


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
    source: SourceDir = None,
    as_of: Annotated[
        str | None,
        typer.Option(
            "--as-of",
            callback=_valid_date,
            help="Quarantine timestamps after this date (YYYY-MM-DD). Default: today.",
        ),
    ] = None,
    mapping: MappingFile = None,
    ignore_unknown_folders: IgnoreUnknownFolders = False,
    docs: Annotated[
        bool,
        typer.Option(
            "--docs",
            help="Rebuild the Great Expectations Data Docs after landing. Default: only when the raw "
            "suite rejected a file (validate and run rebuild them anyway).",
        ),
    ] = False,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Load raw files into the warehouse under the raw contract.

    With a source mapping (<config dir>/sources.yml) your own exports land under their own names and
    formats; a bad mapping stops landing before anything lands (exit 2). Prints every warning and every
    file's outcome. Exit 1 when a file is rejected, a folder or file is misplaced (unless
    --ignore-unknown-folders) or the disk is full; exit 3 when another process holds the warehouse. A
    changed file with a name already loaded replaces that file's earlier rows (kept in raw._history).
    """
    from account_health.land import LandingError
    from account_health.land import land as run_land

    paths = _paths(data_dir, config_dir)
    source_dir = _folder(source, "--from folder") if source else paths.raw_dir
    if not source_dir.is_dir():
        raise InputError(f"{source_dir}: no raw files folder (pass --from DIR)")
    source_mapping = _mapping(paths, mapping)
    try:
        with _spinner(f"landing {source_dir}"):
            report = run_land(
                source_dir,
                paths.warehouse_path,
                quality_dir=paths.quality_dir,
                as_of=_parse_date(as_of) if as_of else date.today(),
                mapping=source_mapping,
                docs=docs,
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
        _warn(warning)
    for result in report.files:
        if result.message and result.status != "rejected":
            console.print(
                f"{result.status} {escape(str(result.path))}: {escape(result.message)}", highlight=False
            )
    if report.quality_docs is not None:
        console.print(f"Data Docs: {escape(str(report.quality_docs))}", highlight=False)
    outcome = steps.landed(report, misplaced_fails=not ignore_unknown_folders)
    for problem in outcome.problems:
        errors.print(f"[bold red]error:[/] {escape(problem)}", highlight=False, soft_wrap=True)
    if not outcome.passed:
        raise typer.Exit(code=1)


@app.command()
def build(as_of: AsOf = None, data_dir: DataDir = None, config_dir: ConfigDir = None) -> None:
    """Check source freshness, then `dbt build` (seeds, models, snapshots, tests) on the warehouse.

    Seeds come from the project, overlaid file by file with the config folder's (see `init`).
    """
    from account_health.build import build as run_build

    paths = _paths(data_dir, config_dir)
    run_as_of = _resolved_as_of(paths, as_of)
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
    outcome = steps.built(result)
    if not outcome.passed:
        for problem in outcome.problems:
            errors.print(f"[red]{escape(problem)}[/]", highlight=False)
        raise _fail("dbt build failed")


@app.command()
def validate(json_output: JsonOutput = False, data_dir: DataDir = None, config_dir: ConfigDir = None) -> None:
    """Run the Great Expectations suites on the warehouse; exit 1 when an expectation fails."""
    paths = _paths(data_dir, config_dir)
    validator = pipeline.quality_validator()
    with _spinner("validating", quiet=json_output):
        report = validator(paths)
    outcome = steps.validated(report)
    if json_output:
        from account_health.summary import validation_summary

        _print_json(validation_summary(report))
        if not outcome.passed:
            raise typer.Exit(code=1)
        return
    if not outcome.passed:
        raise _fail(outcome.failure)
    console.print("validation passed")


@app.command()
def publish(
    rollback: Annotated[
        bool, typer.Option("--rollback", help="Swap the previously published database back in instead.")
    ] = False,
    as_of: AsOf = None,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Copy the marts into the serving database (write, audit, atomic swap), or roll back to the previous one.

    Publish does not check that the build and validation passed: `run` does. Use it by hand only after both.
    """
    from account_health.publish import PublishError
    from account_health.publish import publish as run_publish
    from account_health.publish import rollback as run_rollback

    paths = _paths(data_dir, config_dir)
    try:
        if rollback:
            result = run_rollback(paths)
            console.print(f"rolled back to run {result.restored_run_id}: {result.serving_path}")
            return
        with _spinner("publishing"):
            # the as-of date only labels the manifest: unknown (null) when nothing was landed
            published = run_publish(paths, _as_of_or_none(paths, as_of))
    except PublishError as error:
        raise _fail(str(error)) from error
    console.print(f"published {len(published.tables)} tables to {published.serving_path}")


def _run_with_progress(
    paths: Paths,
    as_of: date | None,
    *,
    scale: str | None,
    seed: int,
    source_dir: Path | None = None,
    mapping: Path | None = None,
    json_output: bool = False,
    ignore_unknown_folders: bool = False,
) -> pipeline.RunSummary:
    """Run the pipeline with a progress display; with `json_output` the progress goes to stderr and the
    JSON summary (also of a failed run) to stdout."""
    columns = (
        SpinnerColumn(),
        TextColumn("{task.description}", style="", justify="left"),
        BarColumn(bar_width=24),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("left"),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=errors if json_output else console, transient=json_output) as progress:
        tasks: dict[str, Any] = {}
        nodes = [0]

        def on_event(event: pipeline.Progress) -> None:
            if event.phase == "start":
                tasks[event.step] = progress.add_task(event.step, total=None)
            elif event.phase == "total" and event.step in tasks:
                # each dbt command (freshness, then build) says how many nodes it will run
                progress.reset(tasks[event.step], total=int(event.detail), completed=0)
            elif event.phase == "node" and event.step in tasks:
                nodes[0] += 1
                # a fixed-width name, so a long model name never breaks the line
                progress.update(tasks[event.step], advance=1, description=f"build {event.detail[:34]:<34}")
            elif event.phase == "done" and event.step in tasks:
                total = progress.tasks[tasks[event.step]].total or 1
                progress.update(
                    tasks[event.step],
                    total=total,
                    completed=total,
                    description=event.step if event.step != "build" else f"build: {nodes[0]} nodes",
                )
            elif event.phase == "skip":
                progress.console.print(f"[dim]{event.step} skipped: {event.detail}[/]")
            elif event.phase == "info":
                progress.console.print(event.detail)
            elif event.phase == "warning":
                _warn(event.detail)

        try:
            return pipeline.run(
                paths,
                as_of,
                generate_scale=scale,
                seed=seed,
                progress=on_event,
                source_dir=source_dir,
                mapping_path=mapping,
                ignore_unknown_folders=ignore_unknown_folders,
            )
        except pipeline.PipelineError as error:
            progress.stop()
            if json_output:
                from account_health.summary import run_summary

                _print_json(run_summary(error.summary, error))
                raise typer.Exit(code=1) from error
            raise _fail(f"{escape(str(error))}\nThe serving database was not changed.") from error


def _print_json(document: dict[str, Any]) -> None:
    print(json.dumps(document, indent=2, default=str))


def _print_summary(summary: pipeline.RunSummary, json_output: bool) -> None:
    if json_output:
        from account_health.summary import run_summary

        _print_json(run_summary(summary))
    else:
        console.print(_summary_table(summary))


def _summary_table(summary: pipeline.RunSummary) -> Table:
    table = Table("", "", title=f"account-health run for {summary.as_of}", show_header=False)
    table.add_row("as-of", f"{summary.as_of} ({summary.as_of_rule})")
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
def report(data_dir: DataDir = None, config_dir: ConfigDir = None) -> None:
    """Write the static HTML health report from the serving database to <data dir>/report/index.html."""
    paths = _paths(data_dir, config_dir)
    try:
        result = build_report(paths)
    except FileNotFoundError as error:
        raise _fail(str(error)) from error
    console.print(f"report written to {result.path} ({', '.join(result.sections)})")


@app.command()
def run(
    source: SourceDir = None,
    as_of: AsOf = None,
    mapping: MappingFile = None,
    json_output: JsonOutput = False,
    ignore_unknown_folders: IgnoreUnknownFolders = False,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Land (from --from DIR), build, validate, publish and report for one as-of date.

    The as-of date defaults to the latest activity date in the landed data. Your files land through
    <config dir>/sources.yml when there is one, and your config folder's seeds override the defaults.
    Landing warnings are printed; a rejected file, or a misplaced folder or file (unless
    --ignore-unknown-folders), stops the run before the build with exit 1. The serving database changes
    only when every step passed.
    """
    paths = _paths(data_dir, config_dir)
    source_dir = _folder(source, "--from folder") if source else None
    if source_dir is None and not paths.raw_dir.is_dir():
        raise InputError(f"{paths.raw_dir}: no raw files folder (pass --from DIR)")
    if mapping is not None and not mapping.is_file():
        raise InputError(f"{mapping.resolve()}: source mapping not found")
    run_as_of = _parse_date(as_of) if as_of else None
    summary = _run_with_progress(
        paths,
        run_as_of,
        scale=None,
        seed=DEMO_SEED,
        source_dir=source_dir,
        mapping=mapping.resolve() if mapping else None,
        json_output=json_output,
        ignore_unknown_folders=ignore_unknown_folders,
    )
    _print_summary(summary, json_output)


@app.command()
def calibrate(data_dir: DataDir = None, config_dir: ConfigDir = None) -> None:
    """Propose band thresholds and per-segment weights learned from the built warehouse's history.

    Learns from the month-ends whose churn outcome was known before the held-out months (the backtest's
    split), compares today's scorecard with the proposal on the held-out months (AUC, churn rate and
    lift per band, overrides), and writes the proposal into <config dir>/proposals/<valid_from>/ for
    review. It never changes the scorecard.
    """
    from account_health import calibrate as calibration

    paths = _paths(data_dir, config_dir)
    try:
        with _spinner("calibrating the scorecard on its own history"):
            result = calibration.calibrate(paths)
            folder = calibration.write_proposal(result, paths.config_dir)
    except calibration.CalibrationInputError as error:
        raise _fail(str(error)) from error
    for line in calibration.summary_lines(result):
        console.print(line, highlight=False, markup=False)
    if not result.separable:
        console.print(f"[yellow]cannot separate churn well: {result.cut.note}[/]")
    console.print(f"proposal written to {folder} (review it; nothing was applied)")


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

    paths = _paths(data_dir, config_dir)
    day = _parse_date(as_of) if as_of else None
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

    paths = _paths(data_dir, config_dir)
    after = _parse_date(since) if since else None
    try:
        sent = deliver(paths, webhook=webhook, out=out, since=after, worse_only=worse_only)
    except AlertError as error:
        raise _fail(str(error)) from error
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

    paths = _paths(data_dir, config_dir)
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

    paths = _paths(data_dir, config_dir)
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

    paths = _paths(data_dir, config_dir)
    report = check_seeds(paths.config_dir)
    for problem in report.problems:
        console.print(str(problem), highlight=False, markup=False, soft_wrap=True)
    if not report.ok:
        raise _fail(f"{len(report.problems)} problems in the seeds or the config folder {paths.config_dir}")
    console.print(f"{report.seeds} seeds and sources.yml checked ({report.tests} checks): no problems")


@app.command()
def demo(
    json_output: JsonOutput = False,
    ignore_unknown_folders: IgnoreUnknownFolders = False,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Generate the demo data set (if absent: scale demo, seed 42, as-of 2026-10-31) and run every step.

    Stops before the build like `run` when landing rejects a file or finds a misplaced folder or file.
    """
    paths = _paths(data_dir, config_dir)
    summary = _run_with_progress(
        paths,
        DEMO_AS_OF,
        scale=DEMO_SCALE,
        seed=DEMO_SEED,
        json_output=json_output,
        ignore_unknown_folders=ignore_unknown_folders,
    )
    _print_summary(summary, json_output)


@app.command()
def dagster(
    port: Annotated[int, typer.Option(help="Port of the Dagster web UI.")] = 3000,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Start Dagster (web UI and daemon) on this data folder: the daily schedule runs at 05:00 UTC.

    The Dagster instance (runs, schedule state, logs) lives in <data dir>/dagster with telemetry off;
    ACCOUNT_HEALTH_SCHEDULE=stopped ships the schedule stopped. SIGTERM or Ctrl-C stop every Dagster
    process within seconds.
    """
    from account_health.orchestration.home import dagster_home
    from account_health.orchestration.serve import serve

    paths = _paths(data_dir, config_dir)
    console.print(f"Dagster on http://localhost:{port}, instance in {dagster_home(paths)}")
    raise typer.Exit(code=serve(paths, port))


@app.command()
def init(
    directory: Annotated[
        Path | None,
        typer.Argument(help="Folder to write. Default: the config folder (<data dir>/config)."),
    ] = None,
    data_dir: DataDir = None,
    config_dir: ConfigDir = None,
) -> None:
    """Write a starter config folder: every seed's default, a commented sources.yml and a README.

    Files already in the folder are kept, never overwritten. Edit the copies: they override the
    project's seeds file by file on the next build; delete one to go back to the default.
    """
    if directory is not None:
        target = directory.resolve()
    else:
        data = data_dir or _State.data_dir
        base = Paths(data.resolve()) if data else Paths.default()
        target = base.with_config(config_dir or _State.config_dir).config_dir
    if target.exists() and not target.is_dir():
        raise InputError(f"{target}: exists and is not a folder")
    result = init_config(target)
    console.print(f"config folder {result.config_dir}: {len(result.written)} files written")
    if result.kept:
        console.print(f"kept {len(result.kept)} files already there: " + ", ".join(map(str, result.kept)))
    console.print(
        "next: edit sources.yml for your exports, then "
        f"`account-health run --from <your files> --config-dir {result.config_dir}`"
    )
