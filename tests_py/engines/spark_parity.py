"""Build models on the spark target in their own process and compare their rows with DuckDB's (issue 13).

The Spark side runs as `python -m account_health.engines.spark` (the JVM ends with the process): the landed
raw tables are exported to Parquet, dbt builds the selected models on the `spark` target, and every built
model is written out as Parquet, which DuckDB reads here. Keys, strings, dates, timestamps, integers and
money (decimals) must be equal; doubles within FLOAT_TOLERANCE (relative), since the engines may add up in
another order.
"""

from __future__ import annotations

import json
import math
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import yaml

from account_health.paths import PROJECT_DIR, Paths
from account_health.publish import read_manifest
from account_health.sql import quote_ident, quote_literal, relation

TINY_AS_OF = "2026-10-31"  # tests_py/conftest.py's, the as-of of `tiny_run`
#: Every folder of models, Python models and snapshots: the whole project builds on Spark.
FOLDERS = ("models", "python_models", "snapshots")
EVERYTHING = " ".join(f"path:{folder}" for folder in FOLDERS)
BUILT_MODELS = sorted(
    path.stem
    for folder in FOLDERS
    for path in (PROJECT_DIR / folder).rglob("*")
    if path.suffix in (".sql", ".py")
)
SNAPSHOTS = sorted(
    snapshot["name"]
    for path in (PROJECT_DIR / "snapshots").glob("*.yml")
    for snapshot in yaml.safe_load(path.read_text())["snapshots"]
)
#: A snapshot's columns that are the time of the build that wrote the row (and its hash): compared on
#: neither engine.
SNAPSHOT_BUILD_TIME_COLUMNS = ("dbt_scd_id", "dbt_updated_at", "dbt_valid_from")
#: Models the tiny tier leaves empty: compared as empty on both sides. It provides no churn events, and its
#: usage is per user (the per-account usage model is for a warehouse without users).
EMPTY_ON_TINY = {"stg_crm__churn_events", "int_account_usage_windowed_to_account_day"}
FLOAT_TOLERANCE = 1e-9
FLOAT_TYPES = {"DOUBLE", "FLOAT", "REAL"}
SPARK_TIMEOUT_SECONDS = 1800
BATCH_ROWS = 50_000


@dataclass
class SparkSide:
    summary: dict[str, Any]
    dump_dir: Path
    seconds: float
    stderr: str

    def schema_of(self, model: str) -> str:
        schemas = {name: schema for schema, name in self.summary["models"]}
        assert model in schemas, f"{model} was not built on Spark"
        return schemas[model]


def run_spark(
    data_dir: Path,
    work: Path,
    select: str,
    *,
    seed: bool = True,
    tests: bool = True,
    exclude: str = "",
    publish_to: Path | None = None,
    as_of: str = TINY_AS_OF,
    spark_dir: Path | None = None,
    dump: bool = True,
) -> SparkSide:
    """Build on Spark with everything Spark writes under `work`, not in the (shared) data folder; with
    `publish_to`, publish the marts into that data folder's serving/. A later run given the same
    `spark_dir` builds on the tables of the earlier one (an incremental run)."""
    work.mkdir(parents=True, exist_ok=True)
    summary_path, dump_dir = work / "summary.json", work / "dump"
    command = [
        sys.executable,
        "-m",
        "account_health.engines.spark",
        "--data-dir",
        str(data_dir),
        "--select",
        select,
        "--as-of",
        as_of,
        "--json",
        str(summary_path),
        "--spark-dir",
        str(spark_dir or work / "spark"),
    ]
    command += ["--dump", str(dump_dir)] if dump else []
    command += [] if seed else ["--no-seed"]
    command += [] if tests else ["--no-tests"]
    command += ["--exclude", exclude] if exclude else []
    command += ["--publish", str(publish_to)] if publish_to else []
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", "DO_NOT_TRACK": "1"}
    started = time.perf_counter()
    completed = subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=SPARK_TIMEOUT_SECONDS, check=False
    )
    seconds = time.perf_counter() - started
    assert summary_path.exists(), completed.stderr[-4000:]
    return SparkSide(json.loads(summary_path.read_text()), dump_dir, seconds, completed.stderr)


def _normalised(value: Any) -> Any:
    """Timestamps compared as naive UTC on both sides (Spark's are TIMESTAMP_NTZ, DuckDB's TIMESTAMP)."""
    if getattr(value, "tzinfo", None) is not None:
        return value.replace(tzinfo=None)
    return value


def _columns(con: duckdb.DuckDBPyConnection, query: str) -> list[tuple[str, str]]:
    return [(name, str(type_)) for name, type_, *_ in con.execute(f"describe {query}").fetchall()]


