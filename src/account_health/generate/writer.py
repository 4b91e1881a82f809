"""Writes frames and queries as raw files in the contract's column order and types, in a fixed row order,
so the same inputs give byte-identical files."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pandas as pd

from account_health.contract import TABLES, Table
from account_health.sql import quote_ident, quote_literal

FORMAT_OPTIONS = {
    "csv": "(format csv, header true)",
    "json": "(format json)",  # newline-delimited
    "parquet": "(format parquet, compression zstd)",
}


def reset_dir(path: Path) -> None:
    """Remove what an earlier run wrote there, so no stale file (e.g. a month of another window) survives."""
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)


def typed_select(table: Table, source: str) -> str:
    columns = ", ".join(f'cast("{c.name}" as {c.type}) as "{c.name}"' for c in table.columns)
    return f"select {columns} from {source}"


def _prepare(table: Table, frame: pd.DataFrame) -> pd.DataFrame:
    """Only the contract's columns; dates and timestamps as datetime64 so DuckDB reads them typed."""
    frame = frame.copy()
    for column in table.columns:
        if column.name not in frame.columns:
            frame[column.name] = None
        if column.type in ("date", "timestamp"):
            frame[column.name] = pd.to_datetime(frame[column.name]).astype("datetime64[s]")
    return frame[table.column_names]


def copy_to(con: duckdb.DuckDBPyConnection, query: str, path: Path, file_format: str) -> int:
    path.parent.mkdir(parents=True, exist_ok=True)
    result = con.execute(f"copy ({query}) to {quote_literal(path)} {FORMAT_OPTIONS[file_format]}").fetchone()
    return int(result[0]) if result else 0


def write_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, out_dir: Path) -> int:
    table = TABLES[name]
    con.register("frame_to_write", _prepare(table, frame))
    order = ", ".join(quote_ident(key) for key in table.key)
    query = f"{typed_select(table, 'frame_to_write')} order by {order}"
    count = copy_to(con, query, out_dir / name / f"{name}.{table.file_format}", table.file_format)
    con.unregister("frame_to_write")
    return count


def write_truth(
    con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame, truth_dir: Path, order: str
) -> None:
    con.register("truth_to_write", frame)
    copy_to(con, f"select * from truth_to_write order by {order}", truth_dir / f"{name}.parquet", "parquet")
    con.unregister("truth_to_write")
