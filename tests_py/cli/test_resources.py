"""DuckDB's memory limit, threads and spill folder come from the environment (account_health.resources) and
reach every connection that works on the warehouse: landing's, dbt's (through profiles.yml) and the CLI's
checks of them."""

from __future__ import annotations

from pathlib import Path

import pytest
from _cli import run_main

from account_health import build, resources
from account_health.land.load import connect
from account_health.paths import Paths


@pytest.fixture
def limits(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    spill = tmp_path / "spill"
    monkeypatch.setenv(resources.MEMORY_ENV, "1GB")
    monkeypatch.setenv(resources.THREADS_ENV, "1")
    monkeypatch.setenv(resources.TEMP_DIR_ENV, str(spill))
    return spill


def test_landing_opens_the_warehouse_with_the_configured_limits(limits: Path, tmp_path: Path):
    con = connect(tmp_path / "warehouse.duckdb")
    try:
        settings = con.execute(
            "select current_setting('memory_limit'), current_setting('threads'), "
            "current_setting('temp_directory')"
        ).fetchone()
    finally:
        con.close()
    assert settings == ("953.6 MiB", 1, str(limits))  # DuckDB shows 1 GB (10^9 bytes) in MiB


def test_dbt_runs_with_the_configured_limits(limits: Path, tmp_path: Path):
    from dbt.cli.main import dbtRunner

    paths = Paths(tmp_path / "data")
    paths.warehouse_path.parent.mkdir(parents=True)
    query = (
        "select current_setting('memory_limit') as memory, current_setting('threads') as threads, "
        "current_setting('temp_directory') as spill"
    )
    args = build.dbt_args(paths, ["show", "--inline", query, "--output", "json"])
    with build.dbt_environment(paths.dbt_env()):
        outcome = dbtRunner().invoke(["--quiet", *args])
    build._release_warehouse()
    assert outcome.success, outcome.exception
    [row] = outcome.result.results[0].agate_table.rows
    assert tuple(row) == ("953.6 MiB", 1, str(limits))


def test_dbt_opens_a_new_cursor_after_a_query_spilled(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    """The spill folder is set once, when dbt-duckdb opens the database (`config_options`): set again on every
    new cursor, as a `settings` entry was, DuckDB refuses it once a query has spilled ("Cannot switch
    temporary directory after the current one has been used"), which stopped the first `medium` build."""
    from dbt.cli.main import dbtRunner

    spill = tmp_path / "spill"
    monkeypatch.setenv(resources.MEMORY_ENV, "64MB")
    monkeypatch.setenv(resources.THREADS_ENV, "1")
    monkeypatch.setenv(resources.TEMP_DIR_ENV, str(spill))
    paths = Paths(tmp_path / "data")
    paths.warehouse_path.parent.mkdir(parents=True)
    spilling = "select count(distinct range || 'x') as n from range(3000000)"
    outcomes = []
    with build.dbt_environment(paths.dbt_env()):
        for query in (spilling, "select 1 as one"):  # the second command opens a new cursor
            args = build.dbt_args(paths, ["show", "--inline", query, "--output", "json"])
            outcomes.append(dbtRunner().invoke(["--quiet", *args]))
    build._release_warehouse()
    assert [outcome.success for outcome in outcomes] == [True, True], [o.exception for o in outcomes]
    assert outcomes[0].result.results[0].agate_table.rows[0][0] == 3_000_000


@pytest.mark.parametrize(
    ("machine", "expected"),
    [(4 * 1000**3, "2000MB"), (24 * 1024**3, "6000MB"), (None, "6000MB")],
)
def test_the_default_memory_limit_is_6_gb_or_half_the_machine(
    monkeypatch: pytest.MonkeyPatch, machine: int | None, expected: str
):
    monkeypatch.delenv(resources.MEMORY_ENV, raising=False)
    monkeypatch.setattr(resources, "_machine_memory", lambda: machine)
    assert resources.resources().memory_limit == expected


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        (
            resources.MEMORY_ENV,
            "lots",
            "ACCOUNT_HEALTH_MEMORY_LIMIT='lots': not a size such as 6GB, 512MB or 4GiB",
        ),
        (resources.THREADS_ENV, "0", "ACCOUNT_HEALTH_THREADS='0': not a whole number of threads, 1 or more"),
    ],
)
def test_a_setting_duckdb_would_refuse_is_one_line_and_exit_2(
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    variable: str,
    value: str,
    message: str,
):
    raw = tmp_path / "raw" / "accounts"
    raw.mkdir(parents=True)
    (raw / "a.csv").write_text(
        "account_id,account_name,segment,csm_owner,customer_since\nA1,x,smb,c,2024-01-01\n"
    )
    monkeypatch.setenv(variable, value)
    code, _, err = run_main(["--data-dir", tmp_path / "data", "land", "--from", raw.parent], capsys)
    assert (code, err.strip()) == (2, f"error: {message}")
