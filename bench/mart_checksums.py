"""Row count and order-independent checksum of every published mart, to show a refactor changed no data.

Reads the serving database of a data dir (`<data dir>/serving/account_health.duckdb`, tables in `main`) or
any DuckDB file with `--schema marts` for a warehouse. The checksum is publish's own `table_checksum`
(sum of row hashes, doubles rounded to FLOAT_DECIMALS, column names and types hashed in). With
`--columns`, one hash per column as well, so a difference can be traced to the column that moved.

Usage:
    python -m bench.mart_checksums <data dir or .duckdb file> [--schema main] [--columns] > before.txt
    python -m bench.mart_checksums --compare before.txt after.txt
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import duckdb

from account_health.publish.core import FLOAT_DECIMALS, table_checksum
from account_health.sql import schema_tables


def _quote(identifier: str) -> str:
    return '"' + identifier.replace('"', '""') + '"'


def _database(path: Path) -> Path:
    if path.is_dir():
        return path / "serving" / "account_health.duckdb"
    return path


def checksums(database: Path, schema: str, columns: bool) -> list[str]:
    """One line per table (`table rows checksum`), then per column (`table.column - hash`) if asked."""
    lines: list[str] = []
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = schema_tables(con, schema)
        for table in tables:
            relation = f"{_quote(schema)}.{_quote(table)}"
            snapshot = table_checksum(con, relation)
            lines.append(f"{table} {snapshot.rows} {snapshot.checksum}")
            if not columns:
                continue
            for name, type_, *_ in con.execute(f"describe select * from {relation}").fetchall():
                value = _quote(name)
                if type_ in ("DOUBLE", "FLOAT"):
                    value = f"round({value}, {FLOAT_DECIMALS})"
                (column_hash,) = con.execute(
                    f"select coalesce(sum(hash({value})::hugeint), 0)::varchar from {relation}"
                ).fetchone()
                lines.append(f"{table}.{name} {type_} {column_hash}")
    finally:
        con.close()
    return lines


def compare(before: Path, after: Path) -> int:
    """Print the lines that differ; exit 0 when the two outputs are identical."""
    old = before.read_text().splitlines()
    new = after.read_text().splitlines()
    only_old = [line for line in old if line not in set(new)]
    only_new = [line for line in new if line not in set(old)]
    for line in only_old:
        print(f"- {line}")
    for line in only_new:
        print(f"+ {line}")
    print("identical" if not only_old and not only_new else "DIFFERENT")
    return 0 if not only_old and not only_new else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--schema", default="main")
    parser.add_argument("--columns", action="store_true")
    parser.add_argument("--compare", action="store_true")
    args = parser.parse_args(argv)
    if args.compare:
        return compare(*args.paths[:2])
    for line in checksums(_database(args.paths[0]), args.schema, args.columns):
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
