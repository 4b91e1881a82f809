"""Any subset of sources builds, and a source never provided makes its components missing, never 0.

Every raw table is removed on its own, on the session's tiny run (tests_py/conftest.py): the case copies
that fully built warehouse, empties the table and its landing records (as if no file had ever landed) and
rebuilds with dbt only the models downstream of the table, up to the scorecard's measures
(`source:<table>+,+int_health_measures_sourced`, incremental models from scratch). Then:
- every component that needs the table (seed component_sources) is missing on every row;
- every component that does not list it has exactly the values of the full build (so the seed does not
  forget a dependency: a forgotten one would change, or turn 0, here);
- the table is listed as not provided, the others as provided.
The two minimal sets publish for real from files in test_minimal_sources_publish.py.
"""

from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pytest
from _component_sources import read_component_sources

from account_health.build import invoke
from account_health.contract import GENERATED_TABLES
from account_health.provided import DBT_SOURCES, sources_provided

AS_OF_TEXT = "2026-10-31"
#: The fifteen tables the generator writes (churn_events is company-only and never generated).
GENERATED = list(GENERATED_TABLES)


def _remove(warehouse, table: str) -> None:
    with duckdb.connect(str(warehouse)) as con:
        con.execute(f"delete from raw.{table}")
        con.execute("delete from raw._loads where table_name = ?", [table])


@pytest.mark.parametrize("table", GENERATED)
def test_a_table_never_provided_makes_its_components_missing_and_nothing_else_changes(
    table: str, baseline, case_paths
):
    case_paths.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(baseline.warehouse, case_paths.warehouse_path)
    _remove(case_paths.warehouse_path, table)

    provided = sources_provided(case_paths.warehouse_path)
    assert table in provided.not_provided
    assert set(provided.provided) >= set(GENERATED) - {table}

    selector = f"source:{DBT_SOURCES[table]}.{table}+,+int_health_measures_sourced"
    step = invoke(
        case_paths, ["run", "--select", selector, "--full-refresh"], as_of=date.fromisoformat(AS_OF_TEXT)
    )
    assert step.success, step.problems

    sources = read_component_sources()
    missing = sources.missing_without({table})
    untouched = sources.untouched_by({table})
    with duckdb.connect(str(case_paths.warehouse_path), read_only=True) as con:
        rows = con.execute("select count(*) from intermediate.int_health_measures_sourced").fetchone()[0]
        if table == "accounts":
            # no accounts: nothing to score (the spine is empty), and no error
            assert rows == 0
            return
        assert rows > 0
        measured = dict(
            con.execute(
                "select component_id, count(raw_value) from intermediate.int_health_measures_sourced "
                "group by component_id"
            ).fetchall()
        )
        assert {component for component in missing if measured.get(component, 0) > 0} == set()
        changed = con.execute(
            f"""
            select distinct case_rows.component_id
            from intermediate.int_health_measures_sourced as case_rows
            inner join read_parquet('{baseline.measures}') as base_rows
                on case_rows.account_id = base_rows.account_id
                and case_rows.score_date = base_rows.score_date
                and case_rows.component_id = base_rows.component_id
            where round(case_rows.raw_value, 9) is distinct from round(base_rows.raw_value, 9)
            """
        ).fetchall()
        provided_rows = dict(
            con.execute("select table_name, is_provided from intermediate.int_raw_tables_provided").fetchall()
        )
    assert {component for (component,) in changed} & untouched == set()
    assert provided_rows[table] is False
    assert all(provided_rows[name] for name in GENERATED if name != table)
