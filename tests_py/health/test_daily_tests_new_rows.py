"""A daily build tests the rows it wrote, not the history again (macros/new_rows_tested.sql).

On a full build every row of an account-day incremental model is tested; on an incremental build only
the days after each account's last built day. Shown with the uniqueness test of
fct_account_health_daily: a duplicate planted in an old day is caught after a full build and goes unseen
after a daily one; a duplicate in a day the daily build wrote is caught.
"""

from __future__ import annotations

import datetime as dt

import duckdb
from _health_build import AS_OF, DbtCall, build_health, call_dbt, read

from account_health.paths import PROJECT_DIR, Paths

D1 = dt.date(2026, 10, 24)
UNIQUENESS = "fct_account_health_daily,test_name:unique_combination_of_columns"


def _test(paths: Paths) -> DbtCall:
    return call_dbt(PROJECT_DIR, paths, "test", "-s", UNIQUENESS, as_of=AS_OF)


def _duplicate_one_row(paths: Paths, score_date: dt.date) -> None:
    with duckdb.connect(str(paths.warehouse_path)) as connection:
        connection.execute(
            "insert into marts.fct_account_health_daily "
            "select * from marts.fct_account_health_daily where score_date = ? "
            "order by account_id limit 1",
            [score_date],
        )


def test_a_daily_build_tests_the_days_it_wrote(landed: Paths) -> None:
    build_health(PROJECT_DIR, landed, D1, "--full-refresh")
    recorded = read(landed, "select count(*) from build_state.fct_account_health_daily")
    assert recorded == [(0,)], "a full build records no built day: every row is new"
    _duplicate_one_row(landed, D1)
    after_full = _test(landed)  # reads every day
    assert after_full.returncode == 1, after_full.stdout[-3000:]

    build_health(PROJECT_DIR, landed, AS_OF)  # appends the days after D1; D1's duplicate stays
    built_through = read(landed, "select max(built_through) from build_state.fct_account_health_daily")
    assert built_through == [(D1,)], "before the daily build the accounts were built through D1"
    after_daily = _test(landed)  # reads the days after D1 only
    assert after_daily.returncode == 0, after_daily.stdout[-3000:]

    _duplicate_one_row(landed, AS_OF)  # a day this build wrote
    new_day = _test(landed)
    assert new_day.returncode == 1, new_day.stdout[-3000:]
    assert "Got 1 result" in new_day.stdout
