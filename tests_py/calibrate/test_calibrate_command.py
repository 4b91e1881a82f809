"""`account-health calibrate` on a company whose health signal runs the wrong way.

The tiny company is generated with churn_signal -1: accounts whose latent health is high churn more.
Calibration must not hand back bands that run the wrong way on the held-out months (it either finds
components that still separate, with bands that run the right way, or merges the bands it cannot tell
apart and says so), and it must only write a proposal, never change the scorecard.
"""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import re
from collections import defaultdict
from decimal import Decimal

import duckdb
import pytest
from typer.testing import CliRunner

from account_health.build import build
from account_health.calibrate import calibrate
from account_health.cli import app
from account_health.paths import PROJECT_DIR, Paths

AS_OF = dt.date(2026, 10, 31)
SEED_WEIGHTS = PROJECT_DIR / "seeds" / "scorecard" / "health_weights.csv"


@pytest.fixture(scope="module")
def inverted(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    from account_health.generate import generate
    from account_health.land import land

    paths = Paths(tmp_path_factory.mktemp("calibrate") / "data")
    generate(paths.raw_dir, paths.ground_truth_dir, scale="tiny", seed=42, as_of=AS_OF, churn_signal=-1.0)
    land(paths.raw_dir, paths.warehouse_path, as_of=AS_OF)
    result = build(paths, AS_OF)
    assert result.success, result.problems
    return paths


def test_calibrate_writes_a_reviewable_proposal_and_applies_nothing(inverted: Paths) -> None:
    seed_before = SEED_WEIGHTS.read_bytes()
    with duckdb.connect(str(inverted.warehouse_path), read_only=True) as con:
        weights_before = con.execute("select * from config.health_weights order by all").fetchall()

    result = CliRunner().invoke(app, ["--data-dir", str(inverted.data_dir), "calibrate"])
    assert result.exit_code == 0, result.output
    folder = inverted.config_dir / "proposals" / "2026-11-01"
    assert re.search(r"proposal written to", result.output)
    assert {path.name for path in folder.iterdir()} == {
        "health_weights.csv",
        "health_bands.csv",
        "CALIBRATION.md",
    }

    # nothing applied: the seeds and the warehouse's scorecard are as they were
    assert SEED_WEIGHTS.read_bytes() == seed_before
    with duckdb.connect(str(inverted.warehouse_path), read_only=True) as con:
        assert con.execute("select * from config.health_weights order by all").fetchall() == weights_before

    # the new version: non-negative weights per segment adding up to exactly 1, dated the day after as-of
    with (folder / "health_weights.csv").open() as handle:
        rows = list(csv.DictReader(handle))
    sums: dict[str, Decimal] = defaultdict(Decimal)
    for row in rows:
        if row["valid_from"] == "2026-11-01":
            assert Decimal(row["weight"]) >= 0
            sums[row["scorecard_id"]] += Decimal(row["weight"])
    assert sums == {"enterprise": 1, "mid_market": 1, "smb": 1}
    old_rows = [row for row in rows if row["valid_from"] != "2026-11-01"]
    with SEED_WEIGHTS.open() as handle:
        assert len(old_rows) == len(list(csv.DictReader(handle)))


def test_calibration_never_leaves_bands_running_the_wrong_way(inverted: Paths) -> None:
    result = calibrate(inverted)
    # bands learned only from months whose outcome was known before the held-out months began
    assert result.train_to < result.test_from
    # the same held-out rows; a row whose fresh components all got weight 0 has no proposed score
    assert 0 < result.after.rows <= result.before.rows
    # on the held-out months churn falls from band to band (empty bands skipped), or the bands that
    # could not be told apart on the training months were merged and the proposal says so
    assert result.after.is_ordered(with_overrides=False)
    if not result.separable:
        assert "cannot separate" in result.cut.note or "merged" in result.cut.note


def test_an_adopted_proposal_is_a_new_scorecard_version_that_passes_the_seed_tests(inverted: Paths) -> None:
    """Runs last: it adopts the proposal into the company's config folder and builds the two seeds."""
    folder = inverted.config_dir / "proposals" / "2026-11-01"
    if not folder.exists():
        assert CliRunner().invoke(app, ["--data-dir", str(inverted.data_dir), "calibrate"]).exit_code == 0
    with (folder / "health_bands.csv").open() as handle:
        bands = list(csv.DictReader(handle))
    versions: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in bands:
        versions[row["valid_from"]].append(row)
    assert sorted(versions) == ["2020-01-01", "2026-11-01"]
    for rows in versions.values():
        # each version covers 0..100 without a gap: a band starts where the one below it ends
        rows.sort(key=lambda row: int(row["band_rank"]))
        assert [row["band"] for row in rows] == ["unhealthy", "not_so_healthy", "healthy"]
        assert float(rows[0]["min_score"]) == 0 and float(rows[-1]["max_score"]) == 100
        for lower, upper in itertools.pairwise(rows):
            assert lower["max_score"] == upper["min_score"]
            assert float(lower["min_score"]) <= float(lower["max_score"])

    scorecard = inverted.config_dir / "scorecard"
    scorecard.mkdir(parents=True, exist_ok=True)
    for name in ("health_bands.csv", "health_weights.csv"):
        (scorecard / name).write_bytes((folder / name).read_bytes())
    result = build(inverted, AS_OF, select=["health_bands", "health_weights"], freshness=False)
    assert result.success, result.problems
    with duckdb.connect(str(inverted.warehouse_path), read_only=True) as con:
        seeded = con.execute("select count(*), max(valid_from) from config.health_bands").fetchone()
    assert seeded == (6, dt.date(2026, 11, 1))
