"""One `tiny` data set per test session: generating it takes a few seconds."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from account_health.generate import generate

AS_OF = dt.date(2026, 10, 31)


@pytest.fixture(scope="session")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, int]]:
    root = tmp_path_factory.mktemp("tiny")
    rows = generate(root / "raw", root / "ground_truth", scale="tiny", seed=42, as_of=AS_OF)
    return root / "raw", root / "ground_truth", rows
