"""Where publish copies the marts from: the DuckDB build warehouse, or Parquet another engine wrote.

Publish itself (publish/core.py: write, audit, swap) does not care which engine built the marts. It asks a
source for the marts' names, each one's CREATE TABLE for the serving file (types, NOT NULL, primary key)
and a relation to copy rows from:

- `WarehouseMarts`: schema `marts` of the DuckDB warehouse, attached read-only; types and constraints as
  dbt-duckdb built them (contracts enforced).
- `ParquetMarts`: one folder of Parquet files per mart (`<folder>/<mart>/*.parquet`), as the Spark target
  writes them (account_health.engines.spark); types from the files, NOT NULL and primary keys from the
  marts' contracts in dbt's manifest, since Parquet carries neither.

Either way the serving layout is the same: `serving/account_health.duckdb` and one Parquet file per mart.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import duckdb

from account_health.sql import quote_ident, quote_literal

MARTS_SCHEMA = "marts"
WAREHOUSE_ALIAS = "wh"


class MartsSource(Protocol):
    def attach(self, con: duckdb.DuckDBPyConnection) -> None: ...
    def detach(self, con: duckdb.DuckDBPyConnection) -> None: ...
    def tables(self, con: duckdb.DuckDBPyConnection) -> list[str]: ...
    def ddl(self, con: duckdb.DuckDBPyConnection, table: str) -> str: ...
    def relation(self, table: str) -> str: ...


def create_table_sql(
    table: str, columns: list[tuple[str, str, bool]], primary_key: tuple[str, ...] = ()
) -> str:
    """CREATE TABLE in the serving file's default schema; columns are (name, type, nullable)."""
    parts = [
        f"{quote_ident(name)} {type_}{'' if nullable else ' not null'}" for name, type_, nullable in columns
    ]
    if primary_key:
        parts.append("primary key (" + ", ".join(quote_ident(column) for column in primary_key) + ")")
    return f"create table main.{quote_ident(table)} (\n    " + ",\n    ".join(parts) + "\n)"


@dataclass(frozen=True)
class WarehouseMarts:
    """Schema `marts` of the DuckDB build warehouse."""

    warehouse: Path

    def attach(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"attach {quote_literal(str(self.warehouse))} as {WAREHOUSE_ALIAS} (read_only)")

    def detach(self, con: duckdb.DuckDBPyConnection) -> None:
        con.execute(f"detach {WAREHOUSE_ALIAS}")

    def tables(self, con: duckdb.DuckDBPyConnection) -> list[str]:
        rows = con.execute(
            "select table_name from information_schema.tables "
            "where table_catalog = ? and table_schema = ? order by table_name",
            [WAREHOUSE_ALIAS, MARTS_SCHEMA],
        ).fetchall()
        return [row[0] for row in rows]

    def ddl(self, con: duckdb.DuckDBPyConnection, table: str) -> str:
        """The warehouse's types, NOT NULL and primary key."""
        columns = con.execute(
            "select column_name, data_type, is_nullable from duckdb_columns() "
            "where database_name = ? and schema_name = ? and table_name = ? order by column_index",
            [WAREHOUSE_ALIAS, MARTS_SCHEMA, table],
        ).fetchall()
        keys = con.execute(
            "select constraint_column_names from duckdb_constraints() "
            "where database_name = ? and schema_name = ? and table_name = ? "
            "and constraint_type = 'PRIMARY KEY'",
            [WAREHOUSE_ALIAS, MARTS_SCHEMA, table],
        ).fetchall()
        return create_table_sql(table, columns, tuple(keys[0][0]) if keys else ())

    def relation(self, table: str) -> str:
        return f"{WAREHOUSE_ALIAS}.{MARTS_SCHEMA}.{quote_ident(table)}"


@dataclass(frozen=True)
class Contract:
    """What a mart's dbt contract promises beyond its types."""

    not_null: frozenset[str] = frozenset()
    primary_key: tuple[str, ...] = ()


def marts_contracts(manifest_path: Path) -> dict[str, Contract]:
    """Each mart's NOT NULL columns and primary key, from its contract in dbt's manifest.json."""
    manifest = json.loads(manifest_path.read_text())
    contracts: dict[str, Contract] = {}
    for node in manifest["nodes"].values():
        if node["resource_type"] != "model" or node["schema"] != MARTS_SCHEMA:
            continue
        not_null: set[str] = set()
        primary_key: tuple[str, ...] = ()
        for constraint in node.get("constraints", []):
            if constraint["type"] == "primary_key":
                primary_key = tuple(constraint["columns"])
        for name, column in node.get("columns", {}).items():
            types = {constraint["type"] for constraint in column.get("constraints", [])}
            if "not_null" in types or "primary_key" in types:
                not_null.add(name)
            if "primary_key" in types and not primary_key:
                primary_key = (name,)
        contracts[node["alias"] or node["name"]] = Contract(frozenset(not_null), primary_key)
    return contracts


@dataclass(frozen=True)
class ParquetMarts:
    """One folder of Parquet files per mart, with the contracts of dbt's manifest."""

    folder: Path
    contracts: dict[str, Contract] = field(default_factory=dict)

    def attach(self, con: duckdb.DuckDBPyConnection) -> None:
        return None

    def detach(self, con: duckdb.DuckDBPyConnection) -> None:
        return None

    def tables(self, con: duckdb.DuckDBPyConnection) -> list[str]:
        return sorted(path.name for path in self.folder.iterdir() if any(path.glob("*.parquet")))

    def ddl(self, con: duckdb.DuckDBPyConnection, table: str) -> str:
        """The files' types; NOT NULL and the primary key of the mart's contract (none when it has none)."""
        contract = self.contracts.get(table, Contract())
        described = con.execute(f"describe select * from {self.relation(table)}").fetchall()
        columns = [(name, type_, name not in contract.not_null) for name, type_, *_ in described]
        return create_table_sql(table, columns, contract.primary_key)

    def relation(self, table: str) -> str:
        return f"read_parquet({quote_literal(str(self.folder / table / '*.parquet'))})"
