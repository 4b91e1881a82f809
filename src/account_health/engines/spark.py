"""The dbt project on Spark (issue 13): the `spark` target of profiles.yml, PySpark in this process.

The DuckDB landing stays the landing: its contract, quarantine and history are DuckDB code. For Spark, every
table of the warehouse's `raw` schema is exported to Parquet under `<data dir>/spark/raw/<table>/`, and dbt's
on-run-start (`register_raw_sources`, macros/cross_engine/sources.sql) registers each as an external table
of Spark's `raw` database, so the sources resolve on both engines with the same names. The Spark warehouse
(Parquet tables) and its Hive metastore (Derby) live under `<data dir>/spark/` too.

dbt runs in-process through dbtRunner, as `account_health.build` does, so the SparkSession dbt-spark starts
(`SparkSession.builder.getOrCreate()` with the profile's settings) is still alive afterwards and
`dump_relations` reads the built models through it. Run it in its own process (`python -m
account_health.engines.spark`): the JVM lives as long as the process.

The dbt Python models run in that same session too. dbt-spark submits a Python model only to a Databricks
cluster (its `all_purpose_cluster` and `job_cluster` methods: dbt-labs/dbt-spark#415 asks for open-source
Spark); `add_session_submission` gives it a `session` method, the default in this process, that runs the
model's compiled code (dbt-spark's own: `model(dbt, spark)`, then `saveAsTable`) against the SparkSession
dbt already opened. On Databricks nothing changes: the default is dbt-spark's.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from account_health.build import as_of_env, dbt_environment
from account_health.paths import PROJECT_DIR, Paths
from account_health.publish import PublishResult, publish
from account_health.publish.sources import MARTS_SCHEMA, ParquetMarts, marts_contracts
from account_health.sql import quote_literal, relation, schema_tables

SPARK_DIR_ENV = "ACCOUNT_HEALTH_SPARK_DIR"
RAW_SCHEMA = "raw"
SESSION_SUBMISSION = "session"


class SessionPythonJob:
    """dbt-spark's Python job helper interface (`__init__(parsed_model, credentials)`, `submit(code)`),
    running the compiled model in this process's SparkSession instead of on a Databricks cluster."""

    def __init__(self, parsed_model: dict[str, Any], credentials: Any) -> None:
        self.name = str(parsed_model.get("alias") or parsed_model.get("name"))

    def submit(self, compiled_code: str) -> None:
        from pyspark.sql import SparkSession

        namespace = {"spark": SparkSession.builder.getOrCreate(), "__name__": f"dbt_model_{self.name}"}
        exec(compile(compiled_code, f"<dbt python model {self.name}>", "exec"), namespace)


def add_session_submission() -> None:
    """Give dbt-spark's adapter the `session` submission method and make it the default (this process
    only: it runs the profile's `session` target)."""
    from dbt.adapters.spark.impl import SparkAdapter

    helpers = SparkAdapter.python_submission_helpers.fget
    if getattr(helpers, "with_session", False):
        return

    def with_session(adapter: Any) -> dict[str, Any]:
        return {**helpers(adapter), SESSION_SUBMISSION: SessionPythonJob}

    with_session.with_session = True  # type: ignore[attr-defined]

    def session_by_default(adapter: Any) -> str:
        return SESSION_SUBMISSION

    SparkAdapter.python_submission_helpers = property(with_session)  # type: ignore[method-assign]
    SparkAdapter.default_python_submission_method = property(session_by_default)  # type: ignore[method-assign]


def spark_dir(paths: Paths) -> Path:
    """Everything Spark keeps for one data folder by default: raw exports, warehouse, metastore, dbt's
    target and logs (`--spark-dir` puts them elsewhere, e.g. beside a data folder a test shares)."""
    return paths.data_dir / "spark"


