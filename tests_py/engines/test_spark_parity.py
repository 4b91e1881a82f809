"""The models ported to Spark (issue 13) give DuckDB's rows, row for row, on the tiny tier.

The shared `tiny_run` is the DuckDB side. The Spark side runs in its own process (`python -m
account_health.engines.spark`, the JVM ends with it): the landed raw tables are exported to Parquet, dbt seeds
and builds the ported models on the `spark` target with their data tests, and every built model is written
out as Parquet, which DuckDB reads here. Keys, strings, dates, timestamps, integers and money (decimals) must
be equal; doubles within FLOAT_TOLERANCE (relative), since the two engines may sum in another order.

Marked `spark`: `make test-spark` runs it; see README "When one machine is not enough" for its cost.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from account_health.paths import PROJECT_DIR
from account_health.sql import quote_literal, relation

pytestmark = pytest.mark.spark

#: What is ported so far: dbt selectors, and the folders whose every model they select.
PORTED_FOLDERS = ("models/staging",)
SELECT = " ".join(f"path:{folder}" for folder in PORTED_FOLDERS)
PORTED_MODELS = sorted(
    path.stem for folder in PORTED_FOLDERS for path in (PROJECT_DIR / folder).rglob("*.sql")
)
#: Models the tiny tier leaves empty (it provides no churn events), compared as empty on both sides.
EMPTY_ON_TINY = {"stg_crm__churn_events"}
TINY_AS_OF = "2026-10-31"  # tests_py/conftest.py's, the as-of of `tiny_run`
FLOAT_TOLERANCE = 1e-9
FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}
SPARK_TIMEOUT_SECONDS = 1800


@dataclass
class SparkSide:
    summary: dict[str, Any]
    dump_dir: Path
    seconds: float


@pytest.fixture(scope="module")
def spark_side(tiny_run, tmp_path_factory: pytest.TempPathFactory) -> SparkSide:
    work = tmp_path_factory.mktemp("spark")
    summary_path, dump_dir = work / "summary.json", work / "dump"
    command = [
        sys.executable,
        "-m",
        "account_health.engines.spark",
        "--data-dir",
        str(tiny_run.paths.data_dir),
        "--select",
        SELECT,
        "--as-of",
        TINY_AS_OF,
        "--dump",
        str(dump_dir),
        "--json",
        str(summary_path),
    ]
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    started = time.perf_counter()
    completed = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=SPARK_TIMEOUT_SECONDS, check=False
    )
    seconds = time.perf_counter() - started
    assert summary_path.exists(), completed.stderr[-4000:]
    return SparkSide(json.loads(summary_path.read_text()), dump_dir, seconds)


def test_the_spark_build_passes_its_data_tests(spark_side: SparkSide):
    print(f"spark side: {spark_side.seconds:.0f}s, dbt {spark_side.summary['elapsed']:.0f}s")
    assert spark_side.summary["problems"] == []
    assert spark_side.summary["success"] is True


def test_every_ported_model_was_built_on_spark(spark_side: SparkSide):
    assert sorted(name for _schema, name in spark_side.summary["models"]) == PORTED_MODELS


def _normalised(value: Any) -> Any:
    """A value as both engines' rows can be compared: naive datetimes, decimals as they are."""
    if hasattr(value, "tzinfo") and getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value


def _sort_key(row: tuple[Any, ...], float_columns: set[int]) -> tuple[Any, ...]:
    """Nulls first, then by value; doubles rounded, so a last-digit difference cannot reorder rows."""
    key: list[Any] = []
    for index, value in enumerate(row):
        if value is None:
            key.append((0, ""))
        elif index in float_columns:
            key.append((1, round(value, 6)))
        else:
            key.append((1, value))
    return tuple(key)


def _rows(con: duckdb.DuckDBPyConnection, query: str) -> tuple[list[tuple[str, str]], list[tuple[Any, ...]]]:
    result = con.execute(query)
    columns = [(column[0], str(column[1])) for column in result.description]
    return columns, [tuple(_normalised(value) for value in row) for row in result.fetchall()]


def _equal(left: Any, right: Any, is_float: bool) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if is_float:
        return math.isclose(left, right, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        return Decimal(left) == Decimal(right)
    return left == right


@pytest.mark.parametrize("model", PORTED_MODELS)
def test_spark_gives_duckdbs_rows(spark_side: SparkSide, tiny_run, model: str):
    schemas = {name: schema for schema, name in spark_side.summary["models"]}
    assert model in schemas, f"{model} was not built on Spark"
    schema = schemas[model]
    duck = duckdb.connect(str(tiny_run.paths.warehouse_path), read_only=True)
    try:
        duck_columns, duck_rows = _rows(duck, f"select * from {relation(schema, model)}")
    finally:
        duck.close()
    files = quote_literal(spark_side.dump_dir / f"{schema}.{model}" / "*.parquet")
    spark_columns, spark_rows = _rows(duckdb.connect(), f"select * from read_parquet({files})")

    assert spark_columns == duck_columns, "column names, order and types differ"
    assert len(spark_rows) == len(duck_rows)
    assert bool(duck_rows) != (model in EMPTY_ON_TINY), f"{model}: {len(duck_rows)} rows on the tiny tier"
    float_columns = {index for index, (_name, type_) in enumerate(duck_columns) if type_ in FLOAT_TYPES}
    duck_rows.sort(key=lambda row: _sort_key(row, float_columns))
    spark_rows.sort(key=lambda row: _sort_key(row, float_columns))
    for duck_row, spark_row in zip(duck_rows, spark_rows, strict=True):
        differing = [
            (duck_columns[index][0], duck_value, spark_value)
            for index, (duck_value, spark_value) in enumerate(zip(duck_row, spark_row, strict=True))
            if not _equal(duck_value, spark_value, index in float_columns)
        ]
        assert differing == [], f"first differing row of {model}: {differing}"
    print(f"{model}: {len(duck_rows)} rows x {len(duck_columns)} columns equal")
