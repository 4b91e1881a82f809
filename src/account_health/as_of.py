"""The one as-of rule: a run scores every day up to its as-of date, by default the latest activity landed.

`--as-of` wins when given. Otherwise the as-of date is the latest day on which something happened in the
landed raw tables: the newest value of every date and timestamp column that records an event (usage,
support, surveys, CS activity, CRM changes...), leaving out the columns that may legitimately lie ahead
(planned dates such as a subscription's end or a goal's due date; `land.rules.FUTURE_ALLOWED`). Landing
itself quarantines timestamps after its as-of date, by default today (nothing can have happened later),
so this date is never in the future. `generate` is the exception: it makes data for a date, so it takes
an explicit default (2026-10-31, the demo's).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from account_health.contract import TABLES
from account_health.land.rules import FUTURE_ALLOWED
from account_health.sql import quote_ident


def activity_columns() -> list[tuple[str, str]]:
    """(table, column) of every raw date or timestamp column that records something that happened."""
    return [
        (table.name, column.name)
        for table in TABLES.values()
        for column in table.columns
        if column.type in ("date", "timestamp")
        and column.name not in FUTURE_ALLOWED.get(table.name, frozenset())
    ]


def latest_activity_date(warehouse_path: Path) -> dt.date | None:
    """The newest activity date in the warehouse's raw tables, or None when nothing was landed."""
    if not Path(warehouse_path).exists():
        return None
    con = duckdb.connect(str(warehouse_path), read_only=True)
    try:
        present = {
            (row[0], row[1])
            for row in con.execute(
                "select table_name, column_name from duckdb_columns() where schema_name = 'raw'"
            ).fetchall()
        }
        parts = [
            f"select max({quote_ident(column)})::date as day from raw.{quote_ident(table)}"
            for table, column in activity_columns()
            if (table, column) in present
        ]
        if not parts:
            return None
        return con.execute(f"select max(day) from ({' union all '.join(parts)})").fetchone()[0]
    finally:
        con.close()
