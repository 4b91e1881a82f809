"""No raw email address or person name reaches what BI reads: the serving database and its Parquet files.

Uses the session's tiny pipeline run (generate, land, build, validate, publish; fixture `tiny_runs`) and scans
every text column of every published table, in DuckDB and in Parquet, for any email or full_name value of the
raw contacts files (exact match), and for anything shaped like an email address (`x@y.z`).
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

pytestmark = pytest.mark.slow

EMAIL_SHAPE = r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"


def _raw_contacts(raw_dir: Path) -> str:
    files = sorted(path for path in (raw_dir / "contacts").iterdir() if path.is_file())
    assert files, "the generator wrote no contacts"
    reader = {".csv": "read_csv", ".json": "read_json", ".parquet": "read_parquet"}[files[0].suffix]
    return f"{reader}([{', '.join(repr(str(path)) for path in files)}])"


def _leaks(con: duckdb.DuckDBPyConnection, relations: dict[str, str]) -> list[str]:
    """Text columns of each relation holding a raw personal value or an email-shaped string."""
    found = []
    for label, relation in relations.items():
        columns = con.execute(f"describe select * from {relation}").fetchall()
        for name, type_, *_ in columns:
            if type_ != "VARCHAR":
                continue
            column = '"' + name.replace('"', '""') + '"'
            exact, shaped = con.execute(
                f"select count(*) filter (where {column} in (select value from personal)), "
                f"count(*) filter (where regexp_matches({column}, '{EMAIL_SHAPE}')) from {relation}"
            ).fetchone()
            if exact or shaped:
                found.append(f"{label}.{name}: {exact} raw values, {shaped} email-shaped")
    return found


def test_no_raw_email_or_name_in_serving_database_or_parquet(tiny_run):
    paths = tiny_run.paths
    con = duckdb.connect()
    contacts = _raw_contacts(paths.raw_dir)
    con.execute(
        f"create table personal as select distinct value from ("
        f"select email as value from {contacts} union all select full_name from {contacts}) "
        "where value is not null and trim(value) <> ''"
    )
    emails, names = con.execute(
        f"select count(distinct email), count(distinct full_name) from {contacts}"
    ).fetchone()
    assert emails > 0 and names > 0, "the raw contacts must hold personal data for this test to mean anything"

    con.execute(f"attach '{paths.serving_path}' as serving (read_only)")
    tables = [
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() where database_name = 'serving' order by 1"
        ).fetchall()
    ]
    assert "dim_contacts" in tables
    serving = {table: f'serving.main."{table}"' for table in tables}
    parquet_files = sorted(paths.serving_parquet_dir.glob("*.parquet"))
    assert {path.stem for path in parquet_files} == set(tables)
    parquet = {f"parquet/{path.name}": f"read_parquet('{path}')" for path in parquet_files}

    assert _leaks(con, serving) == []
    assert _leaks(con, parquet) == []

    # the scan can fail: the same query finds the addresses in the raw contacts themselves
    assert _leaks(con, {"raw.contacts": contacts})


def test_the_gate_ran_in_the_pipeline_and_passed_on_tiny_data(tiny_run):
    summary = tiny_run.summary
    report = summary.validation
    assert summary.validation_available and report.ok, report.failures
    assert report.counts.tables_validated >= 15 + 2  # every staging model and at least the core marts
    assert report.counts.expectations_failed == 0
    assert "marts.dim_accounts: row-count change skipped: no previous publish" in report.notes
    assert summary.published is not None
    assert (tiny_run.paths.quality_dir / "data_docs" / "index.html").exists()
    assert json.loads((tiny_run.paths.quality_dir / "validation" / "latest.json").read_text())["ok"] is True
