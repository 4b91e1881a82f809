"""Which raw tables a company provided: the same rule as the dbt model `int_raw_tables_provided`.

Landing creates every contract table, the empty ones too, so an empty table alone does not mean "not
provided". A table is provided when a file for it was landed (a `loaded` row in `raw._loads`, even for a
file with no data rows) or when it holds rows (loaded some other way). Freshness is checked only for
provided tables; the others are reported as "not provided", never as stale.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb

from account_health.contract import TABLES
from account_health.sql import quote_ident

#: The dbt source each raw table is declared in (models/staging/<source>/_<source>__sources.yml).
DBT_SOURCES: dict[str, str] = {
    "accounts": "crm",
    "contacts": "crm",
    "opportunities": "crm",
    "referrals": "crm",
    "wallet_estimates": "crm",
    "churn_events": "crm",
    "subscriptions": "licensing",
    "users": "product",
    "usage_events": "product",
    "integrations": "product",
    "downtime_incidents": "product",
    "support_cases": "support",
    "survey_responses": "surveys",
    "csm_assessments": "cs",
    "csm_activities": "cs",
    "success_goals": "cs",
}


#: Optional columns some measures depend on, reported like a table (`table.column`) when never filled.
OPTIONAL_COLUMNS: tuple[tuple[str, str], ...] = (("usage_events", "user_id"),)


@dataclass(frozen=True)
class SourcesProvided:
    provided: tuple[str, ...]
    not_provided: tuple[str, ...]
    #: Provided, but every file landed so far had no data rows: no `_loaded_at` to check freshness on.
    empty: tuple[str, ...] = ()
    #: Files of a landing stopped before its commit, whose rows are still in raw (`land.inflight`).
    interrupted: tuple[str, ...] = ()

    def freshness_selectors(self) -> list[str]:
        """dbt `--select` arguments covering the provided tables that hold rows (not `table.column`)."""
        return [
            f"source:{DBT_SOURCES[name]}.{name}"
            for name in self.provided
            if name in DBT_SOURCES and name not in self.empty
        ]


def sources_provided(warehouse_path: Path) -> SourcesProvided:
    """Provided and not provided contract tables, in contract order; all not provided without a warehouse."""
    if not warehouse_path.exists():
        return SourcesProvided(provided=(), not_provided=tuple(TABLES))
    with duckdb.connect(str(warehouse_path), read_only=True) as con:
        existing = {
            name
            for (name,) in con.execute(
                "select table_name from information_schema.tables where table_schema = 'raw'"
            ).fetchall()
        }
        loaded: set[str] = set()
        interrupted: tuple[str, ...] = ()
        if "_loads" in existing:
            loaded = {
                name
                for (name,) in con.execute(
                    "select distinct table_name from raw._loads where status = 'loaded'"
                ).fetchall()
            }
            interrupted = tuple(
                f"raw.{table}: uncommitted rows of {source_file} (a landing stopped before its commit)"
                for table, source_file in con.execute(
                    "select table_name, source_file from raw._loads where status = 'landing' order by all"
                ).fetchall()
            )
        provided = []
        empty = []
        for name in TABLES:
            has_rows = (
                name in existing
                and con.execute(f"select count(*) > 0 from raw.{quote_ident(name)}").fetchone()[0]
            )
            if name in loaded or has_rows:
                provided.append(name)
            if name in loaded and not has_rows:
                empty.append(name)
        columns = []
        for table, column in OPTIONAL_COLUMNS:
            if table in provided:
                filled = con.execute(
                    f"select count({quote_ident(column)}) > 0 from raw.{quote_ident(table)}"
                ).fetchone()[0]
                columns.append((f"{table}.{column}", bool(filled)))
    return SourcesProvided(
        provided=tuple(provided) + tuple(name for name, filled in columns if filled),
        not_provided=tuple(name for name in TABLES if name not in provided)
        + tuple(name for name, filled in columns if not filled),
        empty=tuple(empty),
        interrupted=interrupted,
    )
