"""Quoting for the SQL we build as text: every dynamic identifier or literal in the package goes through here.

Data values go in as query parameters; these are for what parameters cannot carry in DuckDB: table and
column names (which can come from a company's own files), and literals inside generated DDL, `attach`,
`copy` and `case` expressions built from our own contract and configuration.
"""

from __future__ import annotations

from typing import Any


def quote_ident(name: str) -> str:
    """A DuckDB identifier for any string, including quotes, semicolons and SQL (double the quotes)."""
    return '"' + name.replace('"', '""') + '"'


def quote_literal(value: object) -> str:
    """A SQL string literal of `str(value)`; for values from our own contract, configuration and paths."""
    return "'" + str(value).replace("'", "''") + "'"


def relation(*parts: str) -> str:
    """A qualified name (`"schema"."table"`, `"catalog"."schema"."table"`), each part quoted."""
    return ".".join(quote_ident(part) for part in parts)


def schema_tables(con: Any, schema: str) -> list[str]:
    """The tables of `schema` in the connection's own database (not attached ones), by name."""
    return [
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() "
            "where database_name = current_database() and schema_name = ? order by table_name",
            [schema],
        ).fetchall()
    ]