def export_raw(paths: Paths, root: Path) -> list[str]:
    """Write every table of the DuckDB warehouse's raw schema to `<root>/raw/<table>/` as Parquet.

    An export replaces the previous one whole (a table's folder is written beside it, then swapped), and
    an empty table is still written (a file with its columns), so Spark can read its schema.
    """
    raw_dir = root / "raw"
    raw_dir.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(paths.warehouse_path), read_only=True)
    try:
        tables = schema_tables(con, RAW_SCHEMA)
        for table in tables:
            staged = raw_dir / f".{table}.new"
            shutil.rmtree(staged, ignore_errors=True)
            staged.mkdir()
            target = staged / "part-00000.parquet"
            source = relation(RAW_SCHEMA, table)
            con.execute(f"copy (select * from {source}) to {quote_literal(target)} (format parquet)")
            final = raw_dir / table
            shutil.rmtree(final, ignore_errors=True)
            staged.rename(final)
    finally:
        con.close()
    return tables


@dataclass
class SparkBuild:
    """One `dbt build --target spark`: success, seconds, each model and snapshot built as (schema, name),
    and each data test's name, status and whether it reads only seeds."""

    success: bool
    elapsed: float
    models: list[tuple[str, str]] = field(default_factory=list)
    tests: list[dict[str, Any]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def dbt_env(paths: Paths, root: Path) -> dict[str, str]:
    """The DuckDB build's environment (seeds, telemetry off) plus the Spark folder the profile reads. The
    seed folder is written under the Spark folder, so a Spark build writes nothing into the data folder
    (but its serving/ with --publish)."""
    return {**paths.dbt_env(seed_dir=root / "seeds"), SPARK_DIR_ENV: str(root)}


def _invoke(paths: Paths, root: Path, command: list[str], as_of: date | None) -> Any:
    from dbt.cli.main import dbtRunner

    base = root / "dbt"
    args = [
        *command,
        "--target",
        "spark",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(base / "target"),
        "--log-path",
        str(base / "logs"),
        "--quiet",
        "--no-use-colors",
    ]
    add_session_submission()
    with dbt_environment({**dbt_env(paths, root), **as_of_env(as_of)}):
        return dbtRunner().invoke(args)


def build(
    paths: Paths,
    root: Path,
    select: str,
    as_of: date | None = None,
    *,
    seed: bool = True,
    tests: bool = True,
    exclude: str = "",
) -> SparkBuild:
    """The seeds with the tests that read only seeds (`dbt build --select resource_type:seed`), then
    `dbt build --select <select>`, on the spark target, in this process (one JVM), with their own target
    and log folders.
    `tests=False` runs `dbt seed` and `dbt run` instead (no data tests); `exclude` is dbt's --exclude
    (e.g. the tests of models not ported that also read a selected model)."""
    started = time.perf_counter()
    result = SparkBuild(success=True, elapsed=0.0)
    commands = []
    if seed:
        # cautious: the tests that read nothing but seeds; a test of seeds and models comes with the models
        seeds = ["build", "--select", "resource_type:seed", "--indirect-selection", "cautious"]
        commands.append(seeds if tests else ["seed"])
    commands.append(
        ["build" if tests else "run", "--select", select, *(["--exclude", exclude] if exclude else [])]
    )
    for command in commands:
        outcome = _invoke(paths, root, command, as_of)
        result.success = result.success and bool(outcome.success)
        if outcome.exception is not None:
            result.problems.append(f"{type(outcome.exception).__name__}: {outcome.exception}")
        for node_result in getattr(outcome.result, "results", None) or []:
            node = node_result.node
            status = str(node_result.status)
            if node.resource_type in ("model", "snapshot") and status == "success":
                result.models.append((node.schema, node.name))
            if node.resource_type == "test":
                parents = node.depends_on.nodes
                only_seeds = bool(parents) and all(parent.startswith("seed.") for parent in parents)
                result.tests.append({"name": node.name, "status": status, "only_seeds": only_seeds})
            # an exposure is a no-op in every build
            if status not in ("success", "pass", "no-op"):
                # Spark's messages carry the whole query plan: its first lines name the error
                message = " ".join(str(node_result.message or "").split("\n")[:4])
                result.problems.append(f"{node.resource_type} {node.name}: {status} ({message})")
        if not result.success:
            break
    result.elapsed = time.perf_counter() - started
    return result


def dump_relations(relations: list[tuple[str, str]], out_dir: Path, *, qualified: bool = True) -> None:
    """Write each relation, as Spark reads it, to `<out_dir>/<schema>.<name>/` (`<out_dir>/<name>/` when
    not `qualified`) as Parquet (microsecond timestamps): a form DuckDB reads."""
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()
    for schema, name in relations:
        folder = out_dir / (f"{schema}.{name}" if qualified else name)
        spark.table(f"{schema}.{name}").write.mode("overwrite").parquet(str(folder))


def publish_marts(paths: Paths, root: Path, as_of: date | None) -> PublishResult:
    """Publish every table of Spark's `marts` database to `paths`' serving folder, the layout a DuckDB
    build publishes (as DuckDB's publish takes every table of its `marts` schema).

    Spark writes each mart as Parquet under `<root>/marts/`; publish (write, audit, atomic swap) reads
    them with the contracts of the Spark build's manifest (publish/sources.py).
    """
    from pyspark.sql import SparkSession

    spark = SparkSession.builder.getOrCreate()
    # the database's tables, not the session's temporary views (the Python models query through some)
    tables = spark.catalog.listTables(MARTS_SCHEMA)
    marts = [(MARTS_SCHEMA, table.name) for table in tables if not table.isTemporary]
    folder = root / "marts"
    shutil.rmtree(folder, ignore_errors=True)
    dump_relations(marts, folder, qualified=False)
    contracts = marts_contracts(root / "dbt" / "target" / "manifest.json")
    return publish(paths, as_of, source=ParquetMarts(folder, contracts))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m account_health.engines.spark",
        description="Export the raw tables to Parquet, build dbt models on Spark, optionally dump them.",
    )
    parser.add_argument("--data-dir", type=Path, required=True, help="a landed data folder")
    parser.add_argument("--select", required=True, help="dbt selection, e.g. path:models/staging")
    parser.add_argument("--as-of", type=date.fromisoformat, default=None)
    parser.add_argument("--dump", type=Path, default=None, help="write each built model here as Parquet")
    parser.add_argument("--json", type=Path, default=None, help="write the build's summary here")
    parser.add_argument("--spark-dir", type=Path, default=None, help="default: <data dir>/spark")
    parser.add_argument("--exclude", default="", help="dbt --exclude for the build")
    parser.add_argument("--no-seed", action="store_true", help="do not run dbt seed first")
    parser.add_argument("--no-tests", action="store_true", help="dbt run instead of dbt build")
    parser.add_argument(
        "--publish",
        type=Path,
        default=None,
        metavar="DATA_DIR",
        help="after a successful build, publish the marts to this data folder's serving/",
    )
    args = parser.parse_args(argv)

    paths = Paths(args.data_dir.resolve())
    root = (args.spark_dir or spark_dir(paths)).resolve()
    exported = export_raw(paths, root)
    result = build(
        paths,
        root,
        args.select,
        args.as_of,
        seed=not args.no_seed,
        tests=not args.no_tests,
        exclude=args.exclude,
    )
    if result.success and args.dump is not None:
        dump_relations(result.models, args.dump)
    published = None
    if result.success and args.publish is not None:
        published = publish_marts(Paths(args.publish.resolve()), root, args.as_of)
    summary: dict[str, Any] = {
        "success": result.success,
        "elapsed": result.elapsed,
        "exported": exported,
        "models": [list(model) for model in result.models],
        "tests": result.tests,
        "problems": result.problems,
        "published": None
        if published is None
        else {
            "serving_path": str(published.serving_path),
            "elapsed": published.elapsed,
            "tables": published.row_counts,
        },
    }
    if args.json is not None:
        args.json.write_text(json.dumps(summary, indent=2))
    for problem in result.problems:
        sys.stderr.write(problem + "\n")
    return 0 if result.success else 1


if __name__ == "__main__":
    sys.exit(main())
