"""Load the dbt Python models as plain modules: their pure functions are tested without dbt."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

PYTHON_MODELS = Path(__file__).resolve().parents[2] / "python_models" / "marts"


def _load(relative: str) -> ModuleType:
    path = PYTHON_MODELS / relative
    spec = importlib.util.spec_from_file_location(path.stem, path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def backtest_model() -> ModuleType:
    return _load("health/fct_health_score_backtest.py")


@pytest.fixture(scope="session")
def forecast_model() -> ModuleType:
    return _load("revenue/fct_nrr_forecast.py")
