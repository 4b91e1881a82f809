"""What the gates ask the warehouse's catalog: does a table exist, which columns does it have."""

from __future__ import annotations

import duckdb


def table_exists(con: duckdb.DuckDBPyConnection, schema: str, table: str, catalog: str | None = None) -> bool:
    catalog_sql = "table_catalog = ?" if catalog else "table_catalog = current_database()"
    params = [catalog] if catalog else []
    return bool(
        con.execute(
            f"select count(*) from information_schema.tables where {catalog_sql} "
            "and table_schema = ? and table_name = ?",
            [*params, schema, table],
        ).fetchone()[0]
    )


def table_columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe select * from {relation}").fetchall()]
