"""Helpers of the scorecard's build-level tests: run dbt on a data folder, read the warehouse."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb

from account_health.build import as_of_env
from account_health.config import SEED_PATH_ENV
from account_health.paths import PROJECT_DIR, Paths

AS_OF = dt.date(2026, 10, 31)
DBT = str(Path(sys.executable).with_name("dbt"))
HEALTH_MODELS = "+fct_account_health_daily +fct_account_health_drivers"


def run_dbt(project_dir: Path, paths: Paths, *args: str, as_of: dt.date = AS_OF) -> None:
    """One dbt call against `paths`' warehouse; fails the test with dbt's output on error."""
    done = call_dbt(project_dir, paths, *args, as_of=as_of)
    assert done.returncode == 0, done.stdout[-4000:]


def call_dbt(
    project_dir: Path, paths: Paths, *args: str, as_of: dt.date = AS_OF
) -> subprocess.CompletedProcess[str]:
    """One dbt call against `paths`' warehouse, whatever its outcome."""
    env = {**os.environ, **paths.dbt_env(), **as_of_env(as_of)}
    if project_dir != PROJECT_DIR:
        # a copied project is read with its own seeds/ (the test edits them), not the data folder's
        # overlay of the checkout's seeds and the config folder (account_health.config)
        env.pop(SEED_PATH_ENV)
    command = [
        DBT,
        *args,
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target-path",
        str(paths.data_dir / "dbt" / "target"),
        "--log-path",
        str(paths.data_dir / "dbt" / "logs"),
    ]
    return subprocess.run(command, env=env, capture_output=True, text=True, check=False)


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
