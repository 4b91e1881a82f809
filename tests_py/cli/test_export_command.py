"""`account-health export`: a published mart as CSV, JSON or Parquet, the same rows BI reads."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import duckdb
import pytest
from _cli import run_main

UNHEALTHY = "health_band = 'unhealthy'"


def _serving_rows(tiny_run, sql: str) -> list[tuple]:
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_each_format_holds_the_rows_the_filter_keeps(tiny_run, tmp_path: Path, capsys) -> None:
    expected = _serving_rows(
        tiny_run, f"select account_id from fct_account_review_queue where {UNHEALTHY} order by all"
    )
    assert expected, "the tiny run has unhealthy accounts in its queue"
    data = ["--data-dir", tiny_run.paths.data_dir]
    for file_format in ("csv", "json", "parquet"):
        out = tmp_path / f"queue.{file_format}"
        args = ["export", "fct_account_review_queue", "--format", file_format, "--where", UNHEALTHY]
        code, stdout, _ = run_main([*args, "--out", out, *data], capsys)
        assert code == 0
        assert stdout.strip() == f"{len(expected)} rows of fct_account_review_queue written to {out}"
        if file_format == "csv":
            with out.open(newline="") as handle:
                rows = list(csv.DictReader(handle))
        elif file_format == "json":
            rows = json.loads(out.read_text())
        else:
            with duckdb.connect() as con:
                rows = [
                    {"account_id": account_id, "health_band": band}
                    for account_id, band in con.execute(
                        f"select account_id, health_band from read_parquet('{out}')"
                    ).fetchall()
                ]
        assert sorted((row["account_id"],) for row in rows) == expected
        assert {row["health_band"] for row in rows} == {"unhealthy"}


def test_the_default_file_is_under_the_data_folder_with_every_row(tiny_run, tiny_run_copy, capsys) -> None:
    [(count,)] = _serving_rows(tiny_run, "select count(*) from dim_accounts")
    # a copy: the export writes into the data folder, and the tiny run's is shared (tests_py/conftest.py)
    code, stdout, _ = run_main(["export", "dim_accounts", "--data-dir", tiny_run_copy.data_dir], capsys)
    assert code == 0
    out = tiny_run_copy.data_dir / "exports" / "dim_accounts.csv"
    assert stdout.strip() == f"{count} rows of dim_accounts written to {out}"
    with out.open(newline="") as handle:
        assert len(list(csv.DictReader(handle))) == count


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["fct_nope"], "error: no published mart 'fct_nope': the marts are dim_accounts, dim_contacts, "),
        (["dim_accounts", "--format", "xlsx"], "error: unknown format 'xlsx': use one of csv, json, parquet"),
        (
            ["dim_accounts", "--where", "nope = 1"],
            "error: --where 'nope = 1' does not work on dim_accounts: Binder Error: Referenced column "
            '"nope" not found',
        ),
        (
            ["dim_accounts", "--where", "true; drop table dim_accounts"],
            "error: --where is one SQL condition over the mart's columns, without ';'",
        ),
    ],
)
def test_a_wrong_mart_format_or_filter_is_one_line_and_exit_2(tiny_run, tmp_path, capsys, args, message):
    code, _, stderr = run_main(
        ["export", *args, "--out", tmp_path / "x", "--data-dir", tiny_run.paths.data_dir], capsys
    )
    assert code == 2
    assert stderr.startswith(message)
    assert len(stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()
