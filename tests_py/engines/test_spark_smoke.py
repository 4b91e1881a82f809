"""A Spark smoke inside `make test` (issue 13): two staging models built on the spark target (dbt run: no
seeds, no data tests) give DuckDB's rows on the tiny tier. Between them they use the Spark side of the
raw export and registration, the dedupe, the string casts and the pseudonym (sha256_hex). The whole
ported set and its data tests: test_spark_parity.py, `make test-spark`.
"""

from __future__ import annotations

import pytest
from spark_parity import SparkSide, assert_same_rows, run_spark

pytestmark = pytest.mark.spark_smoke

SMOKE_MODELS = ("stg_crm__accounts", "stg_crm__contacts")


@pytest.fixture(scope="module")
def spark_side(tiny_run, tmp_path_factory: pytest.TempPathFactory) -> SparkSide:
    work = tmp_path_factory.mktemp("spark")
    return run_spark(tiny_run.paths.data_dir, work, " ".join(SMOKE_MODELS), seed=False, tests=False)


def test_the_smoke_models_build_on_spark(spark_side: SparkSide):
    print(f"spark side: {spark_side.seconds:.0f}s, of which dbt {spark_side.summary['elapsed']:.0f}s")
    assert spark_side.summary["problems"] == []
    assert sorted(name for _schema, name in spark_side.summary["models"]) == sorted(SMOKE_MODELS)


@pytest.mark.parametrize("model", SMOKE_MODELS)
def test_spark_gives_duckdbs_rows(spark_side: SparkSide, tiny_run, model: str):
    assert assert_same_rows(tiny_run.paths.warehouse_path, spark_side, model) > 0
