"""A small hand-made warehouse with a `marts` schema, so publish is tested without the dbt models."""

from __future__ import annotations

from collections.abc import Callable

import duckdb
import pytest

from account_health.paths import Paths


def write_marts(paths: Paths, version: int, *, extra_sql: str = "") -> None:
    """Replace the warehouse's marts with snapshot `version`: `version` accounts, 10 daily rows each.

    `meta.version` equals the row count of dim_accounts, so a reader can tell a torn snapshot.
    """
    paths.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(paths.warehouse_path))
    try:
        con.execute("drop schema if exists marts cascade")
        con.execute("create schema marts")
        con.execute("create schema if not exists staging")
        con.execute("create or replace table staging.stg_private (email varchar)")
        con.execute(
            "create table marts.dim_accounts ("
            "account_id varchar primary key, segment varchar not null, arr_usd decimal(18, 2), "
            "tags varchar[], customer_since date)"
        )
        con.execute(
            "insert into marts.dim_accounts select 'acc-' || lpad(range::varchar, 4, '0'), "
            "['enterprise', 'smb'][range % 2 + 1], range * 1000.5, ['a', 'b'], "
            "date '2024-01-01' + range::int "
            f"from range({version})"
        )
        con.execute("create table marts.meta as select ?::integer as version", [version])
        con.execute(
            "create table marts.fct_account_health_daily as "
            "select account_id, date '2026-10-01' + day::int as score_date, (day * 7 % 100)::double as score "
            "from marts.dim_accounts, range(10) as days(day)"
        )
        if extra_sql:
            con.execute(extra_sql)
    finally:
        con.close()


@pytest.fixture
def marts_writer(paths: Paths) -> Callable[..., None]:
    def write(version: int, **kwargs: str) -> None:
        write_marts(paths, version, **kwargs)

    return write
