"""Shared work of the source-subset tests: the session's tiny run is the baseline every case starts from."""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest

from account_health.paths import Paths


@dataclass(frozen=True)
class Baseline:
    """The tiny run's built warehouse and its scorecard measures (every table provided)."""

    warehouse: Path
    measures: Path  # parquet of intermediate.int_health_measures_sourced


@pytest.fixture(scope="module")
def baseline(tiny_run, tmp_path_factory: pytest.TempPathFactory) -> Baseline:
    work = tmp_path_factory.mktemp("baseline")
    warehouse = work / "account_health.duckdb"
    shutil.copy(tiny_run.paths.warehouse_path, warehouse)
    measures = work / "measures.parquet"
    with duckdb.connect(str(warehouse), read_only=True) as con:
        con.execute(
            f"copy (select * from intermediate.int_health_measures_sourced) to '{measures}' (format parquet)"
        )
    return Baseline(warehouse=warehouse, measures=measures)


@pytest.fixture(scope="module")
def case_paths(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """One data folder reused by every single-table case in turn: the same warehouse path and dbt target
    let dbt parse the project once (partial parsing) instead of once per case."""
    return Paths(tmp_path_factory.mktemp("subset-case") / "data")
