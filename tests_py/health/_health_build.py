"""Helpers of the scorecard's build-level tests: run dbt on a data folder, read the warehouse."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb

from account_health import build
from account_health.build import as_of_env, dbt_environment
from account_health.config import SEED_PATH_ENV
from account_health.parsed_project import parse_options, parsed_manifest
from account_health.paths import PROJECT_DIR, Paths

AS_OF = dt.date(2026, 10, 31)
HEALTH_MODELS = "+fct_account_health_daily +fct_account_health_drivers"


@dataclass(frozen=True)
class DbtCall:
    """What `dbt ARGS` on the command line gives: its exit code and what it printed."""

    returncode: int
    stdout: str


def run_dbt(project_dir: Path, paths: Paths, *args: str, as_of: dt.date = AS_OF) -> None:
    """One dbt call against `paths`' warehouse; fails the test with dbt's output on error."""
    done = call_dbt(project_dir, paths, *args, as_of=as_of)
    assert done.returncode == 0, done.stdout[-4000:]


def call_dbt(project_dir: Path, paths: Paths, *args: str, as_of: dt.date = AS_OF) -> DbtCall:
    """One dbt call against `paths`' warehouse, whatever its outcome.

    In this process (dbtRunner, as `account_health.build` runs dbt), not a `dbt` subprocess: the same
    command, environment and folders, without a Python and dbt start-up per call (4-6 s of CPU, and the
    health tests make 17 calls). The exit code is the command line's (0 passed, 1 a node failed, 2 dbt
    itself failed) and `stdout` holds every line dbt logged.
    """
    from dbt.cli.main import dbtRunner

    env = {**paths.dbt_env(), **as_of_env(as_of)}
    if project_dir != PROJECT_DIR:
        # a copied project is read with its own seeds/ (the test edits them), not the data folder's
        # overlay of the checkout's seeds and the config folder (account_health.config)
        env.pop(SEED_PATH_ENV)
    options = [
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(paths.data_dir / "dbt" / "target"),
        "--log-path",
        str(paths.data_dir / "dbt" / "logs"),
    ]
    lines: list[str] = []
    with dbt_environment(env):
        try:
            # parsed once per process, as builds do
            manifest = parsed_manifest(project_dir, [*options, *parse_options(args)], env)
            runner = dbtRunner(manifest=manifest, callbacks=[lambda event: lines.append(event.info.msg)])
            outcome = runner.invoke([*args, "--no-use-colors", *options])
        finally:
            build._release_warehouse()  # dbt-duckdb keeps the warehouse open; the tests read it next
    returncode = 0 if outcome.success else 2 if outcome.exception is not None else 1
    return DbtCall(returncode, "\n".join(line for line in lines if line))


def build_health(project_dir: Path, paths: Paths, as_of: dt.date, *extra: str) -> None:
    run_dbt(project_dir, paths, "seed", as_of=as_of)
    run_dbt(project_dir, paths, "run", "-s", *HEALTH_MODELS.split(), *extra, as_of=as_of)


def read(paths: Paths, sql: str) -> list[tuple]:
    with duckdb.connect(str(paths.warehouse_path), read_only=True) as connection:
        return connection.execute(sql).fetchall()


def copy_project(target: Path) -> Path:
    """The dbt project without its data, venv or build output, so a test can edit seeds safely."""
    ignore = shutil.ignore_patterns(".venv", ".git", "data", "target", "logs", "dbt_packages", "__pycache__")
    for name in ("dbt_project.yml", "profiles.yml"):
        target.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_DIR / name, target / name)
    for folder in ("models", "python_models", "seeds", "macros", "tests", "snapshots", "analyses"):
        if (PROJECT_DIR / folder).exists():
            shutil.copytree(PROJECT_DIR / folder, target / folder, ignore=ignore)
    return target
