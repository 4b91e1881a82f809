"""`account-health dagster`: run `dagster dev` on a data folder and stop it cleanly on SIGTERM or Ctrl-C.

`dagster dev` starts a web server, a daemon and code servers; on SIGTERM it can sit for a minute or more
while its children wind down (dagster-io/dagster#29165 sees the same). It runs under
`account_health.supervise`: its whole process group is stopped within `STOP_SECONDS`.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from account_health.config import CONFIG_DIR_ENV
from account_health.orchestration.home import dagster_home
from account_health.paths import Paths
from account_health.supervise import supervise


def dagster_command(port: int) -> list[str]:
    executable = Path(sys.executable).with_name("dagster")
    return [str(executable), "dev", "-m", "account_health.orchestration.definitions", "--port", str(port)]


def dagster_environment(paths: Paths) -> dict[str, str]:
    return {
        **os.environ,
        "DAGSTER_HOME": str(dagster_home(paths)),
        "ACCOUNT_HEALTH_DATA_DIR": str(paths.data_dir),
        **({CONFIG_DIR_ENV: str(paths.config_dir)} if paths.config_option else {}),
    }


def serve(paths: Paths, port: int) -> int:
    """Run Dagster until it exits or this process is told to stop; return its exit code (0 when stopped)."""
    return supervise(dagster_command(port), dagster_environment(paths))
