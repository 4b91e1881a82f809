"""Every model ported to Spark (issue 13), SQL and Python, gives DuckDB's rows on the tiny tier and passes
its data tests on Spark, as do the seeds' own tests; the marts published from Spark are the serving layout
DuckDB's publish writes, with the same rows. The shared `tiny_run` is the DuckDB side
(tests_py/engines/spark_parity.py: how).

Marked `spark` (minutes): `make test-spark` runs it, `make test` runs the smaller test_spark_smoke.py.
"""

from __future__ import annotations

import json

import pytest
from spark_parity import (
    BUILT_MODELS,
    EMPTY_ON_TINY,
    EVERYTHING,
    SNAPSHOT_BUILD_TIME_COLUMNS,
    SNAPSHOTS,
    SparkSide,
    assert_same_relations,
    assert_same_rows,
    assert_same_serving_layout,
    run_spark,
)

from account_health.paths import PROJECT_DIR, Paths

pytestmark = pytest.mark.spark

#: What publish serves: every model of the marts schema (the SQL marts and the Python ones).
PUBLISHED_MARTS = sorted(
    path.stem
    for folder in ("models/marts", "python_models/marts")
    for path in (PROJECT_DIR / folder).rglob("*")
    if path.suffix in (".sql", ".py")
)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """The data folder the Spark build publishes to (tiny_run's serving/ is DuckDB's publish)."""
    return Paths(tmp_path_factory.mktemp("spark-published") / "data")


@pytest.fixture(scope="module")
def spark_side(tiny_run, published: Paths, tmp_path_factory: pytest.TempPathFactory) -> SparkSide:
    work = tmp_path_factory.mktemp("spark")
    return run_spark(tiny_run.paths.data_dir, work, EVERYTHING, publish_to=published.data_dir)


def test_the_spark_build_passes_its_data_tests(spark_side: SparkSide):
    print(f"spark side: {spark_side.seconds:.0f}s, of which dbt {spark_side.summary['elapsed']:.0f}s")
    assert spark_side.summary["problems"] == []
    assert spark_side.summary["success"] is True


def test_every_model_and_snapshot_was_built_on_spark(spark_side: SparkSide):
    assert sorted(name for _schema, name in spark_side.summary["models"]) == sorted(BUILT_MODELS + SNAPSHOTS)


@pytest.mark.parametrize(
    "model",
    BUILT_MODELS,
)
def test_spark_gives_duckdbs_rows(spark_side: SparkSide, tiny_run, model: str):
    rows = assert_same_rows(tiny_run.paths.warehouse_path, spark_side, model)
    assert (rows > 0) != (model in EMPTY_ON_TINY), f"{model}: {rows} rows on the tiny tier"
    print(f"{model}: {rows} rows equal")


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_a_first_snapshot_on_spark_has_duckdbs_rows(spark_side: SparkSide, tiny_run, snapshot: str):
    rows = assert_same_rows(
        tiny_run.paths.warehouse_path, spark_side, snapshot, exclude=SNAPSHOT_BUILD_TIME_COLUMNS
    )
    assert rows > 0


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


def test_publish_from_spark_writes_duckdbs_serving_layout(spark_side: SparkSide, tiny_run, published: Paths):
    assert published.serving_path.exists(), spark_side.stderr[-4000:]
    rows = assert_same_serving_layout(tiny_run.paths, published)
    assert spark_side.summary["published"]["tables"] == rows
    assert sorted(rows) == PUBLISHED_MARTS


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
