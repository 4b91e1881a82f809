"""Run a service (Dagster, the dashboard) in the foreground and stop all of it on SIGTERM or Ctrl-C.

The service runs in its own process group. SIGTERM or SIGINT to this process is passed on to the whole
group as SIGTERM, which gets `STOP_SECONDS` to exit before it is killed: a service manager's stop, or
Ctrl-C, ends every process of it in seconds (`dagster dev` alone can sit for a minute or more while its
children wind down, dagster-io/dagster#29165). Nothing the service started outlives the command.
"""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from types import FrameType

STOP_SECONDS = 10
#: How often the supervisor looks whether it was told to stop while the service runs.
POLL_SECONDS = 0.5


def supervise(command: Sequence[str], env: Mapping[str, str]) -> int:
    """Run `command` until it exits or this process is told to stop; its exit code, 0 when stopped."""
    process = subprocess.Popen(list(command), env=dict(env), start_new_session=True)
    stopping: list[int] = []

    def stop(signum: int, _frame: FrameType | None) -> None:
        stopping.append(signum)
        _signal_group(process, signal.SIGTERM)

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGTERM, signal.SIGINT)}
    try:
        # Short waits, not one wait without a timeout: a signal handler cannot end a wait already running
        # (Python retries the interrupted waitpid), so a stop during it would wait for the service however
        # long it takes to wind down, never killing it after STOP_SECONDS.
        kill_at: float | None = None
        while True:
            try:
                code = process.wait(timeout=POLL_SECONDS)
                break
            except subprocess.TimeoutExpired:
                if stopping and kill_at is None:
                    kill_at = time.monotonic() + STOP_SECONDS
                if kill_at is not None and time.monotonic() >= kill_at:
                    _signal_group(process, signal.SIGKILL)  # it had STOP_SECONDS to wind down
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
        _signal_group(process, signal.SIGKILL)  # nothing of the service outlives this command
    return 0 if stopping else code


def _signal_group(process: subprocess.Popen, sig: signal.Signals) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
