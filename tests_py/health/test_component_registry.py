"""The component registry (seeds/scorecard/health_components.csv) and the contract of the mart agree.

fct_account_health_daily pivots one `<component>_raw` and one `<component>_score` column per registry
row (macro health_component_ids); its contract must list exactly those, no more and no fewer, or the
build fails on a contract mismatch (a component added to the seed only) or publishes a column that is
always null (a component removed from the seed only). The dbt side of the registry, every seeded
component measured by its source model and back, is tests/scorecard/.
"""

from __future__ import annotations

import csv

import yaml

from account_health.paths import PROJECT_DIR

REGISTRY = PROJECT_DIR / "seeds" / "scorecard" / "health_components.csv"
MART_YAML = PROJECT_DIR / "models" / "marts" / "health" / "_health__models.yml"
SUFFIXES = ("_raw", "_score")


def _registry() -> set[str]:
    with REGISTRY.open(newline="") as handle:
        return {row["component_id"] for row in csv.DictReader(handle)}


def _contract_columns(model: str) -> list[str]:
    models = yaml.safe_load(MART_YAML.read_text())["models"]
    (found,) = [entry for entry in models if entry["name"] == model]
    assert found["config"]["contract"]["enforced"]
    return [column["name"] for column in found["columns"]]


def test_daily_mart_contract_has_two_columns_per_registry_component() -> None:
    registry = _registry()
    columns = _contract_columns("fct_account_health_daily")
    expected = {component + suffix for component in registry for suffix in SUFFIXES}
    missing = sorted(expected - set(columns))
    assert not missing, f"registry components without contract columns: {missing}"
    # the other way: a `<x>_raw` column names a component; `<x>_score` may be a pillar or DEAR score
    orphans = sorted(
        name for name in columns if name.endswith("_raw") and name.removesuffix("_raw") not in registry
    )
    assert not orphans, f"contract columns of components the registry does not know: {orphans}"
    scored = {name.removesuffix("_score") for name in columns if name.endswith("_score")}
    component_like = {name for name in scored if name + "_raw" in columns}
    assert component_like == registry


def test_every_registry_component_names_a_measure_model() -> None:
    with REGISTRY.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    models = {path.stem for path in (PROJECT_DIR / "models").rglob("int_*.sql")}
    unknown = sorted({row["source_model"] for row in rows} - models)
    assert not unknown, f"health_components.source_model names no model: {unknown}"
