"""A build that must score a long history builds it in slices of days, so no statement holds all of it.

Every model that grows with the history is incremental by account and day: it appends only the days after
the ones it holds, and a build as of D1 followed by one as of D2 gives the rows of one build as of D2
(tests_py/health/test_health_point_in_time.py). A first build at the `large` tier (10,000 accounts, 24
months: 7.3M account-days, 300M rows of the long score table) asks DuckDB to sort and window all of them in
one statement, and spilled more than 60 GB of temp files (DECISIONLOG.md#large-first-run). So when the
account-days still to build exceed `ACCOUNT_HEALTH_ACCOUNT_DAYS_PER_BUILD`, the build first catches up as
of earlier dates, each a `dbt build` of its own that adds a slice of days (and tests them), then builds as
of the run's date. A daily run, or any build whose new days fit, is one build as before.

The account-days are estimated from the raw tables before dbt starts (customers are at most the accounts
that are not test accounts, days run from the day after the last one scored, or from the first usage
event when nothing was scored yet), a few seconds of DuckDB at `large` and no Python copy of any table.
"""

from __future__ import annotations

import datetime as dt
import math
import os
from pathlib import Path

import duckdb

from account_health.resources import ResourcesError

ACCOUNT_DAYS_ENV = "ACCOUNT_HEALTH_ACCOUNT_DAYS_PER_BUILD"
#: The medium tier's 730k account-days build in one go; large's 7.3M in three slices.
DEFAULT_ACCOUNT_DAYS = 2_500_000

#: The long score table: the model whose newest day is the last day every account-day chain has built.
SCORED = ("intermediate", "int_health_components_scored")


class SliceSettingError(ResourcesError):
    """ACCOUNT_HEALTH_ACCOUNT_DAYS_PER_BUILD is not a whole number (the CLI's one-line error, exit 2)."""


def account_days_per_build() -> int:
    """The setting from the environment: 0 builds the whole history at once."""
    text = os.environ.get(ACCOUNT_DAYS_ENV, "").strip().replace("_", "")
    if not text:
        return DEFAULT_ACCOUNT_DAYS
    if not text.isdigit():
        raise SliceSettingError(f"{ACCOUNT_DAYS_ENV}={text!r}: not a whole number of account-days (0: none)")
    return int(text)


def slice_ends(first_day: dt.date, as_of: dt.date, accounts: int, per_build: int) -> tuple[dt.date, ...]:
    """The as-of dates of the builds before the one as of `as_of` that builds `first_day`..`as_of`.

    As many builds as `accounts` x days needs at `per_build` account-days each, the days shared evenly
    (the last build takes what the others leave): 3 accounts over the 30 days from Jan 2 to Jan 31 at 40
    account-days per build is ceil(90 / 40) = 3 builds of ceil(30 / 3) = 10 days, as of Jan 11, Jan 21,
    and then Jan 31.
    """
    days = (as_of - first_day).days + 1
    if per_build <= 0 or accounts <= 0 or days <= 1:
        return ()
    builds = min(math.ceil(accounts * days / per_build), days)
    if builds <= 1:
        return ()
    step = math.ceil(days / builds)
    ends = (first_day + dt.timedelta(days=step * number - 1) for number in range(1, builds))
    return tuple(end for end in ends if end < as_of)


def _one(con: duckdb.DuckDBPyConnection, sql: str) -> object:
    row = con.execute(sql).fetchone()
    return row[0] if row else None


def catch_up_dates(warehouse_path: Path, as_of: dt.date, per_build: int | None = None) -> tuple[dt.date, ...]:
    """The as-of dates of the builds that must run before a build as of `as_of` (none: build at once)."""
    per_build = account_days_per_build() if per_build is None else per_build
    if per_build <= 0 or not Path(warehouse_path).exists():
        return ()
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        tables = {
            (schema, name)
            for schema, name in con.execute("select schema_name, table_name from duckdb_tables()").fetchall()
        }
        if ("raw", "accounts") not in tables:
            return ()
        accounts = _one(con, "select count(*) from raw.accounts where not coalesce(is_test, false)")
        first_day = None
        if SCORED in tables:
            scored_through = _one(con, f"select max(score_date) from {SCORED[0]}.{SCORED[1]}")
            first_day = scored_through + dt.timedelta(days=1) if scored_through else None
        if first_day is None and ("raw", "usage_events") in tables:
            first_day = _one(con, "select min(occurred_at)::date from raw.usage_events")
        if first_day is None:
            first_day = _one(con, "select min(customer_since) from raw.accounts")
    finally:
        con.close()
    if first_day is None or first_day >= as_of:
        return ()
    return slice_ends(first_day, as_of, int(accounts or 0), per_build)
