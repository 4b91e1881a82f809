"""Every model ported to Spark so far (issue 13) gives DuckDB's rows on the tiny tier, and passes its data
tests on Spark. The shared `tiny_run` is the DuckDB side (tests_py/engines/spark_parity.py: how).

Marked `spark` (minutes): `make test-spark` runs it, `make test` runs the smaller test_spark_smoke.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from spark_parity import SparkSide, assert_same_rows, run_spark

from account_health.paths import PROJECT_DIR

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
)
#: The rest, whose tests are left out of the Spark build (a test of an unported model may also read a
#: ported one).
NOT_PORTED_FOLDERS = (
    "models/semantic",
    "python_models",
    "snapshots",
)
BUILT_MODELS = sorted(
    path.stem for folder in PORTED_FOLDERS for path in (PROJECT_DIR / folder).rglob("*.sql")
)
#: Models the tiny tier leaves empty: compared as empty on both sides. It provides no churn events, and its
#: usage is per user (the per-account usage model is for a warehouse without users).
EMPTY_ON_TINY = {"stg_crm__churn_events", "int_account_usage_windowed_to_account_day"}


@pytest.fixture(scope="module")
def spark_side(tiny_run, tmp_path_factory: pytest.TempPathFactory) -> SparkSide:
    select = " ".join(f"path:{folder}" for folder in PORTED_FOLDERS)
    exclude = " ".join(f"path:{folder}+,resource_type:test" for folder in NOT_PORTED_FOLDERS)
    return run_spark(tiny_run.paths.data_dir, tmp_path_factory.mktemp("spark"), select, exclude=exclude)


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
