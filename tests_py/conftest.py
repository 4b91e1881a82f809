"""Shared pytest fixtures. Each test area may add its own conftest.py in its folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from account_health.paths import Paths

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """A fresh, empty data folder for one test."""
    return Paths(tmp_path / "data")
