"""`dbt parse` (run by build_definitions) needs no warehouse, and an interrupt is never a "parse failure".

The end-to-end Dagster test once failed with `dbt parse failed:` and an empty message on a busy machine.
After a Dagster in-process run, SIGTERM is mapped to Python's KeyboardInterrupt (Dagster's interrupt
handling sets SIGTERM's handler to SIGINT's), and dbtRunner catches every BaseException: a SIGTERM during
the parse (a time limit on a slow machine) came back as a failed parse whose exception had no message.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
from pathlib import Path

from account_health import build
from account_health.paths import Paths


def test_parse_does_not_open_the_warehouse_even_when_another_process_holds_it(tmp_path: Path):
    paths = Paths(tmp_path / "data")
    paths.warehouse_path.parent.mkdir(parents=True)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; con = duckdb.connect(sys.argv[1]); print('ready', flush=True); "
            "time.sleep(300)",
            str(paths.warehouse_path),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        manifest = build.parse(paths, tmp_path / "target")
        assert manifest.exists()
        assert not (tmp_path / "target" / "parse-only.duckdb").exists()  # the profile's path, never opened
    finally:
        holder.kill()
        holder.wait()


def test_an_interrupt_during_parse_is_raised_not_reported_as_a_failed_parse(tmp_path: Path):
    """SIGTERM mapped to KeyboardInterrupt (what Dagster leaves after execute_in_process), sent every 0.25 s
    while the parse runs: one that lands in a finalizer is swallowed by Python, the next one must surface
    from `parse` as KeyboardInterrupt, not as "dbt parse failed"."""
    done = threading.Event()

    def interrupt(_signum, _frame) -> None:
        if not done.is_set():
            raise KeyboardInterrupt

    def keep_sending() -> None:
        while not done.wait(0.25):
            signal.raise_signal(signal.SIGTERM)

    original = signal.signal(signal.SIGTERM, interrupt)
    sender = threading.Thread(target=keep_sending, daemon=True)
    caught: BaseException | None = None
    try:
        sender.start()
        try:
            build.parse(Paths(tmp_path / "data"), tmp_path / "target")
        except KeyboardInterrupt as error:
            done.set()
            caught = error
    finally:
        done.set()
        sender.join()
        signal.signal(signal.SIGTERM, original)
    assert isinstance(caught, KeyboardInterrupt)
