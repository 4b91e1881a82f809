"""The demo tier (300 accounts, 24 months) built on Spark publishes DuckDB's marts (issue 13).

Both sides from the same generated and landed data: the whole DuckDB pipeline (generate, land, build,
validate, publish), then `python -m account_health.engines.spark` on that data folder (every model, the
snapshot, the seeds' tests) publishing into a folder of its own. The published marts must be equal: the
same serving layout, types and keys, and every row (doubles within 1e-9 relative). Each side's seconds are
printed (`-s`).

Marked `spark_demo` (tens of minutes on 2 cores): `make test-spark-demo` only.
"""

from __future__ import annotations

import time
from datetime import date

import pytest
from spark_parity import (
    EVERYTHING,
    SparkSide,
    assert_same_relations,
    assert_same_serving_layout,
    run_spark,
)

from account_health.paths import Paths
from account_health.pipeline import RunSummary, run

pytestmark = pytest.mark.spark_demo

DEMO_AS_OF = date(2026, 10, 31)


@pytest.fixture(scope="module")
def duckdb_side(tmp_path_factory: pytest.TempPathFactory) -> tuple[Paths, RunSummary]:
    paths = Paths(tmp_path_factory.mktemp("demo-duckdb") / "data")
    started = time.perf_counter()
    summary = run(paths, DEMO_AS_OF, generate_scale="demo", seed=42)
    timings = ", ".join(f"{step} {seconds:.0f}s" for step, seconds in summary.timings.items())
    print(f"duckdb side: {time.perf_counter() - started:.0f}s ({timings})")
    return paths, summary


@pytest.fixture(scope="module")
def spark_published(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    return Paths(tmp_path_factory.mktemp("demo-spark-published") / "data")


@pytest.fixture(scope="module")
def spark_side(duckdb_side, spark_published: Paths, tmp_path_factory: pytest.TempPathFactory) -> SparkSide:
    paths, _summary = duckdb_side
    work = tmp_path_factory.mktemp("demo-spark")
    side = run_spark(
        paths.data_dir,
        work,
        EVERYTHING,
        publish_to=spark_published.data_dir,
        as_of=DEMO_AS_OF.isoformat(),
    )
    print(f"spark side: {side.seconds:.0f}s, of which dbt {side.summary['elapsed']:.0f}s")
    return side


def test_the_demo_tier_builds_and_publishes_on_spark(spark_side: SparkSide):
    assert spark_side.summary["problems"] == []
    assert spark_side.summary["success"] is True
    assert spark_side.summary["published"] is not None


def test_the_demo_marts_published_from_spark_equal_duckdbs(
    spark_side: SparkSide, duckdb_side, spark_published: Paths
):
    paths, _summary = duckdb_side
    rows = assert_same_serving_layout(paths, spark_published)
    for mart in sorted(rows):
        compared = assert_same_relations(
            paths.serving_path, f"main.{mart}", spark_published.serving_parquet_dir / f"{mart}.parquet", mart
        )
        print(f"{mart}: {compared} rows equal")
    assert sum(rows.values()) > 0
