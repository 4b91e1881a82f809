"""Changing a weight in the seed changes the next build's scores, with no SQL change."""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

from _health_build import AS_OF, build_health, copy_project, read

from account_health.paths import Paths

SCORES = (
    "select account_id, segment, score_date, health_score, scorecard_version "
    "from marts.fct_account_health_daily where score_date = date '2026-10-31' order by account_id"
)


def test_reweighting_a_component_rescores_only_its_segment(built_from_scratch: Paths, tmp_path: Path) -> None:
    # the scores before: the session's build from scratch with the project's seeds (conftest.py)
    before = {row[0]: row for row in read(built_from_scratch, SCORES)}
    project = copy_project(tmp_path / "project")
    paths = Paths(tmp_path / "data")
    paths.warehouse_path.parent.mkdir(parents=True)
    shutil.copy(built_from_scratch.warehouse_path, paths.warehouse_path)

    weights_file = project / "seeds" / "scorecard" / "health_weights.csv"
    with weights_file.open(newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        if row["scorecard_id"] == "smb" and row["component_id"] == "by_choice_active_rate_30d":
            row["weight"] = "60"
    with weights_file.open("w", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)

    build_health(project, paths, AS_OF, "--full-refresh")
    after = {row[0]: row for row in read(paths, SCORES)}

    assert after.keys() == before.keys()
    smb = [account for account, row in before.items() if row[1] == "smb" and row[3] is not None]
    others = [account for account, row in before.items() if row[1] != "smb"]
    assert smb and others
    assert any(after[account][3] != before[account][3] for account in smb)
    assert all(after[account][3] == before[account][3] for account in others)
