"""The raw contract (contract.py) and the dbt sources YAML describe the same tables: neither may drift.

contract.py is what landing enforces; `models/staging/<source>/_<source>__sources.yml` is what dbt reads
(and documents). A table or column added, removed, renamed or retyped on one side only fails here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from account_health.contract import LINEAGE_COLUMNS, TABLES
from account_health.paths import PROJECT_DIR
from account_health.provided import DBT_SOURCES

STAGING = PROJECT_DIR / "models" / "staging"
#: Sources that are not company data: what landing records about itself (raw._loads).
NOT_CONTRACT = {"landing"}


def _sources() -> dict[str, tuple[str, dict[str, Any], dict[str, Any]]]:
    """Raw table name -> (dbt source name, the source's YAML, the table's YAML), over every sources file."""
    found: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {}
    for path in sorted(STAGING.rglob("_*__sources.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for source in document.get("sources") or []:
            if source["name"] in NOT_CONTRACT:
                continue
            for table in source.get("tables") or []:
                name = table.get("identifier") or table["name"]
                assert name not in found, (
                    f"{name} is declared in two sources ({path.relative_to(PROJECT_DIR)})"
                )
                found[name] = (source["name"], source, table)
    return found


SOURCES = _sources()


def test_the_same_tables_on_both_sides():
    assert sorted(SOURCES) == sorted(TABLES)


def test_every_table_is_in_the_source_landing_and_freshness_expect():
    assert {name: source for name, (source, _, _) in SOURCES.items()} == DBT_SOURCES


@pytest.mark.parametrize("name", sorted(TABLES))
def test_the_same_columns_in_the_same_order(name: str):
    _, _, table = SOURCES[name]
    declared = [column["name"] for column in table.get("columns") or []]
    assert declared == [*TABLES[name].column_names, *LINEAGE_COLUMNS]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_types_agree_where_the_yaml_gives_one(name: str):
    _, _, table = SOURCES[name]
    contract_types = {column.name: column.type for column in TABLES[name].columns} | LINEAGE_COLUMNS
    for column in table.get("columns") or []:
        data_type = column.get("data_type")
        if data_type is not None:
            assert str(data_type).lower() == contract_types[column["name"]].lower(), column["name"]


@pytest.mark.parametrize("name", sorted(TABLES))
def test_schema_loaded_at_field_and_grain_agree(name: str):
    _, source, table = SOURCES[name]
    contract_table = TABLES[name]
    assert (table.get("schema") or source.get("schema")) == "raw"
    config = {**(source.get("config") or {}), **(table.get("config") or {})}
    assert config.get("loaded_at_field") == contract_table.loaded_at_field
    assert str(table.get("description", "")).startswith(contract_table.grain)


def test_the_check_reads_the_real_files():
    """Guards the test itself: a moved sources folder must not make every comparison vacuous."""
    assert len(list(Path(STAGING).rglob("_*__sources.yml"))) >= 6
