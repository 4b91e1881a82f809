"""Run pipeline.run in its own process, logging each step start to a file (for the SIGKILL test).

python _run_pipeline.py <data dir> <as-of> <steps log>
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

from account_health.paths import Paths
from account_health.pipeline import Progress, run


def main() -> None:
    data_dir, as_of, log = sys.argv[1:4]

    def on_event(event: Progress) -> None:
        if event.phase == "start":
            with open(log, "a") as handle:
                handle.write(event.step + "\n")

    run(Paths(Path(data_dir)), date.fromisoformat(as_of), progress=on_event)


if __name__ == "__main__":
    main()
