"""Fixtures for the staging/mart gate tests: small hand-made warehouses, and the shared tiny pipeline run."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import duckdb
import pytest

from account_health.paths import PROJECT_DIR, Paths

THRESHOLDS_CSV = PROJECT_DIR / "seeds" / "quality" / "quality_thresholds.csv"


def _load_pipeline_fixtures():
    """The session fixture `tiny_run` of tests_py/pipeline (tiny generate, land, build, validate, publish).

    Reused, not copied. It lives in a sibling folder's conftest, so pytest keeps one cache per folder: when
    both folders run in one session the pipeline runs once per folder. Moving `tiny_run` into
    tests_py/conftest.py (and deleting this import) makes it once per session.
    """
    path = Path(__file__).resolve().parents[1] / "pipeline" / "conftest.py"
    spec = importlib.util.spec_from_file_location("_pipeline_fixtures", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


tiny_run = _load_pipeline_fixtures().tiny_run


class Warehouse:
    """A build warehouse in a tmp data folder with the real thresholds seed and hand-made tables."""

    def __init__(self, paths: Paths) -> None:
        self.paths = paths
        paths.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
        with self.connect() as con:
            con.execute("create schema if not exists config")
            con.execute("create schema if not exists marts")
            con.execute("create schema if not exists staging")
            con.execute(
                "create table config.quality_thresholds as select * from read_csv(?, header = true, "
                "columns = {'threshold_id': 'varchar', 'model_name': 'varchar', "
                "'threshold_value': 'double', 'description': 'varchar'})",
                [str(THRESHOLDS_CSV)],
            )

    def connect(self) -> duckdb.DuckDBPyConnection:
        return duckdb.connect(str(self.paths.warehouse_path))

    def execute(self, *statements: str) -> None:
        with self.connect() as con:
            for statement in statements:
                con.execute(statement)

    def threshold(self, threshold_id: str, model: str | None, value: float) -> None:
        with self.connect() as con:
            con.execute(
                "insert into config.quality_thresholds values (?, ?, ?, 'test override')",
                [threshold_id, model, value],
            )


@pytest.fixture
def warehouse(paths: Paths) -> Warehouse:
    return Warehouse(paths)
