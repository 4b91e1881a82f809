"""Setting up and running the installation: init (the config folder), calibrate (the scorecard), dagster."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from account_health.cli.common import (
    ConfigDir,
    DataDir,
    InputError,
    State,
    app,
    console,
    fail,
    resolve_paths,
    spinner,
)
from account_health.config import init_config
from account_health.paths import Paths


@app.command()
def calibrate(data_dir: DataDir = None, config_dir: ConfigDir = None) -> None:
    """Propose band thresholds and per-segment weights learned from the built warehouse's history.

    Learns from the month-ends whose churn outcome was known before the held-out months (the backtest's
    split), compares today's scorecard with the proposal on the held-out months (AUC, churn rate and
    lift per band, overrides), and writes the proposal into <config dir>/proposals/<valid_from>/ for
    review. It never changes the scorecard.
    """
    from account_health import calibrate as calibration

    paths = resolve_paths(data_dir, config_dir)
    try:
        with spinner("calibrating the scorecard on its own history"):
            result = calibration.calibrate(paths)
            folder = calibration.write_proposal(result, paths.config_dir)
    except calibration.CalibrationInputError as error:
        raise fail(str(error)) from error
    for line in calibration.summary_lines(result):
        console.print(line, highlight=False, markup=False)
    if not result.separable:
        console.print(f"[yellow]cannot separate churn well: {result.cut.note}[/]")
    console.print(f"proposal written to {folder} (review it; nothing was applied)")


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

    paths = resolve_paths(data_dir, config_dir)
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
        data = data_dir or State.data_dir
        base = Paths(data.resolve()) if data else Paths.default()
        target = base.with_config(config_dir or State.config_dir).config_dir
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
