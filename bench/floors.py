"""Floors: what plain DuckDB needs for the same rows, measured in the same run as the step they bound.

Every floor is timed from the connect to the close of its own DuckDB connection (the close checkpoints a
persistent database, as each step's does), opened with the warehouse's memory limit and threads
(`account_health.resources`), in the bench's process: the steps' CLI start is not in them (see
`cli_start`).

- generate: a synthetic write of the same rows: for every file the generator wrote, as many rows of the
  contract table's columns and types (values from `range()`) to the same format with the same options.
- land: a plain read of the same raw files into a persistent table per raw table of a new database
  (`create table as select * from read_*`): no contract, no quarantine, no lineage, no gate.
- build: one group-by scan of the landed events by account and day, plus a copy of the built marts (every
  table of schema `marts`, the rows the build must at least write) into a new database.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from account_health.contract import TABLES
from account_health.generate.writer import FORMAT_OPTIONS
from account_health.resources import resources
from account_health.sql import quote_ident, quote_literal, schema_tables

READERS = {".csv": "read_csv", ".json": "read_json", ".parquet": "read_parquet"}

# One synthetic value per contract type: distinct per row where a column is a key, cheap to compute.
SYNTHETIC = {
    "varchar": "'v' || range",
    "integer": "cast(range % 1000 as integer)",
    "double": "range / 7.0",
    "decimal(18,2)": "cast(range % 100000 / 100.0 as decimal(18,2))",
    "boolean": "range % 2 = 0",
    "date": "date '2025-01-01' + cast(range % 700 as integer)",
    "timestamp": "timestamp '2025-01-01' + to_seconds(range % 60000000)",
}


def _connect(database: Path | str, spill: Path) -> duckdb.DuckDBPyConnection:
    spill.mkdir(parents=True, exist_ok=True)
    settings = resources().duckdb_config() | {"temp_directory": str(spill)}
    return duckdb.connect(str(database), config=settings)


def _timed(action: Callable[[], None]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def _remove_database(database: Path) -> None:
    for path in (database, database.with_name(database.name + ".wal")):
        path.unlink(missing_ok=True)


def raw_files(raw_dir: Path) -> dict[str, list[Path]]:
    """The data files of each raw table folder, by table name."""
    found = {}
    for folder in sorted(path for path in raw_dir.iterdir() if path.is_dir()):
        files = sorted(path for path in folder.iterdir() if path.suffix in READERS)
        if files:
            found[folder.name] = files
    return found


def file_rows(raw_dir: Path) -> dict[Path, int]:
    """Rows in each generated file (counted outside any timing)."""
    rows = {}
    with duckdb.connect() as con:
        for files in raw_files(raw_dir).values():
            for path in files:
                reader = READERS[path.suffix]
                query = f"select count(*) from {reader}({quote_literal(path)})"
                rows[path] = con.execute(query).fetchone()[0]
    return rows


def generate_floor(rows_by_file: dict[Path, int], out_dir: Path, spill: Path) -> float:
    """Write `rows` synthetic rows of each file's table to a file of the same format under `out_dir`."""
    statements = []
    for path, rows in rows_by_file.items():
        table = TABLES[path.parent.name]
        columns = ", ".join(
            f"{SYNTHETIC[column.type]} as {quote_ident(column.name)}" for column in table.columns
        )
        target = out_dir / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        statements.append(
            f"copy (select {columns} from range({int(rows)})) to {quote_literal(target)} "
            f"{FORMAT_OPTIONS[table.file_format]}"
        )

    def write() -> None:
        with _connect(":memory:", spill) as con:
            for statement in statements:
                con.execute(statement)

    return _timed(write)


def land_floor(raw_dir: Path, database: Path, spill: Path) -> float:
    """Read every raw table's files into a persistent table of a new database, connect to close."""
    _remove_database(database)
    statements = []
    for name, files in raw_files(raw_dir).items():
        reader = READERS[files[0].suffix]
        listed = ", ".join(quote_literal(path) for path in files if path.suffix == files[0].suffix)
        statements.append(f"create table {quote_ident(name)} as select * from {reader}([{listed}])")

    def read() -> None:
        with _connect(database, spill) as con:
            for statement in statements:
                con.execute(statement)

    seconds = _timed(read)
    _remove_database(database)
    return seconds


def mart_tables(warehouse: Path) -> dict[str, int]:
    """Rows of every table of schema `marts` in a built warehouse."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        counts = {}
        for name in schema_tables(con, "marts"):
            counts[name] = con.execute(f"select count(*) from marts.{quote_ident(name)}").fetchone()[0]
        return counts


def group_by_floor(warehouse: Path, database: Path, spill: Path) -> float:
    """One scan of the landed events grouped by account and day, into a table of a new database."""
    _remove_database(database)

    def scan() -> None:
        with _connect(database, spill) as con:
            con.execute(f"attach {quote_literal(warehouse)} as wh (read_only)")
            con.execute(
                "create table events_by_account_day as "
                "select account_id, cast(occurred_at as date) as activity_date, count(*) as event_count "
                "from wh.raw.usage_events group by all"
            )
            con.execute("detach wh")

    seconds = _timed(scan)
    _remove_database(database)
    return seconds


def mart_write_floor(warehouse: Path, marts: list[str], database: Path, spill: Path) -> float:
    """A copy of every built mart into a new database: the rows the build writes, at their width."""
    _remove_database(database)

    def write() -> None:
        with _connect(database, spill) as con:
            con.execute(f"attach {quote_literal(warehouse)} as wh (read_only)")
            for name in marts:
                con.execute(f"create table {quote_ident(name)} as select * from wh.marts.{quote_ident(name)}")
            con.execute("detach wh")

    seconds = _timed(write)
    _remove_database(database)
    return seconds
