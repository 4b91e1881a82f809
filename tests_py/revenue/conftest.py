"""The logic of the dbt Python models, tested as plain modules without dbt."""

from __future__ import annotations

from types import ModuleType

import pytest

from account_health.analysis import backtest, forecast


@pytest.fixture(scope="session")
def backtest_model() -> ModuleType:
    return backtest


@pytest.fixture(scope="session")
def forecast_model() -> ModuleType:
    return forecast
