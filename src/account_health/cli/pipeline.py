"""The pipeline's commands: generate, land, build, validate, publish, report, and run / demo for all
of them."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import (
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from account_health import pipeline, steps
from account_health.cli.common import (
    DEMO_AS_OF,
    DEMO_SCALE,
    DEMO_SEED,
    AsOf,
    ConfigDir,
    DataDir,
    IgnoreUnknownFolders,
    InputError,
    JsonOutput,
    app,
    as_of_or_none,
    console,
    errors,
    existing_folder,
    fail,
    parse_date,
    resolve_paths,
    resolved_as_of,
    spinner,
    valid_date,
    warn,
)
from account_health.cli.output import print_json, print_summary, run_with_progress
from account_health.land.mapping import load_optional
from account_health.paths import Paths
from account_health.report import build_report


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
            callback=valid_date,
            help="The date to generate data up to (YYYY-MM-DD). Default: 2026-10-31, the demo's.",
        ),
    ] = None,
    out: Annotated[
        Path | None, typer.Option(help="Folder for the raw files. Default: <data dir>/raw.")
    ] = None,
    months: Annotated[
        int | None,
        typer.Option(min=1, help="Months of history ending with the as-of month. Default: the scale's."),
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
    paths = resolve_paths(data_dir, config_dir)
    out_dir = out.resolve() if out else paths.raw_dir
    truth_dir = paths.ground_truth_dir if out is None else out_dir.parent / "ground_truth"
    day = parse_date(as_of) if as_of else DEMO_AS_OF
    with spinner(f"generating {scale} data"):
        rows = run_generate(out_dir, truth_dir, scale=scale, seed=seed, as_of=day, months=months)
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
            callback=valid_date,
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

    paths = resolve_paths(data_dir, config_dir)
    source_dir = existing_folder(source, "--from folder") if source else paths.raw_dir
    if not source_dir.is_dir():
        raise InputError(f"{source_dir}: no raw files folder (pass --from DIR)")
    source_mapping = _mapping(paths, mapping)
    try:
        with spinner(f"landing {source_dir}"):
            report = run_land(
                source_dir,
                paths.warehouse_path,
                quality_dir=paths.quality_dir,
                as_of=parse_date(as_of) if as_of else date.today(),
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
        warn(warning)
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

    paths = resolve_paths(data_dir, config_dir)
    run_as_of = resolved_as_of(paths, as_of)
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
        raise fail("dbt build failed")


@app.command()
def validate(json_output: JsonOutput = False, data_dir: DataDir = None, config_dir: ConfigDir = None) -> None:
    """Run the Great Expectations suites on the warehouse; exit 1 when an expectation fails."""
    paths = resolve_paths(data_dir, config_dir)
    validator = pipeline.quality_validator()
    with spinner("validating", quiet=json_output):
        report = validator(paths)
    outcome = steps.validated(report)
    if json_output:
        from account_health.summary import validation_summary

        print_json(validation_summary(report))
        if not outcome.passed:
            raise typer.Exit(code=1)
        return
    if not outcome.passed:
        raise fail(outcome.failure)
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

    paths = resolve_paths(data_dir, config_dir)
    try:
        if rollback:
            result = run_rollback(paths)
            console.print(f"rolled back to run {result.restored_run_id}: {result.serving_path}")
            return
        with spinner("publishing"):
            # the as-of date only labels the manifest: unknown (null) when nothing was landed
            published = run_publish(paths, as_of_or_none(paths, as_of))
    except PublishError as error:
        raise fail(str(error)) from error
    console.print(f"published {len(published.tables)} tables to {published.serving_path}")


@app.command()
def report(data_dir: DataDir = None, config_dir: ConfigDir = None) -> None:
    """Write the static HTML health report from the serving database to <data dir>/report/index.html."""
    paths = resolve_paths(data_dir, config_dir)
    try:
        result = build_report(paths)
    except FileNotFoundError as error:
        raise fail(str(error)) from error
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
    paths = resolve_paths(data_dir, config_dir)
    source_dir = existing_folder(source, "--from folder") if source else None
    if source_dir is None and not paths.raw_dir.is_dir():
        raise InputError(f"{paths.raw_dir}: no raw files folder (pass --from DIR)")
    if mapping is not None and not mapping.is_file():
        raise InputError(f"{mapping.resolve()}: source mapping not found")
    run_as_of = parse_date(as_of) if as_of else None
    summary = run_with_progress(
        paths,
        run_as_of,
        scale=None,
        seed=DEMO_SEED,
        source_dir=source_dir,
        mapping=mapping.resolve() if mapping else None,
        json_output=json_output,
        ignore_unknown_folders=ignore_unknown_folders,
    )
    print_summary(summary, json_output)


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
    paths = resolve_paths(data_dir, config_dir)
    summary = run_with_progress(
        paths,
        DEMO_AS_OF,
        scale=DEMO_SCALE,
        seed=DEMO_SEED,
        json_output=json_output,
        ignore_unknown_folders=ignore_unknown_folders,
    )
    print_summary(summary, json_output)
