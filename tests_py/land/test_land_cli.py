"""`account-health land` says why: every warning printed, misplaced folders exit 1 unless ignored, a
warehouse held by another process is one line with exit 3, a full disk is one line (issue 9)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from land_helpers import ACCOUNTS_HEADER, Lake, account_row
from typer.testing import CliRunner

from account_health.cli import app
from account_health.land import WarehouseBusy, land

runner = CliRunner()
ACCOUNTS = "\n".join([ACCOUNTS_HEADER, account_row("A1")]) + "\n"


def _land(lake: Lake, *extra: str):
    data_dir = lake.raw.parent / "data"
    result = runner.invoke(app, ["--data-dir", str(data_dir), "land", "--from", str(lake.raw), *extra])
    output = re.sub(r"\x1b\[[0-9;]*m", "", result.output)  # stdout and stderr, interleaved
    return result.exit_code, output


def test_a_misplaced_folder_is_printed_and_exits_1_unless_ignored(lake: Lake):
    lake.write("accounts/a.csv", ACCOUNTS)
    lake.write("Acounts/b.csv", ACCOUNTS)
    code, output = _land(lake)
    assert code == 1
    assert "warning: unknown folder 'Acounts' (did you mean 'accounts'?" in output
    assert (
        "error: 1 misplaced folders or files were not landed (see the warnings); move them into a table "
        "folder, or pass --ignore-unknown-folders"
    ) in output
    lake.write("accounts/c.csv", "\n".join([ACCOUNTS_HEADER, account_row("A2")]) + "\n")
    code, output = _land(lake, "--ignore-unknown-folders")
    assert code == 0, output
    assert "warning: unknown folder 'Acounts'" in output
    assert "skipped " in output and "already loaded (same checksum)" in output  # a.csv, printed too


@pytest.fixture(params=["writer", "reader"])
def holder(request: pytest.FixtureRequest, tmp_path: Path):
    """Another process that holds the warehouse open: read-write (as a second `land` would) or read-only
    (as `account-health metrics` or a notebook would)."""
    warehouse = tmp_path / "data" / "warehouse" / "account_health.duckdb"
    warehouse.parent.mkdir(parents=True)
    duckdb.connect(str(warehouse)).close()
    read_only = request.param == "reader"
    process = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1], read_only=sys.argv[2] == 'ro'); "
            "print('ready', flush=True); time.sleep(120)",
            str(warehouse),
            "ro" if read_only else "rw",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert process.stdout.readline().strip() == "ready"
    yield process, warehouse
    process.kill()
    process.wait()


def test_a_warehouse_held_elsewhere_is_one_line_naming_the_process_with_exit_3(lake: Lake, holder):
    process, warehouse = holder
    lake.write("accounts/a.csv", ACCOUNTS)
    with pytest.raises(WarehouseBusy) as raised:
        land(lake.raw, warehouse)
    assert f"is in use by process {process.pid} (" in str(raised.value)
    code, output = _land(lake)
    assert code == 3
    [line] = [line for line in output.splitlines() if line.strip()]
    assert line.startswith(f"error: the warehouse {warehouse} is in use by process {process.pid} (")
    assert line.endswith("); wait for it to finish (or stop it) and land again")
    assert "Traceback" not in output


def test_a_full_disk_while_writing_data_docs_is_one_line_and_the_landing_stays(lake: Lake):
    """/dev/full answers every write with ENOSPC: a real full disk for the Data Docs index page."""
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full on this system")
    lake.write("accounts/a.csv", ACCOUNTS)
    docs = lake.raw.parent / "data" / "quality" / "data_docs"
    docs.mkdir(parents=True)
    (docs / "index.html").symlink_to("/dev/full")
    code, output = _land(lake)  # Data Docs are not rebuilt after a clean landing unless asked
    assert code == 0 and "Data Docs" not in output
    lake.write("accounts/b.csv", "\n".join([ACCOUNTS_HEADER, account_row("A2")]) + "\n")
    code, output = _land(lake, "--docs")
    assert code == 1
    errors = [line for line in output.splitlines() if line.startswith("error:")]
    assert errors == [
        f"error: disk full while writing Data Docs to {docs}: free some space and run land again; "
        "committed files stay landed"
    ]
    assert "Traceback" not in output
    code, output = _land(lake)  # the file was committed before the docs: a re-run skips it
    assert "already loaded (same checksum)" in output
    (docs / "index.html").unlink()
    lake.write("accounts/c.csv", "\n".join([ACCOUNTS_HEADER, account_row("A3")]) + "\n")
    code, output = _land(lake, "--docs")
    assert code == 0 and f"Data Docs: {docs / 'index.html'}" in output.replace("\n", "")


MISPLACED_ERROR = (
    "1 misplaced folders or files were not landed (see the warnings); move them into a table folder, or "
    "pass --ignore-unknown-folders"
)


@pytest.fixture
def no_build(monkeypatch):
    """`run` and `demo` must stop before dbt: a build here fails the run with a line the test can see."""
    from account_health import pipeline

    def build(*args, **kwargs):
        raise RuntimeError("the build started")

    monkeypatch.setattr(pipeline.dbt_build, "build", build)


def _invoke(lake: Lake, *args: str):
    data_dir = lake.raw.parent / "data"
    result = runner.invoke(app, ["--data-dir", str(data_dir), *args])
    return result.exit_code, re.sub(r"\x1b\[[0-9;]*m", "", result.output)


def _error_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith("error:")]


def test_run_on_a_typo_d_table_folder_prints_the_warning_and_exits_1_before_the_build(lake: Lake, no_build):
    lake.write("accounts/a.csv", ACCOUNTS)
    lake.write("Acounts/b.csv", ACCOUNTS)
    code, output = _invoke(lake, "run", "--from", str(lake.raw))
    assert code == 1, output
    assert "warning: unknown folder 'Acounts' (did you mean 'accounts'?" in output
    assert _error_lines(output) == [f"error: land failed: {MISPLACED_ERROR}"]
    assert "The serving database was not changed." in output
    assert "the build started" not in output and "Traceback" not in output


def test_run_with_ignore_unknown_folders_goes_on_to_the_build(lake: Lake, no_build):
    lake.write("accounts/a.csv", ACCOUNTS)
    lake.write("Acounts/b.csv", ACCOUNTS)
    code, output = _invoke(lake, "run", "--from", str(lake.raw), "--ignore-unknown-folders")
    assert code == 1, output
    assert "warning: unknown folder 'Acounts' (did you mean 'accounts'?" in output
    assert _error_lines(output) == ["error: build failed: RuntimeError: the build started"]


def test_demo_on_a_data_folder_with_a_misplaced_file_exits_1_before_the_build(lake: Lake, no_build):
    raw = lake.raw.parent / "data" / "raw"
    (raw / "accounts").mkdir(parents=True)
    (raw / "accounts" / "a.csv").write_text(ACCOUNTS, encoding="utf-8")
    (raw / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")  # a data file outside a table folder
    code, output = _invoke(lake, "demo")
    assert code == 1, output
    assert "warning: " in output and "accounts.csv" in output
    assert _error_lines(output) == [f"error: land failed: {MISPLACED_ERROR}"]
