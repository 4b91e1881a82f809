"""The command line: help texts, argument errors, exit codes, and the publish/rollback wiring."""

from __future__ import annotations

import csv
import re

import duckdb
import pytest
from typer.testing import CliRunner

from account_health import contract
from account_health.cli import app

runner = CliRunner()
COMMANDS = [
    "generate",
    "land",
    "build",
    "validate",
    "publish",
    "report",
    "run",
    "demo",
    "explain",
    "alerts",
    "export",
    "metrics",
    "check",
    "dashboard",
    "calibrate",
    "dagster",
    "init",
]


def plain(text: str) -> str:
    return re.sub(r"\x1b\[[0-9;]*m", "", text)


def test_top_level_help_lists_every_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    listed = re.findall(r"^│ (\w+)\s", plain(result.output), flags=re.MULTILINE)
    assert listed == COMMANDS


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help(command):
    result = runner.invoke(app, [command, "--help"])
    assert result.exit_code == 0, result.output
    assert "Usage" in result.output


def test_a_malformed_as_of_date_is_a_usage_error(tmp_path):
    result = runner.invoke(app, ["--data-dir", str(tmp_path), "build", "--as-of", "31/10/2026"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in plain(result.output)


def _warehouse_with_marts(data_dir, accounts: int) -> None:
    warehouse = data_dir / "warehouse" / "account_health.duckdb"
    warehouse.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(warehouse))
    con.execute("create schema if not exists marts")
    con.execute(
        "create or replace table marts.dim_accounts as select 'acc-' || range as account_id from range(?)",
        [accounts],
    )
    con.close()


def _serving_accounts(data_dir) -> int:
    con = duckdb.connect(str(data_dir / "serving" / "account_health.duckdb"), read_only=True)
    try:
        return con.execute("select count(*) from dim_accounts").fetchone()[0]
    finally:
        con.close()


def test_publish_and_rollback_through_the_cli(tmp_path):
    data_dir = tmp_path / "data"
    assert runner.invoke(app, ["--data-dir", str(data_dir), "publish", "--rollback"]).exit_code == 1

    _warehouse_with_marts(data_dir, 2)
    first = runner.invoke(app, ["--data-dir", str(data_dir), "publish", "--as-of", "2026-10-31"])
    assert first.exit_code == 0, first.output
    _warehouse_with_marts(data_dir, 3)
    assert runner.invoke(app, ["--data-dir", str(data_dir), "publish"]).exit_code == 0
    assert _serving_accounts(data_dir) == 3

    rolled = runner.invoke(app, ["--data-dir", str(data_dir), "publish", "--rollback"])

    assert rolled.exit_code == 0, rolled.output
    assert _serving_accounts(data_dir) == 2


def test_land_rejects_a_csv_missing_a_required_column_naming_file_and_column(tmp_path):
    landing = pytest.importorskip(
        "account_health.land", reason="the landing module is built by another helper"
    )
    if not hasattr(landing, "land"):
        pytest.skip("account_health.land.land is not there yet")
    table = contract.TABLES["accounts"]
    missing = "segment"
    raw = tmp_path / "raw" / "accounts"
    raw.mkdir(parents=True)
    columns = [name for name in table.column_names if name != missing]
    with open(raw / "accounts_no_segment.csv", "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        writer.writerow(["a-1" if name == "account_id" else "" for name in columns])

    result = runner.invoke(
        app, ["--data-dir", str(tmp_path / "data"), "land", "--from", str(tmp_path / "raw")]
    )

    assert result.exit_code == 1
    output = plain(result.output + (result.stderr if result.stderr_bytes is not None else ""))
    assert "accounts_no_segment.csv" in output
    assert missing in output
