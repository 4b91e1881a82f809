"""`account-health export`: one published mart, or the rows of it a filter keeps, as CSV, JSON or Parquet.

Reads the serving database (what BI reads, read-only) and writes with DuckDB's own COPY, so a large mart
never passes through Python. A filter is a SQL condition over the mart's columns, checked by DuckDB before
anything is written; a mistake in it, an unknown mart or format is an `ExportError` with one line.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from account_health.paths import Paths
from account_health.serving import open_serving
from account_health.sql import quote_ident, quote_literal

FORMATS = {
    "csv": "(format csv, header true)",
    "json": "(format json, array true)",
    "parquet": "(format parquet)",
}


class ExportError(ValueError):
    """The export cannot run as asked; the message is one line."""


@dataclass(frozen=True)
class Exported:
    table: str
    rows: int
    path: Path


def export(
    paths: Paths, table: str, *, file_format: str = "csv", where: str | None = None, out: Path | None = None
) -> Exported:
    """Write `table` (filtered by `where`) to `out`, default `<data dir>/exports/<table>.<format>`."""
    if file_format not in FORMATS:
        raise ExportError(f"unknown format {file_format!r}: use one of {', '.join(FORMATS)}")
    if where is not None and ";" in where:
        raise ExportError("--where is one SQL condition over the mart's columns, without ';'")
    target = out or paths.data_dir / "exports" / f"{table}.{file_format}"
    with open_serving(paths, requires=[table], error=ExportError) as con:
        query = f"select * from {quote_ident(table)}" + (f" where ({where})" if where else "")
        try:
            rows = con.execute(f"select count(*) from ({query})").fetchone()[0]
        except duckdb.Error as error:
            first_line = str(error).splitlines()[0]
            raise ExportError(f"--where {where!r} does not work on {table}: {first_line}") from error
        target.parent.mkdir(parents=True, exist_ok=True)
        con.execute(f"copy ({query}) to {quote_literal(str(target))} {FORMATS[file_format]}")
    return Exported(table, rows, target)
