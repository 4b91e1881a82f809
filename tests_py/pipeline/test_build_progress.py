"""The build's progress: dbt says how many nodes a command will run, then each node as it finishes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from account_health.build import build
from account_health.paths import Paths


def test_the_build_announces_its_node_count_then_each_node(tmp_path: Path) -> None:
    events: list[tuple[str, str, str]] = []
    result = build(
        Paths(tmp_path / "data"),
        date(2026, 10, 31),
        select=["renewal_windows"],
        freshness=False,
        on_node=lambda kind, name, status: events.append((kind, name, status)),
    )
    assert result.success, result.problems
    kind, _, count = events[0]
    assert kind == "total"
    finished = events[1:]
    # the seed and its tests: as many nodes finished as announced
    assert len(finished) == int(count) == result.seeds.total + result.tests.total
    assert [name for kind, name, _ in finished if kind == "seed"] == ["renewal_windows"]
    assert result.tests.total >= 3
