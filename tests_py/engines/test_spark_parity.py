"""Every model ported to Spark (issue 13), SQL and Python, gives DuckDB's rows on the tiny tier and passes
its data tests on Spark, as do the seeds' own tests; the marts published from Spark are the serving layout
DuckDB's publish writes, with the same rows. The shared `tiny_run` is the DuckDB side
(tests_py/engines/spark_parity.py: how).

Marked `spark` (minutes): `make test-spark` runs it, `make test` runs the smaller test_spark_smoke.py.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from spark_parity import SparkSide, assert_same_relations, assert_same_rows, run_spark

from account_health.paths import PROJECT_DIR, Paths
from account_health.publish import read_manifest

pytestmark = pytest.mark.spark

#: What is ported so far: the folders whose every model runs on Spark and gives DuckDB's rows.
PORTED_FOLDERS = (
    "models/staging",
    "models/intermediate/core",
    "models/intermediate/product",
    "models/intermediate/customer_success",
    "models/intermediate/revenue",
    "models/marts/adoption",
    "models/marts/core",
    "models/marts/experience",
    "models/marts/revenue",
    "models/intermediate/health",
    "models/marts/health",
    "python_models",
)
#: The rest, whose tests are left out of the Spark build (a test of an unported model may also read a
#: ported one).
NOT_PORTED_FOLDERS = (
    "models/semantic",
    "snapshots",
)
BUILT_MODELS = sorted(
    path.stem
    for folder in PORTED_FOLDERS
    for path in (PROJECT_DIR / folder).rglob("*")
    if path.suffix in (".sql", ".py")
)
#: Models the tiny tier leaves empty: compared as empty on both sides. It provides no churn events, and its
#: usage is per user (the per-account usage model is for a warehouse without users).
#: What publish serves: every model of the marts schema (the SQL marts and the Python ones).
PUBLISHED_MARTS = sorted(
    path.stem
    for folder in ("models/marts", "python_models/marts")
    for path in (PROJECT_DIR / folder).rglob("*")
    if path.suffix in (".sql", ".py")
)
EMPTY_ON_TINY = {"stg_crm__churn_events", "int_account_usage_windowed_to_account_day"}


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """The data folder the Spark build publishes to (tiny_run's serving/ is DuckDB's publish)."""
    return Paths(tmp_path_factory.mktemp("spark-published") / "data")


@pytest.fixture(scope="module")
def spark_side(tiny_run, published: Paths, tmp_path_factory: pytest.TempPathFactory) -> SparkSide:
    select = " ".join(f"path:{folder}" for folder in PORTED_FOLDERS)
    exclude = " ".join(f"path:{folder}+,resource_type:test" for folder in NOT_PORTED_FOLDERS)
    work = tmp_path_factory.mktemp("spark")
    return run_spark(tiny_run.paths.data_dir, work, select, exclude=exclude, publish_to=published.data_dir)


def test_the_folders_cover_every_model():
    def models_under(folders: tuple[str, ...]) -> set[Path]:
        return {
            path
            for folder in folders
            for path in (PROJECT_DIR / folder).rglob("*")
            if path.suffix in (".sql", ".py")
        }

    every_model = models_under(("models", "python_models", "snapshots"))
    groups = [models_under(PORTED_FOLDERS), models_under(NOT_PORTED_FOLDERS)]
    assert set().union(*groups) == every_model
    assert sum(len(group) for group in groups) == len(every_model)


def test_the_spark_build_passes_its_data_tests(spark_side: SparkSide):
    print(f"spark side: {spark_side.seconds:.0f}s, of which dbt {spark_side.summary['elapsed']:.0f}s")
    assert spark_side.summary["problems"] == []
    assert spark_side.summary["success"] is True


def test_every_ported_model_was_built_on_spark(spark_side: SparkSide):
    assert sorted(name for _schema, name in spark_side.summary["models"]) == BUILT_MODELS


@pytest.mark.parametrize(
    "model",
    BUILT_MODELS,
)
def test_spark_gives_duckdbs_rows(spark_side: SparkSide, tiny_run, model: str):
    rows = assert_same_rows(tiny_run.paths.warehouse_path, spark_side, model)
    assert (rows > 0) != (model in EMPTY_ON_TINY), f"{model}: {rows} rows on the tiny tier"
    print(f"{model}: {rows} rows equal")


def test_the_seeds_own_tests_pass_on_spark(spark_side: SparkSide, tiny_run):
    """Every test that reads only seeds (their YAML's and the singular ones of tests/scorecard) ran on Spark
    and passed: the same tests DuckDB's build has (its manifest)."""
    manifest = json.loads((tiny_run.paths.data_dir / "dbt" / "target" / "manifest.json").read_text())
    duckdb_seed_tests = sorted(
        node["name"]
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test"
        and node["depends_on"]["nodes"]
        and all(parent.startswith("seed.") for parent in node["depends_on"]["nodes"])
    )
    seed_tests = [test for test in spark_side.summary["tests"] if test["only_seeds"]]
    assert sorted(test["name"] for test in seed_tests) == duckdb_seed_tests
    assert [test for test in seed_tests if test["status"] != "pass"] == []


def _serving_tables(serving: Path) -> dict[str, list[tuple[str, str, str]]]:
    """Each table of a serving file: its columns as (name, type, nullable), and its primary key."""
    with duckdb.connect(str(serving), read_only=True) as con:
        columns = con.execute(
            "select table_name, column_name, data_type, is_nullable from duckdb_columns() "
            "where database_name = current_database() order by table_name, column_index"
        ).fetchall()
        keys = con.execute(
            "select table_name, constraint_column_names from duckdb_constraints() "
            "where database_name = current_database() and constraint_type = 'PRIMARY KEY'"
        ).fetchall()
    tables: dict[str, list[tuple[str, str, str]]] = {}
    for table, name, type_, nullable in columns:
        tables.setdefault(table, []).append((name, type_, str(nullable)))
    for table, key in keys:
        tables[table].append(("primary key", ", ".join(key), ""))
    return tables


def test_publish_from_spark_writes_duckdbs_serving_layout(spark_side: SparkSide, tiny_run, published: Paths):
    duck_manifest = read_manifest(tiny_run.paths.serving_dir / "manifest.json")
    spark_manifest = read_manifest(published.serving_dir / "manifest.json")
    assert spark_manifest is not None, spark_side.stderr[-4000:]
    duck_rows = {name: table["rows"] for name, table in duck_manifest["tables"].items()}
    assert {name: table["rows"] for name, table in spark_manifest["tables"].items()} == duck_rows
    assert spark_side.summary["published"]["tables"] == duck_rows
    # the same files in the same place: one Parquet file per mart beside the serving DuckDB file
    assert sorted(path.name for path in published.serving_parquet_dir.iterdir()) == sorted(
        path.name for path in tiny_run.paths.serving_parquet_dir.iterdir()
    )
    # the serving file: every table's columns, types, NOT NULL and primary key as DuckDB's publish wrote
    assert _serving_tables(published.serving_path) == _serving_tables(tiny_run.paths.serving_path)


@pytest.mark.parametrize("mart", PUBLISHED_MARTS)
def test_the_marts_published_from_spark_have_duckdbs_rows(
    spark_side: SparkSide, tiny_run, published: Paths, mart
):
    rows = assert_same_relations(
        tiny_run.paths.serving_path,
        f"main.{mart}",
        published.serving_parquet_dir / f"{mart}.parquet",
        mart,
    )
    assert rows > 0
