"""What every `account-health` command shares: the typer app, the global options, dates and folders
from the command line, one-line errors and exit codes, the entry point."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)

from account_health.config import CONFIG_DIR_ENV, ConfigError, check_config_dir
from account_health.land.mapping import MappingError
from account_health.paths import Paths
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


class State:
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


def resolve_paths(data_dir: Path | None = None, config_dir: Path | None = None) -> Paths:
    """The folders of this invocation; an option after the command wins over the same one before it."""
    data = data_dir or State.data_dir
    paths = Paths(data.resolve()) if data else Paths.default()
    config = config_dir or State.config_dir
    explicit = config is not None or bool(os.environ.get(CONFIG_DIR_ENV))
    paths = paths.with_config(config)
    try:
        check_config_dir(paths.config_dir, explicit=explicit)
    except ConfigError as error:
        raise InputError(str(error)) from error
    return paths


def parse_date(value: str) -> date:
    try:
        return datetime.strptime(value, "%Y-%m-%d").date()
    except ValueError as error:
        raise typer.BadParameter(f"{value!r} is not a date in YYYY-MM-DD form") from error


def valid_date(value: str | None) -> str | None:
    if value is not None:
        parse_date(value)
    return value


AsOf = Annotated[
    str | None,
    typer.Option(
        "--as-of",
        callback=valid_date,
        help=(
            "The as-of date (YYYY-MM-DD); scores are computed up to this day. Default: the latest activity"
            " date in the landed data (printed)."
        ),
    ),
]


def resolved_as_of(paths: Paths, value: str | None) -> date:
    """The one as-of rule (account_health.as_of): the date given, else the latest landed activity."""
    found = as_of_or_none(paths, value)
    if found is None:
        raise InputError(
            f"no landed activity in {paths.warehouse_path} to take an as-of date from: land files first,"
            " or pass --as-of YYYY-MM-DD"
        )
    return found


def as_of_or_none(paths: Paths, value: str | None) -> date | None:
    if value:
        return parse_date(value)
    from account_health.as_of import latest_activity_date

    found = latest_activity_date(paths.warehouse_path)
    if found is not None:
        console.print(f"as-of {found}: the latest activity date in the landed data (--as-of to choose)")
    return found


def fail(message: str) -> typer.Exit:
    errors.print(f"[bold red]error:[/] {message}", highlight=False, soft_wrap=True)
    return typer.Exit(code=1)


def warn(message: str) -> None:
    """A landing warning, as `land`, `run` and `demo` print it."""
    errors.print(f"[yellow]warning:[/] {escape(message)}", highlight=False, soft_wrap=True)


def existing_folder(path: Path, what: str) -> Path:
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
    State.data_dir = data_dir
    State.config_dir = config_dir
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
        say_error(f"{error.format_message()}{hint}")  # type: ignore[attr-defined]
        sys.exit(USAGE_ERROR)
    except (InputError, MappingError, ConfigError, ResourcesError) as error:
        say_error(str(error))
        sys.exit(USAGE_ERROR)
    except ClickException as error:
        say_error(error.format_message())  # type: ignore[attr-defined]
        sys.exit(getattr(error, "exit_code", 1))
    except typer.Abort:
        say_error("aborted")
        sys.exit(130)
    sys.exit(code if isinstance(code, int) else 0)


def say_error(message: str) -> None:
    errors.print(f"error: {' '.join(message.split())}", highlight=False, soft_wrap=True)


@contextmanager
def spinner(description: str, *, quiet: bool = False):
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
