"""The raw schema landing writes to (quoting of dynamic names: account_health.sql)."""

from __future__ import annotations

import duckdb

from account_health.contract import TABLES, raw_table_ddl

QUARANTINE_DDL = """
create table if not exists raw._quarantine (
    table_name varchar,
    source_file varchar,
    row_number bigint,
    reason varchar,
    raw_record varchar,
    _load_id varchar,
    _loaded_at timestamp
)
"""

LOADS_DDL = """
create table if not exists raw._loads (
    load_id varchar,
    table_name varchar,
    source_file varchar,
    checksum varchar,
    file_format varchar,
    status varchar,
    rows_read bigint,
    rows_loaded bigint,
    rows_quarantined bigint,
    message varchar,
    _loaded_at timestamp
)
"""


# Rows of an earlier version of a re-exported file (same name, new content), moved here when the new
# version replaces them: the whole row as JSON (contract and lineage columns), which load replaced it.
HISTORY_DDL = """
create table if not exists raw._history (
    table_name varchar,
    source_file varchar,
    _load_id varchar,
    _loaded_at timestamp,
    record varchar,
    superseded_by varchar,
    superseded_at timestamp
)
"""


def ensure_raw_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create schema raw, every contract table, raw._quarantine, raw._loads and raw._history.

    In one transaction: one commit (a write to the warehouse's log) instead of one per statement."""
    con.execute("begin transaction")
    try:
        con.execute("create schema if not exists raw")
        for table in TABLES.values():
            con.execute(raw_table_ddl(table))
        con.execute(QUARANTINE_DDL)
        con.execute(LOADS_DDL)
        con.execute(HISTORY_DDL)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise
