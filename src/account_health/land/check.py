"""Check a table's files into `_ah_pending`: the contract's rules, then the duplicate keys.

Most files are staged as text in `_ah_src` (`read`, `mapping`) and checked together in one statement. A big
CSV or Parquet file is checked straight from the file instead (`checked_sql` reading `read.open_csv`'s or
`read.open_parquet`'s select): the same text rows go through the same rules, without being written to
`_ah_src` and read back first, which was about a third of the rules' cost on a million rows (and, for the
`large` tier's 100M events in Parquet, 41 GB of temp files: `_ah_src` and `_ah_pending` of every event
spilled). Small files stay staged, so that many of them still cost one rules statement, not one each. A
file is checked directly only when nothing rewrites `_ah_src` before the rules: no source mapping for its
table and no `transform` hook. JSON is always staged (its lines are parsed one by one, `read.stage_json`).

A big file is first checked straight into `raw.<table>` (`inflight`): when every row passes the rules
with no null token and no malformed line, its rows are written once, where they will stay, and the
commit only records the load. Otherwise that insert fails as a whole (or is undone) and the file is
checked into `_ah_pending` with record numbers, as below.

The outcome is the same either way: a malformed line still becomes a parse error row (in `_ah_src`, checked
with the staged rows) and the file's rows are renumbered around it in `_ah_pending`; and a file with a
duplicate key is read into `_ah_src` after all (rare), because the duplicate's quarantine row keeps its
original text.

Record numbers only when needed: a big file is first checked without them (`row_number() over ()` is a
window DuckDB runs on one thread; without it the read and the rules run on every core). Record numbers are
only ever shown for a quarantined row, so a file whose rows all pass, with no malformed line and no key
that repeats or is already loaded, keeps its unnumbered rows (in `raw.<table>`). Any other file is checked
again with numbers (`_check_direct`, numbered), exactly as before: its rows, reasons and messages are the
same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from account_health.contract import Table
from account_health.land import inflight
from account_health.land.mapping import SourceMapping, stage_file
from account_health.land.read import (
    FileKey,
    FileRejected,
    Staged,
    finish_rows,
    has_malformed_lines,
    open_file,
    read_rows,
    stage,
)
from account_health.land.rules import (
    checked_sql,
    duplicates_sql,
    mark_duplicates_sql,
    repeated_keys_sql,
)
from account_health.sql import quote_ident

#: CSV and Parquet files at least this big are checked straight from the file (below it, the statement's
#: fixed cost outweighs what staging costs).
DIRECT_MIN_BYTES = 1 << 20
DIRECT_FORMATS = ("csv", "parquet")


@dataclass(frozen=True)
class Checks:
    """How one table's files are checked in this run."""

    table: Table
    as_of: dt.date | None
    labels: dict[str, str] | None  # how reasons name columns (a source mapping's own names)
    direct: bool  # whether big files may skip `_ah_src`: no mapping for the table, no transform hook
    loaded_at: dt.datetime  # the `_loaded_at` of the batch's rows


@dataclass(frozen=True)
class Direct:
    """A file checked straight from disk: where to read it again if its duplicates need their text."""

    path: Path
    key: FileKey
    landed: bool = False  # its rows are in flight in `raw.<table>` (all passed the rules), not `_ah_pending`
    file_format: str = "csv"  # one of DIRECT_FORMATS


def checks_for(
    table: Table,
    as_of: dt.date | None,
    mapping: SourceMapping | None,
    transformed: bool,
    loaded_at: dt.datetime,
) -> Checks:
    table_mapping = mapping.tables.get(table.name) if mapping else None
    labels = table_mapping.labels() if table_mapping else None
    return Checks(table, as_of, labels, direct=table_mapping is None and not transformed, loaded_at=loaded_at)


def stage_or_check(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_format: str,
    key: FileKey,
    checks: Checks,
    mapping: SourceMapping | None,
) -> tuple[Staged, Direct | None]:
    """Stage the file into `_ah_src`, or check a big CSV or Parquet file straight into `raw.<table>` (every
    row passed) or `_ah_pending`.

    A rejected file may have left rows in `_ah_src` and `_ah_pending`: the caller deletes them by load id.
    """
    if not (checks.direct and file_format in DIRECT_FORMATS and path.stat().st_size >= DIRECT_MIN_BYTES):
        return stage_file(con, path, file_format, checks.table, key, mapping), None
    staged = _check_direct(con, path, checks, key, numbered=False, file_format=file_format)
    if staged is not None:
        return staged, Direct(path, key, landed=True, file_format=file_format)
    numbered = _check_direct(con, path, checks, key, numbered=True, file_format=file_format)
    return numbered, Direct(path, key, file_format=file_format)