def _sorted_batches(
    con: duckdb.DuckDBPyConnection, query: str, columns: list[tuple[str, str]]
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows in batches, sorted in DuckDB (nulls first, doubles rounded to 6 decimals, so a last-digit
    difference cannot reorder rows): both sides stream in the same order, and no table is held in memory
    whole (the demo tier's drivers mart has millions of rows)."""
    order = ", ".join(
        f"round({quote_ident(name)}, 6) nulls first"
        if type_ in FLOAT_TYPES
        else f"{quote_ident(name)} nulls first"
        for name, type_ in columns
    )
    result = con.execute(f"select * from ({query}) order by {order}")
    while batch := result.fetchmany(BATCH_ROWS):
        yield [tuple(_normalised(value) for value in row) for row in batch]


def _equal(left: Any, right: Any, is_float: bool) -> bool:
    if left is None or right is None:
        return left is None and right is None
    if is_float:
        return math.isclose(left, right, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    if isinstance(left, Decimal) or isinstance(right, Decimal):
        return Decimal(left) == Decimal(right)
    return left == right


def assert_same_rows(warehouse: Path, spark: SparkSide, model: str, exclude: tuple[str, ...] = ()) -> int:
    """Column names, order and types, then every row, equal on both engines (but the `exclude` columns);
    returns the rows compared."""
    schema = spark.schema_of(model)
    files = spark.dump_dir / f"{schema}.{model}" / "*.parquet"
    return assert_same_relations(warehouse, relation(schema, model), files, model, exclude)


def assert_same_relations(
    duck_database: Path, duck_relation: str, spark_files: Path, name: str, exclude: tuple[str, ...] = ()
) -> int:
    """A relation of a DuckDB file and Parquet files Spark wrote: the same columns (names, order, types)
    and rows, but the `exclude` columns; returns the rows compared."""
    columns = f"* exclude ({', '.join(exclude)})" if exclude else "*"
    duck_query = f"select {columns} from {duck_relation}"
    spark_query = f"select {columns} from read_parquet({quote_literal(spark_files)})"
    duck, spark = duckdb.connect(str(duck_database), read_only=True), duckdb.connect()
    try:
        duck_columns = _columns(duck, duck_query)
        assert _columns(spark, spark_query) == duck_columns, "column names, order and types differ"
        float_columns = {index for index, (_name, type_) in enumerate(duck_columns) if type_ in FLOAT_TYPES}
        compared = 0
        pairs = zip(
            _sorted_batches(duck, duck_query, duck_columns),
            _sorted_batches(spark, spark_query, duck_columns),
            strict=False,  # a side with more rows has more batches: the counts below say so
        )
        for duck_batch, spark_batch in pairs:
            assert len(duck_batch) == len(spark_batch), f"{name}: row counts differ"
            for duck_row, spark_row in zip(duck_batch, spark_batch, strict=True):
                differing = [
                    (duck_columns[index][0], duck_value, spark_value)
                    for index, (duck_value, spark_value) in enumerate(zip(duck_row, spark_row, strict=True))
                    if not _equal(duck_value, spark_value, index in float_columns)
                ]
                assert differing == [], f"first differing row of {name}: {differing}"
            compared += len(duck_batch)
        counts = [
            con.execute(f"select count(*) from ({query})").fetchone()[0]
            for con, query in ((duck, duck_query), (spark, spark_query))
        ]
        assert counts == [compared, compared], f"{name}: row counts differ ({counts})"
    finally:
        duck.close()
        spark.close()
    return compared


def serving_tables(serving: Path) -> dict[str, list[tuple[str, str, str]]]:
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


def assert_same_serving_layout(duck: Paths, spark: Paths) -> dict[str, int]:
    """What Spark published is what DuckDB published: the same marts and row counts in the manifest, one
    Parquet file per mart under the same names, and a serving file whose every table has the same columns,
    types, NOT NULL and primary key. Returns the rows of each mart."""
    duck_manifest = read_manifest(duck.serving_dir / "manifest.json")
    spark_manifest = read_manifest(spark.serving_dir / "manifest.json")
    assert duck_manifest is not None and spark_manifest is not None
    rows = {name: table["rows"] for name, table in duck_manifest["tables"].items()}
    assert {name: table["rows"] for name, table in spark_manifest["tables"].items()} == rows
    assert sorted(path.name for path in spark.serving_parquet_dir.iterdir()) == sorted(
        path.name for path in duck.serving_parquet_dir.iterdir()
    )
    assert serving_tables(spark.serving_path) == serving_tables(duck.serving_path)
    return rows
