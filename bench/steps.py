"""Each pipeline step as its own `account-health` subprocess: wall seconds and the peak RSS of that process
(and of anything it waited for), read from `os.wait4`'s resource usage by a small launcher (bench/measure.py,
which says why), so one step's memory is never mixed with another's or with the bench's own."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class StepRun:
    seconds: float
    peak_rss_bytes: int


class StepFailed(RuntimeError):
    pass


def cli_command() -> list[str]:
    """The installed entry point of the bench's own environment (the venv's `account-health`)."""
    script = Path(sys.executable).parent / "account-health"
    return [str(script)] if script.exists() else [sys.executable, "-m", "account_health"]


def run_cli(args: list[str], log: Path) -> StepRun:
    """Run `account-health ARGS` once, its output into `log`; raise with the log's tail when it fails."""
    log.parent.mkdir(parents=True, exist_ok=True)
    measured = log.with_suffix(".rusage.json")
    env = {**os.environ, "COLUMNS": "120"}
    launcher = [sys.executable, "-S", str(Path(__file__).with_name("measure.py")), str(measured)]
    with log.open("w", encoding="utf-8") as out:
        code = subprocess.run(
            [*launcher, *cli_command(), *args], stdout=out, stderr=subprocess.STDOUT, env=env, check=False
        ).returncode
    if code != 0:
        tail = "\n".join(log.read_text(encoding="utf-8", errors="replace").splitlines()[-15:])
        raise StepFailed(f"account-health {' '.join(args)} exited {code}:\n{tail}")
    usage = json.loads(measured.read_text(encoding="utf-8"))
    return StepRun(seconds=usage["seconds"], peak_rss_bytes=usage["peak_rss_bytes"])
