"""Where a build's time went: dbt's own per-node timings from the data folder's `run_results.json`."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from account_health.build import dbt_dirs
from account_health.paths import Paths

SLOWEST = 12


def node_times(paths: Paths, slowest: int = SLOWEST) -> dict[str, Any]:
    """Seconds per resource type (model, test, seed, snapshot, unit_test) summed over the nodes of the last
    `dbt build` in this data folder, and its slowest nodes. Node seconds add up to more than the build's
    wall time when dbt runs two threads, and leave out its parse and per-run overhead."""
    target, _ = dbt_dirs(paths)
    results = json.loads((target / "run_results.json").read_text(encoding="utf-8"))["results"]
    by_type: dict[str, float] = defaultdict(float)
    counts: dict[str, int] = defaultdict(int)
    for result in results:
        kind = result["unique_id"].split(".")[0]
        by_type[kind] += result["execution_time"]
        counts[kind] += 1
    ranked = sorted(results, key=lambda result: result["execution_time"], reverse=True)[:slowest]
    return {
        "seconds_by_type": {kind: round(seconds, 1) for kind, seconds in sorted(by_type.items())},
        "nodes_by_type": dict(sorted(counts.items())),
        "slowest": [[_short(result["unique_id"]), round(result["execution_time"], 1)] for result in ranked],
    }


def _short(unique_id: str) -> str:
    """`model.account_health.fct_x` -> `fct_x`; other nodes keep their kind and drop a generic test's hash:
    `test.account_health.not_null_fct_x_id.1a2b3c4d5e` -> `test: not_null_fct_x_id`."""
    kind, _package, name, *_ = unique_id.split(".")
    return name if kind == "model" else f"{kind}: {name}"


def describe(times: dict[str, Any]) -> str:
    """One Markdown paragraph: node seconds per type, then the slowest nodes."""
    by_type = ", ".join(
        f"{kind} {seconds:,.1f} s ({times['nodes_by_type'][kind]})"
        for kind, seconds in times["seconds_by_type"].items()
    )
    slowest = ", ".join(f"{name} {seconds:.1f}" for name, seconds in times["slowest"])
    return f"node seconds by type (nodes): {by_type}; slowest (s): {slowest}"


if __name__ == "__main__":  # python -m bench.nodes DATA_DIR
    import sys

    print(describe(node_times(Paths(Path(sys.argv[1])))))
