"""`account-health dashboard` as a user starts it: it answers on its port, even before anything is
published, and SIGTERM stops it and its Streamlit server within seconds."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from account_health.paths import Paths


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _answers(port: int) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as response:
            return response.status == 200
    except OSError:
        return False


def test_the_command_serves_and_stops_on_sigterm(paths: Paths) -> None:
    port = _free_port()
    executable = Path(sys.executable).with_name("account-health")
    command = [str(executable), "dashboard", "--port", str(port), "--data-dir", str(paths.data_dir)]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=os.environ)
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            assert process.poll() is None, process.stdout.read().decode() if process.stdout else ""
            assert time.monotonic() < deadline, "the dashboard did not answer within 60 s"
            time.sleep(0.2)
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=15) == 0
        output = process.stdout.read().decode() if process.stdout else ""
        assert f"nothing published yet at {paths.serving_path}" in " ".join(output.split())
        assert not _answers(port), "the Streamlit server outlived the command"
    finally:
        if process.poll() is None:
            process.kill()
