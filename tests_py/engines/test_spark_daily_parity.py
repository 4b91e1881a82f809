"""A daily build on Spark (issue 13): the whole project built on Spark as of EARLIER, then brought up to the
tiny tier's as-of date by an incremental run (the incremental models' delete+insert on Parquet,
macros/cross_engine/incremental.sql), holds the rows of DuckDB's whole build as of that date (the shared
`tiny_run`) in every model; the incremental run computed only its new days and its data tests read only
the rows it wrote; the snapshot's second run closed the rows that changed (the Spark snapshot's rewrite).

Marked `spark` (minutes): `make test-spark`.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb
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
    run_spark,
)

from account_health.sql import quote_literal

pytestmark = pytest.mark.spark

#: The first build's as-of date: a month and a month-end before tiny_run's (2026-10-31).
EARLIER = "2026-09-30"


@pytest.fixture(scope="module")
def spark_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("spark-daily") / "spark"


@pytest.fixture(scope="module")
def daily_run(tiny_run, spark_dir: Path) -> SparkSide:
    """A whole build as of EARLIER (models and the snapshot, no data or unit tests, nothing dumped), then an
    incremental `dbt build` of the same selection as of tiny_run's date in the same Spark folder, dumped."""
    first = run_spark(
        tiny_run.paths.data_dir, spark_dir.parent / "first", EVERYTHING, as_of=EARLIER, spark_dir=spark_dir,
        exclude="resource_type:test resource_type:unit_test", dump=False,
    )  # fmt: skip
    assert first.summary["success"] is True, first.summary["problems"]
    daily = spark_dir.parent / "daily"
    return run_spark(tiny_run.paths.data_dir, daily, EVERYTHING, seed=False, spark_dir=spark_dir)


@pytest.fixture(scope="module")
def manifest(daily_run: SparkSide, spark_dir: Path) -> dict[str, Any]:
    return json.loads((spark_dir / "dbt" / "target" / "manifest.json").read_text())


def _incremental_models(manifest: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        node["unique_id"]: node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"]["materialized"] == "incremental"
    }


def _compiled(spark_dir: Path, node: dict[str, Any]) -> str:
    """The SQL dbt compiled for a node in the last run: target/compiled/<package>/<file>, and for a test
    defined in a YAML file, <that file>/<the test's own file name>."""
    path = spark_dir / "dbt" / "target" / "compiled" / node["package_name"] / node["original_file_path"]
    return (path / node["path"] if path.suffix == ".yml" else path).read_text()


def test_the_daily_spark_build_passes_its_data_tests(daily_run: SparkSide):
    print(f"daily run: {daily_run.seconds:.0f}s, of which dbt {daily_run.summary['elapsed']:.0f}s")
    assert daily_run.summary["problems"] == []
    assert daily_run.summary["success"] is True


def test_the_incremental_models_computed_only_their_new_rows(daily_run: SparkSide, manifest, spark_dir: Path):
    """Each incremental model's SQL in the daily run is its incremental branch: it reads the rows it already
    holds (`{{ this }}`) to find where to start, which a whole build never does."""
    models = _incremental_models(manifest)
    assert len(models) >= 20
    full_builds = [
        node["name"]
        for node in models.values()
        if f"{node['schema']}.{node['alias']}" not in _compiled(spark_dir, node)
    ]
    assert full_builds == []


def test_the_daily_tests_of_account_day_models_read_only_the_new_rows(
    daily_run: SparkSide, manifest, spark_dir: Path
):
    """macros/new_rows_tested.sql on Spark: the pre-hook recorded each account's last day before the run
    (build_state.<model>), and every generic test of an account-day incremental model read the rows after
    it."""
    account_day = {
        unique_id: node
        for unique_id, node in _incremental_models(manifest).items()
        if {"account_id", "score_date"} <= set(node["config"]["unique_key"])
    }
    assert len(account_day) >= 10
    tests = [
        node
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and node.get("attached_node") in account_day
    ]
    assert tests
    unfiltered = [
        test["name"]
        for test in tests
        if f"build_state.{account_day[test['attached_node']]['alias']}" not in _compiled(spark_dir, test)
    ]
    assert unfiltered == []


@pytest.mark.parametrize("model", BUILT_MODELS)
def test_after_a_daily_run_spark_gives_duckdbs_rows(daily_run: SparkSide, tiny_run, model: str):
    rows = assert_same_rows(tiny_run.paths.warehouse_path, daily_run, model)
    assert (rows > 0) != (model in EMPTY_ON_TINY), f"{model}: {rows} rows on the tiny tier"


@pytest.mark.parametrize("snapshot", SNAPSHOTS)
def test_the_second_snapshot_closes_the_changed_rows(daily_run: SparkSide, tiny_run, snapshot: str):
    """After the second run the snapshot's current rows are DuckDB's first snapshot as of the later date, and
    its closed rows are the accounts whose band or score changed since EARLIER: their state on that date
    (DuckDB's scored history, point in time), closed at the second run."""
    files = quote_literal(daily_run.dump_dir / f"snapshots.{snapshot}" / "*.parquet")
    current = f"(select * from read_parquet({files}) where dbt_valid_to is null)"
    duck = duckdb.connect(str(tiny_run.paths.warehouse_path), read_only=True)
    try:
        closed = duck.execute(
            f"select account_id, health_band, health_score from read_parquet({files}) "
            "where dbt_valid_to is not null order by account_id"
        ).fetchall()
        expected = duck.execute(
            f"""
            with earlier as (
                select account_id, health_band, health_score
                from intermediate.int_account_health_scored
                where score_date <= date '{EARLIER}'
                qualify row_number() over (partition by account_id order by score_date desc) = 1
            )
            select earlier.*
            from earlier
            inner join snapshots.{snapshot} as later using (account_id)
            where
                earlier.health_band is distinct from later.health_band
                or earlier.health_score is distinct from later.health_score
            order by account_id
            """
        ).fetchall()
    finally:
        duck.close()
    assert len(closed) > 0
    assert closed == expected
    # the current rows: DuckDB's snapshot (one build as of the later date), row for row
    current_dump = daily_run.dump_dir.parent / "current"
    current_dump.mkdir(exist_ok=True)
    duckdb.sql(f"copy {current} to {quote_literal(current_dump / 'current.parquet')} (format parquet)")
    rows = assert_same_relations(
        tiny_run.paths.warehouse_path,
        f"snapshots.{snapshot}",
        current_dump / "*.parquet",
        snapshot,
        exclude=SNAPSHOT_BUILD_TIME_COLUMNS,
    )
    assert rows > 0
