"""Shared pytest fixtures. Each test area may add its own conftest.py in its folder."""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from _shared_data import copy_data, once_per_session, session_root
from account_health import unit_tested
from account_health.paths import Paths
from account_health.pipeline import RunSummary, run

os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
os.environ.setdefault("DO_NOT_TRACK", "1")
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Order the test files so that both xdist workers stay busy to the end (xdist hands the files out in
    this order, `--no-loadscope-reorder` in pyproject.toml; its own order, most tests first, left the
    few-test files that build for minutes to the end, where one worker finished them alone).

    First the reader of `tiny_run` with the most `slow` tests: its worker builds the shared run (2-3
    minutes) while the other runs files that do not need it, instead of waiting for it. Then the files
    with `slow` tests, then the rest; in each, the files that do not read `tiny_run` first. The order
    within a file is kept (a stable sort), so its module fixtures are still built once.
    """
    readers = {item.path for item in items if "tiny_run" in item.fixturenames}
    slow_tests = Counter(item.path for item in items if item.get_closest_marker("slow"))
    first = max(readers, key=lambda path: slow_tests[path], default=None)

    def rank(item: pytest.Item) -> tuple[int, bool]:
        if item.path == first:
            return 0, False
        return (1 if item.path in slow_tests else 2), item.path in readers

    items.sort(key=rank)


@pytest.fixture(scope="session", autouse=True)
def unit_tests_once_per_session(tmp_path_factory: pytest.TempPathFactory) -> None:
    """The dbt unit tests run in the session's first whole build, not in each of its dozen: one record
    for every data folder (account_health.unit_tested), shared by the xdist workers' builds too."""
    os.environ[unit_tested.RECORD_ENV] = str(session_root(tmp_path_factory) / "unit-tests-passed.sha256")


@pytest.fixture
def paths(tmp_path: Path) -> Paths:
    """A fresh, empty data folder for one test."""
    return Paths(tmp_path / "data")


TINY_AS_OF = date(2026, 10, 31)


@dataclass
class TinyRun:
    paths: Paths
    summary: RunSummary


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory: pytest.TempPathFactory) -> TinyRun:
    """One whole pipeline run on `tiny` data (generate, land, build, validate, publish, report), shared by
    every test that only reads its results, so the suite pays for it once: once per session, not once
    per xdist worker (`once_per_session`). Its folder is read-only to tests: one that writes copies it.
    """

    def make(folder: Path) -> tuple[Paths, RunSummary]:  # plain types: the result is pickled
        paths = Paths(folder / "data")
        return paths, run(paths, TINY_AS_OF, generate_scale="tiny", seed=42)

    return TinyRun(*once_per_session(tmp_path_factory, "tiny-run", make))


@pytest.fixture
def tiny_run_copy(tiny_run: TinyRun, tmp_path: Path) -> Paths:
    """A private copy of the tiny run's data folder, for a test whose command writes into it."""
    return copy_data(tiny_run.paths, tmp_path)


@pytest.fixture(scope="session")
def headless_chromium() -> list[str]:
    """Debian's Chromium, headless, with nothing phoning home (the dashboard's own flags)."""
    from account_health.dashboard.browse import CHROMIUM_ARGS, chromium

    try:
        return [chromium(), "--headless", *CHROMIUM_ARGS]
    except RuntimeError as error:
        pytest.fail(str(error))
