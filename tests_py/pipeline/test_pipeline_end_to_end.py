"""`account-health run` on tiny data, end to end: what BI sees, re-runs, and failed runs."""

from __future__ import annotations

import signal
from datetime import date
from pathlib import Path

import duckdb
import pytest

from _shared_data import copy_data
from account_health.pipeline import PipelineError, run
from account_health.publish import read_manifest

AS_OF = date(2026, 10, 31)  # the as-of of the session run in conftest.py

pytestmark = pytest.mark.slow


def _raw_relation(raw_dir: Path, table: str) -> str:
    files = sorted(path for path in (raw_dir / table).iterdir() if path.is_file())
    assert files, f"no raw files for {table}"
    suffix = files[0].suffix
    pattern = str(raw_dir / table / f"*{suffix}")
    reader = {".csv": "read_csv", ".json": "read_json", ".parquet": "read_parquet"}[suffix]
    return f"{reader}('{pattern}')"


def test_a_run_publishes_one_account_row_per_generated_non_test_account(tiny_run):
    paths = tiny_run.paths
    summary = tiny_run.summary
    assert summary.rows_landed > 0
    assert summary.build.success
    assert summary.published is not None

    raw = duckdb.connect()
    expected = raw.execute(
        f"select count(distinct account_id) from {_raw_relation(paths.raw_dir, 'accounts')} "
        "where not coalesce(is_test, false)"
    ).fetchone()[0]
    serving = duckdb.connect(str(paths.serving_path), read_only=True)
    try:
        rows, distinct = serving.execute(
            "select count(*), count(distinct account_id) from dim_accounts"
        ).fetchone()
    finally:
        serving.close()
    assert expected > 0
    assert rows == distinct == expected


def test_no_raw_email_or_person_name_reaches_the_serving_database(tiny_run):
    paths = tiny_run.paths
    raw = duckdb.connect()
    raw.execute(
        f"create table personal as select distinct value from ("
        f"select email as value from {_raw_relation(paths.raw_dir, 'contacts')} union all "
        f"select full_name from {_raw_relation(paths.raw_dir, 'contacts')}) where value is not null"
    )
    assert raw.execute("select count(*) from personal").fetchone()[0] > 0
    raw.execute(f"attach '{paths.serving_path}' as serving (read_only)")
    text_columns = raw.execute(
        "select table_name, column_name from duckdb_columns() "
        "where database_name = 'serving' and data_type = 'VARCHAR'"
    ).fetchall()
    leaks = []
    for table, column in text_columns:
        found = raw.execute(
            f'select count(*) from serving."{table}" where "{column}" in (select value from personal)'
        ).fetchone()[0]
        if found:
            leaks.append(f"{table}.{column}: {found}")
    assert leaks == []


def test_a_run_that_fails_at_landing_leaves_serving_untouched(tiny_run, tmp_path):
    paths = copy_data(tiny_run.paths, tmp_path)  # the tiny run's folder is shared, read-only
    before = read_manifest(paths.serving_dir / "manifest.json")
    bad = paths.raw_dir / "accounts" / "zz_broken.csv"
    bad.write_text("account_id,account_name\nacc-x,Broken Ltd\n")

    with pytest.raises(PipelineError, match=r"land failed: .*zz_broken\.csv") as raised:
        run(paths, AS_OF)

    assert raised.value.step == "land"
    assert raised.value.summary.published is None
    assert read_manifest(paths.serving_dir / "manifest.json") == before
    con = duckdb.connect(str(paths.serving_path), read_only=True)
    con.execute("select count(*) from dim_accounts").fetchone()
    con.close()


def test_a_run_killed_during_the_build_leaves_serving_intact(killed_then_rerun):
    state = killed_then_rerun
    assert state.killed_returncode == -signal.SIGKILL
    assert state.manifest_after_kill == state.manifest_before
    assert state.serving_rows_after_kill > 0


def test_the_rerun_after_a_kill_lands_nothing_new_and_publishes_identical_marts(killed_then_rerun):
    state = killed_then_rerun
    rerun = state.rerun
    assert rerun.generated is None
    assert rerun.rows_landed == 0
    assert rerun.build.success
    assert rerun.published.run_id != state.manifest_before["run_id"]
    assert {name: table.checksum for name, table in rerun.published.tables.items()} == {
        name: table["checksum"] for name, table in state.manifest_before["tables"].items()
    }
    previous = read_manifest(state.paths.serving_dir / "previous" / "manifest.json")
    assert previous["run_id"] == state.manifest_before["run_id"]
    assert not list(state.paths.serving_dir.glob("*.tmp-*"))
