"""Rows written to `raw.<table>` before their file's commit, and how they are undone.

A big CSV or Parquet file whose every row passes the rules goes straight from the file into `raw.<table>`
(`check`): writing its rows once, not first to `_ah_pending` and then again at the commit. Until the table's
commit those rows are in flight: a `landing` row in `raw._loads` marks their load (`mark`), `_ah_fast` lists
them for the rest of the batch (the duplicate checks and Great Expectations read them through the view
`_ah_good`), and a file that is rejected or checked again with record numbers has them removed (`discard`).
The commit turns the mark into the file's `loaded` row in the same transaction as the other files' rows. A
landing stopped before its commit (killed, power lost) leaves marked rows that the next landing removes
first (`recover`); no model reads a load that is not `loaded`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb

from account_health.contract import TABLES, Table
from account_health.sql import quote_ident, quote_literal

IN_FLIGHT = "landing"


def create(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """`_ah_fast` (the batch's in-flight files) and `_ah_good`: every row of the batch that passed the
    rules so far, from `_ah_pending` and, for in-flight files, from `raw.<table>` (no record numbers)."""
    con.execute("create or replace temp table _ah_fast (_load_id varchar, _file_index integer)")
    columns = ", ".join(quote_ident(name) for name in table.column_names)
    landed = ", ".join(f"landed.{quote_ident(name)}" for name in table.column_names)
    con.execute(
        f"""
        create or replace temp view _ah_good as
        select {columns}, _load_id, _file_index, _row_number from _ah_pending where _reason is null
        union all
        select {landed}, landed._load_id, fast._file_index, null::bigint as _row_number
        from raw.{quote_ident(table.name)} as landed
        inner join _ah_fast as fast on landed._load_id = fast._load_id
        """
    )


def drop(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("drop view if exists _ah_good")
    con.execute("drop table if exists _ah_fast")


def mark(
    con: duckdb.DuckDBPyConnection, table: Table, load_id: str, source_file: str, at: dt.datetime
) -> None:
    """Mark a load in flight before its rows are written to `raw.<table>`."""
    con.execute(
        "insert into raw._loads (load_id, table_name, source_file, status, _loaded_at) "
        "values (?, ?, ?, ?, ?)",
        [load_id, table.name, source_file, IN_FLIGHT, at],
    )


def insert_sql(table: Table, checked: str, source_file: str, at: dt.datetime) -> str:
    """An insert of `checked` (the rules' select of one file) into `raw.<table>` that fails as a whole at
    the first row that did not pass the rules or held a null token: such a file is checked the usual way."""
    columns = ", ".join(quote_ident(name) for name in table.column_names)
    loaded_at = f"{quote_literal(at.isoformat(' '))}::timestamp"
    return f"""
        insert into raw.{quote_ident(table.name)} ({columns}, _load_id, _source_file, _loaded_at)
        select {columns}, _load_id, {quote_literal(source_file)}, {loaded_at}
        from ({checked}) as checked
        where case
            when _reason is null and _null_tokens = 0 then true
            else error('not every row is clean: checked again with record numbers')
        end
        """


@contextmanager
def unordered(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Insert without keeping the file's row order (no model reads raw rows by position; record numbers
    are only ever shown for quarantined rows, which do not go this way). DuckDB then writes the rows
    compressed as it goes, one row group per thread; in order, it left a million rows for the next
    checkpoint to compress: about as long again as the insert, paid at the warehouse's close."""
    con.execute("set preserve_insertion_order = false")
    try:
        yield
    finally:
        con.execute("reset preserve_insertion_order")


def landed(con: duckdb.DuckDBPyConnection, load_id: str, file_index: int) -> None:
    """A load's rows are all in `raw.<table>`: the batch reads them from there (`_ah_good`)."""
    con.execute("insert into _ah_fast values (?, ?)", [load_id, file_index])


def among(con: duckdb.DuckDBPyConnection, load_ids: list[str]) -> list[str]:
    """Which of these loads are in flight (their rows in `raw.<table>`)."""
    return [
        row[0]
        for row in con.execute(
            "select _load_id from _ah_fast where _load_id in (select unnest(?))", [load_ids]
        ).fetchall()
    ]


def discard(con: duckdb.DuckDBPyConnection, table: Table, load_ids: list[str], *, rows: bool = True) -> None:
    """Undo in-flight loads: their rows (unless none were written, `rows=False`) and their marks."""
    if not load_ids:
        return
    if rows:
        con.execute(
            f"delete from raw.{quote_ident(table.name)} where _load_id in (select unnest(?))", [load_ids]
        )
    con.execute(
        "delete from raw._loads where status = ? and load_id in (select unnest(?))", [IN_FLIGHT, load_ids]
    )
    con.execute("delete from _ah_fast where _load_id in (select unnest(?))", [load_ids])


def committed(con: duckdb.DuckDBPyConnection) -> None:
    """Inside the commit's transaction: the marks of the loads being committed (`_ah_commit`) go; their
    `loaded` rows are written beside."""
    con.execute(
        "delete from raw._loads where status = ? and load_id in (select _load_id from _ah_commit)",
        [IN_FLIGHT],
    )


def recover(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Remove the rows of loads a stopped landing left in flight; one warning per load removed."""
    warnings = []
    for load_id, table_name, source_file in con.execute(
        "select load_id, table_name, source_file from raw._loads where status = ? order by all", [IN_FLIGHT]
    ).fetchall():
        removed = 0
        if table_name in TABLES:
            removed = con.execute(
                f"delete from raw.{quote_ident(table_name)} where _load_id = ?", [load_id]
            ).fetchone()[0]
        con.execute("delete from raw._loads where status = ? and load_id = ?", [IN_FLIGHT, load_id])
        warnings.append(
            f"{source_file}: an earlier landing stopped before its commit; removed its {removed} "
            f"uncommitted rows from raw.{table_name} (the file lands again now if it is still there)"
        )
    return warnings
