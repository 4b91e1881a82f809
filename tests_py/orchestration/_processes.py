"""Stopping a service under test: SIGTERM timed, and nothing left running when a test fails half-way."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager


def group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def child_groups(process: subprocess.Popen) -> set[int]:
    """The process groups of `process`'s children (a supervisor starts each service in a group of its own)."""
    listed = subprocess.run(["ps", "-o", "pgid=", "--ppid", str(process.pid)], capture_output=True, text=True)
    return {int(pgid) for pgid in listed.stdout.split()}


def sigterm_timed(process: subprocess.Popen, timeout: float = 60) -> tuple[int, float]:
    """Send SIGTERM and wait: the exit code and the seconds the process took to stop."""
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    code = process.wait(timeout=timeout)
    return code, time.monotonic() - started


@contextmanager
def killed_on_exit(process: subprocess.Popen, groups: set[int] | None = None) -> Iterator[set[int]]:
    """Kill `process` and every group added to the yielded set if they still run when the block ends."""
    groups = set() if groups is None else groups
    try:
        yield groups
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        for pgid in groups:
            if group_alive(pgid):
                os.killpg(pgid, signal.SIGKILL)