def _check_direct(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    checks: Checks,
    key: FileKey,
    numbered: bool,
    file_format: str = "csv",
) -> Staged | None:
    """Check the file straight into `_ah_pending` (numbered), or, unnumbered, into `raw.<table>` in
    flight: None (and nothing left behind) unless the read went through and every row passed the rules
    with no null token and no malformed line. The numbered check then says what was wrong where, as it
    always did (its errors, reasons and line numbers)."""
    table = checks.table
    written = False
    try:
        source = open_file(con, path, file_format, table, key, numbered)
        statement = checked_sql(table, checks.as_of, checks.labels, f"({source.sql})")
        if numbered:
            rows_read = read_rows(con, source, f"insert into _ah_pending by name {statement}")
            return finish_rows(con, source, table, key, rows_read, numbered="_ah_pending")
        inflight.mark(con, table, key.load_id, key.source_file, checks.loaded_at)
        insert = inflight.insert_sql(table, statement, key.source_file, checks.loaded_at)
        with inflight.unordered(con):
            rows_read = read_rows(con, source, insert)
        written = True
        if has_malformed_lines(con, source):
            inflight.discard(con, table, [key.load_id])
            return None
        inflight.landed(con, key.load_id, key.index)
        return finish_rows(con, source, table, key, rows_read)
    except (duckdb.Error, FileRejected) as error:
        if not numbered:
            inflight.discard(con, table, [key.load_id], rows=written)
            return None
        if isinstance(error, FileRejected):
            raise
        # as `read.stage` says it
        first = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise FileRejected(f"unreadable {file_format.upper()} file: {first}") from error


def check_batch(con: duckdb.DuckDBPyConnection, checks: Checks, direct: list[Direct]) -> None:
    """Check the staged rows (`_ah_src`) into `_ah_pending`, then mark the duplicate keys of all of them.

    Leaves `_ah_repeated`: the keys more than one row had before the duplicates were marked (the only keys
    that can still repeat among the rows to load, which the Great Expectations gate counts again).
    """
    table = checks.table
    if con.execute("select exists (from _ah_src)").fetchone()[0]:  # all direct: nothing staged
        con.execute(f"insert into _ah_pending by name {checked_sql(table, checks.as_of, checks.labels)}")
    con.execute(f"create or replace temp table _ah_repeated as {repeated_keys_sql(table)}")
    with_duplicates = _find_duplicates(con, checks)
    in_flight = [file for file in direct if file.landed]
    if _number_if_needed(con, checks, in_flight, with_duplicates):
        with_duplicates = _find_duplicates(con, checks)
    for file in direct:
        if file.key.load_id in with_duplicates:
            # the duplicate rows' original text, for their quarantine records: read the file as staging does
            con.execute("delete from _ah_src where _load_id = ?", [file.key.load_id])
            stage(con, file.path, file.file_format, table, file.key)
    if with_duplicates:
        con.execute(mark_duplicates_sql(table, "_ah_duplicates"))


def _find_duplicates(con: duckdb.DuckDBPyConnection, checks: Checks) -> set[str]:
    """`_ah_duplicates`: the rows that repeat a key (`duplicates_sql`); returns their files' load ids.

    A row only repeats a key that more than one row of the batch has (`_ah_repeated`) or that is already
    landed (`_ah_known_keys`): when there are neither, no row can, and the statement (which scans every
    key of the batch, and the landed rows, a fifth of a second on a million rows) is not run."""
    if not con.execute("select exists (from _ah_repeated) or exists (from _ah_known_keys)").fetchone()[0]:
        con.execute(
            "create or replace temp table _ah_duplicates "
            "(_load_id varchar, _row_number bigint, _reason varchar)"
        )
        return set()
    con.execute(
        "create or replace temp table _ah_duplicates as "
        + duplicates_sql(checks.table, "_ah_repeated", "_ah_known_keys", checks.labels)
    )
    return {row[0] for row in con.execute("select distinct _load_id from _ah_duplicates").fetchall()}


def _number_if_needed(
    con: duckdb.DuckDBPyConnection, checks: Checks, in_flight: list[Direct], with_duplicates: set[str]
) -> list[Direct]:
    """Check again, with record numbers, the in-flight files that may have a duplicate key: a row repeats
    an already loaded key (it is in `_ah_duplicates`), or one of its keys is repeated in the batch (within
    the file, which `duplicates_sql` cannot tell without numbers, or across files). Returns those files."""
    if not in_flight:
        return []
    suspects = set(with_duplicates)
    if con.execute("select exists (from _ah_repeated)").fetchone()[0]:
        on = " and ".join(f"pending.{key} = repeated.{key}" for key in map(quote_ident, checks.table.key))
        suspects |= {
            row[0]
            for row in con.execute(
                f"""
                select distinct pending._load_id from _ah_good as pending
                semi join _ah_repeated as repeated on {on}
                where pending._load_id in (select unnest(?))
                """,
                [[file.key.load_id for file in in_flight]],
            ).fetchall()
        }
    renumbered = [file for file in in_flight if file.key.load_id in suspects]
    for file in renumbered:
        inflight.discard(con, checks.table, [file.key.load_id])
        _check_direct(con, file.path, checks, file.key, numbered=True, file_format=file.file_format)
    return renumbered
