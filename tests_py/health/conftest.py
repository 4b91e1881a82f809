"""Tiny generated data, landed once per module, for the scorecard's build-level tests."""

from __future__ import annotations

import pytest
from _health_build import AS_OF

from account_health.paths import Paths


@pytest.fixture(scope="module")
def landed(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """Tiny data generated for AS_OF and landed into a fresh warehouse."""
    from account_health.generate import generate
    from account_health.land import land

    paths = Paths(tmp_path_factory.mktemp("health") / "data")
    generate(paths.raw_dir, paths.ground_truth_dir, scale="tiny", seed=42, as_of=AS_OF)
    land(paths.raw_dir, paths.warehouse_path, as_of=AS_OF)
    return paths
