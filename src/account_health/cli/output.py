"""How a pipeline run shows itself: progress (steps, dbt nodes N of total, time left) on stderr, then a
summary table, or the JSON summary with `--json`."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import typer
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

from account_health import pipeline
from account_health.cli.common import (
    console,
    errors,
    fail,
    warn,
)
from account_health.paths import Paths


def run_with_progress(
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
                warn(event.detail)

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

                print_json(run_summary(error.summary, error))
                raise typer.Exit(code=1) from error
            raise fail(f"{escape(str(error))}\nThe serving database was not changed.") from error


def print_json(document: dict[str, Any]) -> None:
    print(json.dumps(document, indent=2, default=str))


def print_summary(summary: pipeline.RunSummary, json_output: bool) -> None:
    if json_output:
        from account_health.summary import run_summary

        print_json(run_summary(summary))
    else:
        console.print(summary_table(summary))


def summary_table(summary: pipeline.RunSummary) -> Table:
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
            elif label == "unit tests" and summary.build.unit_tests_passed_earlier:
                table.add_row(label, "not run: passed on this code in an earlier build")
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
