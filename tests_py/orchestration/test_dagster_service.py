"""`account-health dagster` as a CS team runs it: a persistent instance under the data folder with telemetry
off, the schedule on by default, and every Dagster process gone within seconds of a SIGTERM."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import yaml
from _processes import child_groups, group_alive, killed_on_exit, sigterm_timed

from account_health.orchestration.definitions import SCHEDULE_ENV, schedule_status, sensor_status
from account_health.orchestration.home import dagster_home
from account_health.paths import Paths

STARTUP_SECONDS = 180


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _up(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/server_info", timeout=2) as response:
            return response.status == 200
    except OSError:
        return False


def test_the_instance_lives_in_the_data_folder_with_telemetry_off(tmp_path: Path) -> None:
    paths = Paths(tmp_path / "data")
    home = dagster_home(paths)
    assert home == (tmp_path / "data" / "dagster").resolve()
    settings = yaml.safe_load((home / "dagster.yaml").read_text())
    assert settings["telemetry"] == {"enabled": False}
    # a company's edit to the file is kept
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n# mine\n")
    dagster_home(paths)
    assert (home / "dagster.yaml").read_text().endswith("# mine\n")


def test_the_schedule_runs_by_default_and_can_ship_stopped(monkeypatch) -> None:
    monkeypatch.delenv(SCHEDULE_ENV, raising=False)
    assert (schedule_status().value, sensor_status().value) == ("RUNNING", "RUNNING")
    monkeypatch.setenv(SCHEDULE_ENV, "stopped")
    assert (schedule_status().value, sensor_status().value) == ("STOPPED", "STOPPED")


@pytest.mark.slow
def test_sigterm_stops_every_dagster_process_and_leaves_nothing_in_the_working_folder(tmp_path: Path) -> None:
    port = _free_port()
    workdir = tmp_path / "checkout"
    workdir.mkdir()
    command = [
        str(Path(sys.executable).with_name("account-health")),
        "--data-dir",
        str(tmp_path / "data"),
        "dagster",
        "--port",
        str(port),
    ]
    process = subprocess.Popen(
        command, cwd=workdir, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    with killed_on_exit(process) as groups:
        deadline = time.monotonic() + STARTUP_SECONDS
        while not _up(port):
            assert process.poll() is None, process.stdout.read()
            assert time.monotonic() < deadline, "dagster did not start"
            time.sleep(1)
        groups |= child_groups(process)
        assert groups, "dagster runs in its own process group"

        code, stopped_in = sigterm_timed(process)
        assert code == 0
        assert stopped_in < 30
        deadline = time.monotonic() + 15  # killed children are reaped by init a moment later
        while any(group_alive(pgid) for pgid in groups) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not any(group_alive(pgid) for pgid in groups)
    assert not _up(port)
    assert list(workdir.iterdir()) == []  # no .tmp_dagster_home_* in the checkout
    assert (tmp_path / "data" / "dagster" / "dagster.yaml").exists()
