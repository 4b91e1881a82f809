"""Publish against real reader processes and a real SIGKILL, as BI tools and schedulers will do."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import duckdb

from account_health.paths import Paths
from account_health.publish import PAUSE_ENV, publish

HERE = Path(__file__).parent
READERS = 6


def _wait_for(condition, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("condition not met in time")
        time.sleep(0.02)


def _version(paths: Paths) -> int:
    con = duckdb.connect(str(paths.serving_path), read_only=True)
    try:
        return con.execute("select version from meta").fetchone()[0]
    finally:
        con.close()


def test_readers_never_fail_while_publishes_swap_the_file(paths, tmp_path, marts_writer):
    marts_writer(1)
    publish(paths)
    stop = tmp_path / "stop"
    outs = [tmp_path / f"reader-{index}.json" for index in range(READERS)]
    readers = [
        subprocess.Popen(
            [sys.executable, str(HERE / "_reader.py"), "loop", str(paths.serving_path), str(stop), str(out)]
        )
        for out in outs
    ]
    try:
        for version in range(2, 14):
            marts_writer(version)
            publish(paths)
    finally:
        stop.touch()
        for reader in readers:
            reader.wait(timeout=60)

    results = [json.loads(out.read_text()) for out in outs]
    assert [result["errors"] for result in results] == [[]] * READERS
    assert all(result["reads"] > 0 for result in results)
    seen = set().union(*(result["versions"] for result in results))
    assert len(seen) > 1, "readers should have seen several published versions"
    assert _version(paths) == 13


def test_a_reader_holding_the_file_open_keeps_its_snapshot_across_a_swap(paths, tmp_path, marts_writer):
    marts_writer(2)
    publish(paths)
    go, out = tmp_path / "go", tmp_path / "hold.json"
    reader = subprocess.Popen(
        [sys.executable, str(HERE / "_reader.py"), "hold", str(paths.serving_path), str(go), str(out)]
    )
    _wait_for(out.with_suffix(".ready").exists)

    marts_writer(3)
    publish(paths)  # os.replace while the reader has the old inode open
    go.touch()
    assert reader.wait(timeout=60) == 0

    assert json.loads(out.read_text()) == {"before": 2, "same": 2, "reopen": 3}


def test_a_publish_killed_mid_way_leaves_serving_intact_and_the_next_one_recovers(paths, marts_writer):
    marts_writer(2)
    publish(paths)
    marts_writer(5)
    env = {**os.environ, PAUSE_ENV: "60"}
    publisher = subprocess.Popen([sys.executable, str(HERE / "_publisher.py"), str(paths.data_dir)], env=env)
    try:
        # The pause comes after the temporary database has been written, before audit and swap.
        _wait_for(lambda: any(paths.serving_dir.glob("account_health.duckdb.tmp-*")))
        time.sleep(0.5)
    finally:
        publisher.send_signal(signal.SIGKILL)
        publisher.wait(timeout=30)
    assert publisher.returncode == -signal.SIGKILL

    leftovers = list(paths.serving_dir.glob("*.tmp-*"))
    assert leftovers, "the killed publish should have left its temporary files behind"
    assert _version(paths) == 2  # serving untouched and readable

    result = publish(paths)

    assert _version(paths) == 5
    assert result.row_counts["dim_accounts"] == 5
    assert not [leftover for leftover in leftovers if leftover.exists()]
    assert not list(paths.serving_dir.glob("*.tmp-*"))
