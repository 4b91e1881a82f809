"""`run --json` and `validate --json`: a JSON summary on stdout a scheduler can read, also for a failure."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
from _cli import run_main

from account_health.summary import run_summary


def test_a_run_summary_says_what_each_step_did(tiny_run) -> None:
    document = json.loads(json.dumps(run_summary(tiny_run.summary), default=str))
    assert document["ok"] is True
    assert document["failed_step"] is None
    assert document["serving_changed"] is True
    assert document["as_of"] == "2026-10-31"
    assert document["rows"]["landed"] == tiny_run.summary.rows_landed > 0
    assert document["land"]["rejected"] == []
    assert document["build"]["ok"] is True
    assert document["build"]["counts"]["model"]["failed"] == 0
    assert document["validation"]["ok"] is True
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        served = dict(
            con.execute(
                "select table_name, estimated_size from duckdb_tables() where schema_name = 'main'"
            ).fetchall()
        )
        counts = {name: con.execute(f'select count(*) from "{name}"').fetchone()[0] for name in served}
    assert document["published"]["tables"] == counts
    assert set(document["seconds"]) >= {"land", "build", "validate", "publish", "report"}


def test_a_failed_run_prints_which_step_failed_and_leaves_serving_alone(tmp_path: Path, capsys) -> None:
    raw = tmp_path / "raw" / "accounts"
    raw.mkdir(parents=True)
    (raw / "accounts.csv").write_text("account_id,account_name\nacc_1,Acme\n")
    data = tmp_path / "data"
    code, out, _ = run_main(
        ["run", "--from", tmp_path / "raw", "--as-of", "2026-10-31", "--json", "--data-dir", data], capsys
    )
    assert code == 1
    document = json.loads(out)
    assert document["ok"] is False
    assert document["failed_step"] == "land"
    assert document["serving_changed"] is False
    assert document["published"] is None
    [rejected] = document["land"]["rejected"]
    assert rejected["table"] == "accounts"
    assert rejected["file"].endswith("accounts.csv")
    assert rejected["message"].startswith("accounts/accounts.csv: missing required columns 'segment'")
    assert not (data / "serving").exists()


def test_validate_json_counts_the_expectations(tiny_run_copy, capsys) -> None:
    # a copy: validation writes its results and Data Docs into the data folder, and the tiny run's is shared
    code, out, _ = run_main(["validate", "--json", "--data-dir", tiny_run_copy.data_dir], capsys)
    assert code == 0
    document = json.loads(out)
    assert document["ok"] is True
    assert document["failures"] == []
    assert document["counts"]["expectations"] > 0
    assert document["counts"]["expectations_failed"] == 0
