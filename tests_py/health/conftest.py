"""Tiny generated data for the scorecard's build-level tests: landed once per session, and built from scratch
as of AS_OF once per session, both shared read-only by the modules (tests_py/_shared_data.py); a module
that builds works in its own copy (`landed`)."""

from __future__ import annotations

import pytest
from _health_build import AS_OF, build_health

from _shared_data import copy_data, once_per_session
from account_health.paths import PROJECT_DIR, Paths


@pytest.fixture(scope="session")
def landed_once(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """Tiny data generated for AS_OF and landed into a fresh warehouse, once per session (read-only)."""
    from account_health.generate import generate
    from account_health.land import land

    def make(folder) -> Paths:
        paths = Paths(folder / "data")
        generate(paths.raw_dir, paths.ground_truth_dir, scale="tiny", seed=42, as_of=AS_OF)
        land(paths.raw_dir, paths.warehouse_path, as_of=AS_OF)
        return paths

    return once_per_session(tmp_path_factory, "health-landed", make)


@pytest.fixture(scope="module")
def landed(landed_once: Paths, tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """The module's own copy of the landed tiny data, nothing built yet: its tests build into it."""
    return copy_data(landed_once, tmp_path_factory.mktemp("health"))


@pytest.fixture(scope="session")
def built_from_scratch(landed_once: Paths, tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """The landed tiny data with the health models built from scratch (`--full-refresh`) as of AS_OF, once
    per session (read-only): the reference build the point-in-time, as-known-then and reweighting tests
    compare with, built once instead of once in each of them."""

    def make(folder) -> Paths:
        paths = copy_data(landed_once, folder)
        build_health(PROJECT_DIR, paths, AS_OF, "--full-refresh")
        return paths

    return once_per_session(tmp_path_factory, "health-built-from-scratch", make)
