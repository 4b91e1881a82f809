"""A long history is built in slices of days (account_health.history_slices): how many, and as of when.

That a build in slices gives the rows of one build is tests_py/health/test_health_point_in_time.py's."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from account_health import build
from account_health.history_slices import (
    ACCOUNT_DAYS_ENV,
    DEFAULT_ACCOUNT_DAYS,
    SliceSettingError,
    account_days_per_build,
    catch_up_dates,
    slice_ends,
)

JAN = [dt.date(2026, 1, day) for day in range(1, 32)]  # JAN[n] is January n + 1


def test_the_days_are_shared_evenly_over_as_many_builds_as_the_account_days_need():
    # 3 accounts x 30 days (Jan 2..31) = 90 account-days at 40 per build: 3 builds of 10 days
    assert slice_ends(JAN[1], JAN[30], accounts=3, per_build=40) == (JAN[10], JAN[20])
    # 90 at 30 per build is 3 builds too; at 45, 2 builds of 15 days (the second as of the run's date)
    assert slice_ends(JAN[1], JAN[30], accounts=3, per_build=30) == (JAN[10], JAN[20])
    assert slice_ends(JAN[1], JAN[30], accounts=3, per_build=45) == (JAN[15],)


def test_a_history_that_fits_is_one_build():
    assert slice_ends(JAN[1], JAN[30], accounts=3, per_build=90) == ()
    assert slice_ends(JAN[1], JAN[30], accounts=3, per_build=0) == ()  # 0: never slice
    assert slice_ends(JAN[30], JAN[30], accounts=3, per_build=1) == ()  # one day
    assert slice_ends(JAN[1], JAN[30], accounts=0, per_build=1) == ()


def test_no_slice_is_shorter_than_a_day():
    # 1,000 accounts x 3 days at 1 account-day per build: 3 builds of one day, not 3,000
    assert slice_ends(JAN[0], JAN[2], accounts=1000, per_build=1) == (JAN[0], JAN[1])


def _warehouse(path: Path, *, scored_through: dt.date | None = None) -> Path:
    with duckdb.connect(str(path)) as con:
        con.execute("create schema raw")
        con.execute("create table raw.accounts (account_id varchar, customer_since date, is_test boolean)")
        con.execute(
            "insert into raw.accounts values ('a', date '2025-06-01', false), "
            "('b', date '2025-06-01', null), ('c', date '2025-12-01', false), "
            "('test', date '2025-01-01', true)"
        )
        con.execute("create table raw.usage_events (event_id varchar, occurred_at timestamp)")
        con.execute(
            "insert into raw.usage_events values ('e1', '2026-01-02 08:00'), ('e2', '2026-01-20 10:00')"
        )
        if scored_through:
            con.execute("create schema intermediate")
            con.execute("create table intermediate.int_health_components_scored (score_date date)")
            con.execute("insert into intermediate.int_health_components_scored values (?)", [scored_through])
    return path


def test_a_first_build_slices_from_the_first_usage_event(tmp_path: Path):
    # 3 customers (the test account left out) from Jan 2 (the first event) to Jan 31: 90 account-days
    warehouse = _warehouse(tmp_path / "w.duckdb")
    assert catch_up_dates(warehouse, JAN[30], per_build=40) == (JAN[10], JAN[20])
    assert catch_up_dates(warehouse, JAN[30], per_build=90) == ()


def test_a_later_build_slices_only_the_days_after_those_scored(tmp_path: Path):
    # scored through Jan 21: Jan 22..31 is 10 days x 3 accounts = 30 account-days
    warehouse = _warehouse(tmp_path / "w.duckdb", scored_through=JAN[20])
    assert catch_up_dates(warehouse, JAN[30], per_build=40) == ()
    assert catch_up_dates(warehouse, JAN[30], per_build=15) == (JAN[25],)


def test_nothing_landed_is_one_build(tmp_path: Path):
    assert catch_up_dates(tmp_path / "none.duckdb", JAN[30], per_build=1) == ()


def test_the_setting_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.delenv(ACCOUNT_DAYS_ENV, raising=False)
    assert account_days_per_build() == DEFAULT_ACCOUNT_DAYS
    monkeypatch.setenv(ACCOUNT_DAYS_ENV, "1_000_000")
    assert account_days_per_build() == 1_000_000
    monkeypatch.setenv(ACCOUNT_DAYS_ENV, "lots")
    with pytest.raises(SliceSettingError, match=f"{ACCOUNT_DAYS_ENV}='lots'"):
        account_days_per_build()


def test_a_slice_builds_the_selected_nodes_without_unit_tests_or_the_snapshot():
    plan = build.BuildPlan(
        sources=None, freshness=None, build=("build",), select=("+fct_account_health_daily",)
    )
    assert plan.catch_up_build == (
        "build",
        "--select",
        "+fct_account_health_daily",
        "--indirect-selection",
        "cautious",
        "--exclude-resource-type",
        "unit_test",
        "--exclude-resource-type",
        "snapshot",
    )
    whole = build.BuildPlan(sources=None, freshness=None, build=("build",))
    assert whole.catch_up_build[:2] == ("build", "--exclude-resource-type")
