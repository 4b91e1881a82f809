"""Whether this data folder's build already passed the dbt unit tests on the project code as it is now.

Unit tests check the SQL against fixed inputs, never the company's data, so running them again on a daily
build of unchanged code repeats the same 40 checks (about 12 s of a daily run on 2 cores). A build runs
them when the code changed since the last build that passed them in this data folder, or when none did
(the first build, `make demo`), and `make test` runs them on every change. The code is every file dbt
compiles: models, macros, tests, snapshots, the seeds' YAML and dbt_project.yml (the seeds' CSVs are data
and are checked by `account-health check` and the data tests). The record is the data folder's, or the
file $ACCOUNT_HEALTH_UNIT_TESTS_RECORD names: one record for every data folder built from one checkout
(the test suite builds a dozen). See DECISIONLOG.md#unit-tests-once-per-code.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from account_health.paths import PROJECT_DIR, Paths

#: Where the record is kept when it is not in the data folder (a path; shared by every data folder).
RECORD_ENV = "ACCOUNT_HEALTH_UNIT_TESTS_RECORD"

#: Project folders and files whose content the unit tests exercise.
CODE_PATHS = ("models", "macros", "python_models", "tests", "snapshots", "seeds", "dbt_project.yml")
#: Seed data is configuration, not code: a changed weight needs no unit-test run.
DATA_SUFFIXES = (".csv",)


def code_fingerprint() -> str:
    """sha256 over the relative path and bytes of every code file, in path order."""
    digest = hashlib.sha256()
    for name in CODE_PATHS:
        root = PROJECT_DIR / name
        files = [root] if root.is_file() else sorted(path for path in root.rglob("*") if path.is_file())
        for path in files:
            if path.suffix in DATA_SUFFIXES or "__pycache__" in path.parts:
                continue
            digest.update(str(path.relative_to(PROJECT_DIR)).encode())
            digest.update(b"\0")
            digest.update(path.read_bytes())
            digest.update(b"\0")
    return digest.hexdigest()


def _record(paths: Paths) -> Path:
    shared = os.environ.get(RECORD_ENV)
    return Path(shared) if shared else paths.data_dir / "dbt" / "unit-tests-passed.sha256"


def passed_on_current_code(paths: Paths) -> bool:
    """True when the last build that ran the unit tests (of this data folder, or of any when the record is
    shared) passed them on today's code."""
    record = _record(paths)
    return record.is_file() and record.read_text().strip() == code_fingerprint()


def record_passed(paths: Paths) -> None:
    """Note that a build of this data folder just passed the unit tests on today's code."""
    record = _record(paths)
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(code_fingerprint() + "\n")
