"""Fixtures for the staging/mart gate tests: small hand-made warehouses."""

from __future__ import annotations

import duckdb
import pytest

from account_health.paths import PROJECT_DIR, Paths

THRESHOLDS_CSV = PROJECT_DIR / "seeds" / "quality" / "quality_thresholds.csv"


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
