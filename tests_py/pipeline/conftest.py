"""Pipeline runs on `tiny` data shared by the end-to-end tests (they only read them), to keep the suite fast.

- `tiny_run` (tests_py/conftest.py): generate, land, build, validate, publish, report into a fresh folder.
- `killed_then_rerun`: a copy of that folder, a second run SIGKILLed while dbt builds, then a clean re-run
  on the same files (which is also the "second run of the same day").
"""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from _shared_data import copy_data
from account_health.paths import Paths
from account_health.pipeline import RunSummary, run
from account_health.publish import read_manifest

AS_OF = date(2026, 10, 31)


@dataclass
class KilledThenRerun:
    paths: Paths
    manifest_before: dict[str, Any]
    killed_returncode: int
    manifest_after_kill: dict[str, Any]
    serving_rows_after_kill: int
    rerun: RunSummary


@pytest.fixture(scope="session")
def killed_then_rerun(tiny_run, tmp_path_factory: pytest.TempPathFactory) -> KilledThenRerun:
    import duckdb

    work = tmp_path_factory.mktemp("killed")
    paths = copy_data(tiny_run.paths, work)  # the tiny run's folder is shared, read-only
    before = read_manifest(paths.serving_dir / "manifest.json")
    steps = work / "steps.log"
    script = Path(__file__).with_name("_run_pipeline.py")
    process = subprocess.Popen(
        [sys.executable, str(script), str(paths.data_dir), AS_OF.isoformat(), str(steps)]
    )
    try:
        deadline = time.monotonic() + 300
        while not (steps.exists() and "build" in steps.read_text().split()):
            if process.poll() is not None:
                raise AssertionError("the run ended before its build started")
            if time.monotonic() > deadline:
                raise AssertionError("the build did not start in time")
            time.sleep(0.05)
        time.sleep(1.0)  # inside dbt now
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    after_kill = read_manifest(paths.serving_dir / "manifest.json")
    con = duckdb.connect(str(paths.serving_path), read_only=True)
    try:
        rows = con.execute("select count(*) from dim_accounts").fetchone()[0]
    finally:
        con.close()
    return KilledThenRerun(
        paths=paths,
        manifest_before=before,
        killed_returncode=process.returncode,
        manifest_after_kill=after_kill,
        serving_rows_after_kill=rows,
        rerun=run(paths, AS_OF),
    )
