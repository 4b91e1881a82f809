"""Run one publish in its own process (for the SIGKILL test): python _publisher.py <data dir>."""

from __future__ import annotations

import sys
from pathlib import Path

from account_health.paths import Paths
from account_health.publish import publish

if __name__ == "__main__":
    publish(Paths(Path(sys.argv[1])))
