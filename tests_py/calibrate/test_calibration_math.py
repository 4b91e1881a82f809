"""The calibration's math on fixtures small enough to work out by hand."""

from __future__ import annotations

import numpy as np
import pytest

from account_health.calibrate.evaluate import band_rows, with_overrides
from account_health.calibrate.fit import (
    auc,
    band_of,
    choose_band_cuts,
    fit_weights,
    round_to_sum_one,
    weighted_score,
)

NAN = np.nan


def test_weighted_score_is_the_weighted_mean_of_the_fresh_components() -> None:
    scores = np.array([[100.0, 0.0, 50.0], [100.0, NAN, 50.0], [NAN, NAN, NAN]])
    weights = np.array([0.5, 0.25, 0.25])
    # row 1: 50 + 0 + 12.5 = 62.5; row 2: (50 + 12.5) / 0.75 = 83.333...; row 3: nothing fresh
    result = weighted_score(scores, weights)
    assert result[0] == pytest.approx(62.5)
    assert result[1] == pytest.approx(83.3333333)
    assert np.isnan(result[2])


def test_weights_round_to_four_decimals_and_still_sum_to_one() -> None:
    rounded = round_to_sum_one(np.array([1.0, 1.0, 1.0]))
    assert rounded.tolist() == [0.3334, 0.3333, 0.3333]
    assert round(rounded.sum(), 10) == 1.0


def _step_curve(rates: dict[range, int]) -> tuple[np.ndarray, np.ndarray]:
    """Ten account-months at each integer score, `churners` of them churned (exact, no noise)."""
    scores, churned = [], []
    for span, churners in rates.items():
        for score in span:
            scores += [float(score)] * 10
            churned += [True] * churners + [False] * (10 - churners)
    return np.array(scores), np.array(churned)


def test_band_cuts_land_where_the_churn_rate_steps() -> None:
    # 50% churn below 30, 20% from 30 to 69, 0% from 70: the likelihood is highest at 30 and 70
    score, churned = _step_curve({range(0, 30): 5, range(30, 70): 2, range(70, 100): 0})
    cut = choose_band_cuts(score, churned, min_share=0.1, min_z=1.96)
    assert (cut.low, cut.high, cut.separable) == (30.0, 70.0, True)
    assert band_of(np.array([29.9, 30.0, 69.99, 70.0, NAN]), cut)[:4].tolist() == [1, 2, 2, 3]


def test_inverted_or_flat_churn_cannot_be_separated_and_says_so() -> None:
    inverted_score, inverted = _step_curve({range(0, 50): 1, range(50, 100): 4})
    cut = choose_band_cuts(inverted_score, inverted, min_share=0.1, min_z=1.96)
    assert not cut.separable
    assert cut.note.startswith("cannot separate")
    # everything in not_so_healthy: no band can run the wrong way
    assert set(band_of(inverted_score[inverted_score < 100], cut).tolist()) == {2.0}

    flat_score, flat = _step_curve({range(0, 100): 2})
    assert not choose_band_cuts(flat_score, flat, min_share=0.1, min_z=1.96).separable


def test_weights_are_non_negative_sum_to_one_and_drop_a_component_that_runs_the_wrong_way() -> None:
    rng = np.random.default_rng(7)
    good = rng.uniform(0, 100, 4000)
    wrong = rng.uniform(0, 100, 4000)
    # churn falls with `good` and rises with `wrong`: a weight on `wrong` could only hurt
    churn_probability = 1 / (1 + np.exp(-(-1.0 - 0.04 * (good - 50) + 0.02 * (wrong - 50))))
    churned = rng.uniform(size=4000) < churn_probability
    scores = np.column_stack([good, wrong, np.full(4000, NAN)])
    weights = fit_weights(scores, churned, np.array([1.0, 1.0, 1.0]), ridge=0.0, min_weight=0.01)
    assert weights.tolist() == [1.0, 0.0, 0.0]
    assert auc(100 - weighted_score(scores, weights), churned) > 0.7


def test_overrides_lower_a_band_never_raise_it_and_band_rows_count_by_hand() -> None:
    assert with_overrides(np.array([3.0, 1.0, 2.0]), np.array([1.0, 2.0, NAN])).tolist() == [1, 1, 2]
    rows = band_rows(np.array([1.0, 1.0, 2.0, 3.0, 3.0, 3.0]), np.array([1, 0, 0, 1, 0, 0], dtype=bool))
    # overall 2/6; unhealthy 1/2 -> lift 1.5; not_so_healthy 0/1; healthy 1/3 -> lift 1.0
    assert [(row.band, row.rows, row.churned) for row in rows] == [
        ("unhealthy", 2, 1),
        ("not_so_healthy", 1, 0),
        ("healthy", 3, 1),
    ]
    assert rows[0].lift == pytest.approx(1.5)
    assert rows[2].lift == pytest.approx(1.0)


def test_bands_running_the_wrong_way_on_held_out_months_are_merged_and_said_so() -> None:
    from account_health.calibrate.evaluate import evaluate
    from account_health.calibrate.fit import BandCut
    from account_health.calibrate.run import _merge_disordered

    # held out: unhealthy 1 of 10 churned, not_so_healthy 3 of 10, healthy 1 of 10: the lowest band
    # churns less than the middle one, so it is merged; the merged 4/20 still beats healthy's 1/10
    score = np.array([10.0] * 10 + [50.0] * 10 + [90.0] * 10)
    churned = np.array(([True] + [False] * 9) + ([True] * 3 + [False] * 7) + ([True] + [False] * 9))
    cut = BandCut(40.0, 70.0, True, "")
    held_out = evaluate(score, band_of(score, cut), np.full(30, NAN), churned)
    assert not held_out.is_ordered(with_overrides=False)
    merged = _merge_disordered(cut, held_out)
    assert (merged.low, merged.high, merged.separable) == (0.0, 70.0, False)
    assert "cannot separate" in merged.note
    assert evaluate(score, band_of(score, merged), np.full(30, NAN), churned).is_ordered(with_overrides=False)
