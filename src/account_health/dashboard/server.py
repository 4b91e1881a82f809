"""`account-health dashboard`: run the Streamlit app on a data folder's serving database.

Streamlit runs headless (no browser opened), bound to one address, with usage statistics off and no file
watcher, so it reaches no network and never reloads the code under a user. The app learns the data folder
from its environment, as Dagster's definitions do.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from account_health.config import CONFIG_DIR_ENV
from account_health.paths import Paths
from account_health.supervise import supervise

APP = Path(__file__).with_name("app.py")
READY_SECONDS = 60


def streamlit_command(port: int, address: str = "127.0.0.1") -> list[str]:
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--server.fileWatcherType",
        "none",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
        "--client.toolbarMode",
        "viewer",
        "--theme.base",
        "light",
    ]


def streamlit_environment(paths: Paths) -> dict[str, str]:
    return {
        **os.environ,
        "ACCOUNT_HEALTH_DATA_DIR": str(paths.data_dir),
        CONFIG_DIR_ENV: str(paths.config_dir),
        # belt and braces: the same switches as environment variables, for any child Streamlit starts
        "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
        "STREAMLIT_SERVER_HEADLESS": "true",
    }


def serve(paths: Paths, port: int, address: str = "127.0.0.1") -> int:
    """Run the dashboard in the foreground until it exits or this process gets SIGTERM or Ctrl-C, which
    stop Streamlit (`account_health.supervise`); its exit code, 0 when stopped."""
    return supervise(streamlit_command(port, address), streamlit_environment(paths))


def start(paths: Paths, port: int, log: Path, address: str = "127.0.0.1") -> subprocess.Popen[bytes]:
    """Start the dashboard in the background, its output in `log`, and return once it answers (for tests
    and screenshots). The caller stops it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as output:
        process = subprocess.Popen(
            streamlit_command(port, address),
            env=streamlit_environment(paths),
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + READY_SECONDS
    url = f"http://{address}:{port}/_stcore/health"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = log.read_text(errors="replace").strip()
            raise RuntimeError(f"the dashboard exited with {process.returncode}: {output}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return process
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    process.kill()
    raise RuntimeError(f"the dashboard did not answer on {url} within {READY_SECONDS} s")
