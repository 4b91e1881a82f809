"""Where Dagster keeps its runs, schedules and logs: a persistent instance under the data folder.

`dagster dev` without DAGSTER_HOME uses a throwaway `.tmp_dagster_home_*` in the working directory, so the
schedule's state and the run history vanish on restart and the checkout collects temporary folders. The
instance lives in `<data dir>/dagster/` instead, with telemetry off (nothing waits on the network).
"""

from __future__ import annotations

from pathlib import Path

import yaml

from account_health.paths import Paths

#: The instance settings written on first use; a company's edits to the file are kept afterwards.
INSTANCE_SETTINGS = {
    "telemetry": {"enabled": False},
    "run_coordinator": {
        "module": "dagster.core.run_coordinator",
        "class": "QueuedRunCoordinator",
        "config": {"max_concurrent_runs": 1},  # one build at a time on the warehouse
    },
}


def dagster_home(paths: Paths) -> Path:
    """`<data dir>/dagster`, created with its dagster.yaml when missing."""
    home = paths.data_dir / "dagster"
    home.mkdir(parents=True, exist_ok=True)
    settings = home / "dagster.yaml"
    if not settings.exists():
        settings.write_text(
            "# Dagster instance of account-health (see account_health.orchestration.home)\n"
            + yaml.safe_dump(INSTANCE_SETTINGS, sort_keys=False)
        )
    return home.resolve()
