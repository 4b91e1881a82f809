"""Results on too little evidence are marked `insufficient`, never published as a bare number; churn
labels come from int_account_churns_identified. Every value below is worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

D = dt.date


def _backtest_rows() -> pd.DataFrame:
    base = {"month_end": None, "horizon_months": 6, "health_band": None, "lift": np.nan, "note": None}
    rows = [
        # pooled churn: 29 churns < 30 -> insufficient, the band row in the same scope too
        {**base, "scope": "pooled", "outcome": "churn", "metric": "auc", "method": "health_score",
         "outcome_count": 29, "outcome_rate": 0.029, "auc": 0.8},
        {**base, "scope": "pooled", "outcome": "churn", "metric": "band_outcome_rate",
         "method": "health_band", "health_band": "healthy", "outcome_count": 5, "outcome_rate": 0.01,
         "lift": 0.5, "auc": np.nan},
        # pooled contraction: exactly 30 -> ok
        {**base, "scope": "pooled", "outcome": "contraction", "metric": "auc", "method": "health_score",
         "outcome_count": 30, "outcome_rate": 0.03, "auc": 0.7},
        # test months: 40 churns; the boosted row is judged by its scope's count
        {**base, "scope": "pooled_test", "outcome": "churn", "metric": "auc", "method": "health_score",
         "outcome_count": 40, "outcome_rate": 0.04, "auc": 0.75},
        {**base, "scope": "pooled_test", "outcome": "churn", "metric": "auc",
         "method": "gradient_boosting", "outcome_count": 40, "outcome_rate": 0.04, "auc": 0.9},
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_backtest_rows_with_fewer_outcomes_than_the_minimum_publish_no_auc_or_lift(backtest_model):
    result = backtest_model.mark_insufficient(_backtest_rows(), min_outcomes=30)
    assert result["result_status"].tolist() == ["insufficient", "insufficient", "ok", "ok", "ok"]
    assert result["auc"].isna().tolist() == [True, True, False, False, False]
    assert result["auc"].iloc[2:].tolist() == [0.7, 0.75, 0.9]
    assert np.isnan(result["lift"].iloc[1])
    assert result["outcome_rate"].iloc[1] == 0.01  # counts and rates are facts: kept
    assert result["note"].iloc[0] == "insufficient: 29 outcomes in scope, fewer than the 30 needed"
    assert pd.isna(result["note"].iloc[2])


def test_churn_labels_come_from_the_churn_model_and_drop_months_inside_a_churn(backtest_model):
    outcomes = pd.DataFrame(
        [
            ("A", D(2025, 12, 31), 1, False),
            ("A", D(2026, 1, 31), 1, False),
            ("A", D(2026, 2, 28), 1, False),
            ("B", D(2026, 1, 31), 3, True),
            ("C", D(2025, 12, 31), 1, False),
            ("C", D(2026, 1, 31), 1, False),
        ],
        columns=["account_id", "month_end", "horizon_months", "churn"],
    )
    churns = pd.DataFrame(
        [
            ("A", D(2026, 2, 10), D(2026, 2, 28), None),
            ("C", D(2025, 11, 5), D(2025, 11, 30), D(2026, 1, 15)),
        ],
        columns=["account_id", "churned_on", "churn_month_end", "reactivated_on"],
    )
    labelled = backtest_model.label_churns(outcomes, churns)
    # A: churn month Feb 2026 is in (Jan 31, Feb 28] only; at Feb 28 A is gone (dropped).
    # B: MRR said churn, but no churn on record for B -> not churned.
    # C: inside its churn on Dec 31 (dropped), back on Jan 15 -> paying and not churning on Jan 31.
    assert labelled[["account_id", "month_end", "churn"]].values.tolist() == [
        ["A", D(2025, 12, 31), False],
        ["A", D(2026, 1, 31), True],
        ["B", D(2026, 1, 31), False],
        ["C", D(2026, 1, 31), False],
    ]


EVIDENCE = {
    "forecast_min_outcome_windows": 30.0,
    "forecast_min_nrr_rate": 0.5,
    "forecast_max_nrr_rate": 1.5,
}


def test_forecasts_history_cannot_support_are_insufficient(forecast_model):
    numbers = dict.fromkeys(forecast_model.FORECAST_COLUMNS, 0.9)
    frame = pd.DataFrame(
        [
            {**numbers, "segment": "none", "nrr_forecast_rate": np.nan, "history_outcome_window_count": pd.NA,
             "note": "not enough closed history windows"},
            {**numbers, "segment": "few", "nrr_forecast_rate": 1.0, "history_outcome_window_count": 10,
             "note": None},
            {**numbers, "segment": "wild", "nrr_forecast_rate": 3.2, "history_outcome_window_count": 100,
             "note": None},
            {**numbers, "segment": "fine", "nrr_forecast_rate": 0.95, "history_outcome_window_count": 100,
             "note": "rates learned on 6-month windows"},
        ]
    )  # fmt: skip
    result = forecast_model.mark_insufficient(frame, EVIDENCE)
    assert result["forecast_status"].tolist() == ["insufficient", "insufficient", "insufficient", "ok"]
    assert result["note"].tolist() == [
        "insufficient: not enough closed history windows to learn from",
        "insufficient: 10 history windows with churn, contraction or expansion, fewer than the 30 needed",
        "insufficient: a forecast of 320% is outside what history can support (50% to 150%)",
        "rates learned on 6-month windows",
    ]
    for column in forecast_model.FORECAST_COLUMNS:
        assert result[column].iloc[:3].isna().all(), column
    assert result["nrr_forecast_rate"].iloc[3] == pytest.approx(0.95)
    assert result["grr_forecast_rate"].iloc[3] == pytest.approx(0.9)
