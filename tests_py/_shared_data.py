"""Data folders built once per test session and shared by the xdist workers (tests_py/conftest.py uses them,
and so can any folder's conftest.py: `from _shared_data import once_per_session`).

`make test` runs two workers; a session fixture is built once per worker, so an expensive folder (a whole
pipeline run, a landed warehouse) would be built twice. `once_per_session` builds it once, under a file
lock in the session's temporary folder that both workers see. Shared folders are read-only by
convention: a test that writes into one (a command that writes results, a second build) works on a copy.
"""

from __future__ import annotations

import os
import pickle
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

import pytest
from filelock import FileLock

from account_health.paths import Paths

T = TypeVar("T")


def session_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The session's temporary folder, the same for every xdist worker: the workers' own base folders sit
    side by side in it (without xdist, the base folder itself)."""
    root = tmp_path_factory.getbasetemp()
    return root.parent if os.environ.get("PYTEST_XDIST_WORKER") else root


def once_per_session(tmp_path_factory: pytest.TempPathFactory, name: str, make: Callable[[Path], T]) -> T:
    """`make(folder)` run once per test session, not once per xdist worker.

    The first worker to ask runs it in `<session root>/<name>/` under a file lock and pickles its result
    beside the folder; a worker that asks later waits for the lock and unpickles that result. A `make`
    that raised leaves no result: the next worker to ask tries again in an emptied folder (and fails the
    same way, as it would have on its own).
    """
    root = session_root(tmp_path_factory)
    folder, result_file = root / name, root / f"{name}.pickle"
    with FileLock(root / f"{name}.lock"):
        if result_file.exists():
            return pickle.loads(result_file.read_bytes())
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir()
        result = make(folder)
        result_file.write_bytes(pickle.dumps(result))
        return result


def copy_data(paths: Paths, target: Path) -> Paths:
    """A private copy of a shared data folder, as `<target>/data`, for a test that writes into it.

    Without the seed overlay (`<data dir>/dbt/seeds`): every dbt call of a folder writes it whole again
    (account_health.config.prepare_seed_dir, renaming folders), so the copy's first dbt call writes its
    own, and a dbt call on the shared folder at that moment (the Spark smoke test runs one) cannot pull a
    folder from under the copy.
    """
    copy = Paths(target / "data")

    def seed_overlay(folder: str, names: list[str]) -> list[str]:
        if Path(folder) != paths.seed_dir.parent:
            return []
        return [name for name in names if name.startswith(paths.seed_dir.name)]

    shutil.copytree(paths.data_dir, copy.data_dir, symlinks=True, ignore=seed_overlay)
    return copy
