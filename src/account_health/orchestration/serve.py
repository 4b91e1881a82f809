"""`account-health dagster`: run `dagster dev` on a data folder and stop it cleanly on SIGTERM or Ctrl-C.

`dagster dev` starts a web server, a daemon and code servers; on SIGTERM it can sit for a minute or more
while its children wind down (dagster-io/dagster#29165 sees the same). Here it runs in its own process
group: SIGTERM or SIGINT to this process is passed on to the whole group, which gets `STOP_SECONDS` to
exit before it is killed, so a service manager's stop, or Ctrl-C, ends every Dagster process in seconds.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path
from types import FrameType

from account_health.config import CONFIG_DIR_ENV
from account_health.orchestration.home import dagster_home
from account_health.paths import Paths

STOP_SECONDS = 10


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
    process = subprocess.Popen(dagster_command(port), env=dagster_environment(paths), start_new_session=True)
    stopping: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)
        _signal_group(process, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        while True:
            try:
                code = process.wait(timeout=STOP_SECONDS if stopping else None)
                break
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)  # it had STOP_SECONDS to wind down
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _signal_group(process, signal.SIGKILL)  # nothing of Dagster outlives this command
    return 0 if stopping else code


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
