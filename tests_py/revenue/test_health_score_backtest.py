"""The backtest's AUC, outcome labels and time split, on inputs small enough to check by hand."""

from __future__ import annotations

import datetime as dt

import duckdb
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import roc_auc_score


def test_auc_by_hand(backtest_model) -> None:
    # Positives have risk 4 and 2, negatives 3 and 1: pairs (4>3, 4>1, 2>3 no, 2>1) = 3 of 4.
    assert backtest_model.mann_whitney_auc([4, 3, 2, 1], [True, False, True, False]) == 0.75
    assert backtest_model.mann_whitney_auc([1, 2, 3, 4], [False, False, True, True]) == 1.0
    # A tie counts half.
    assert backtest_model.mann_whitney_auc([1, 1], [True, False]) == 0.5
    # One class only: undefined, not 0.5.
    assert backtest_model.mann_whitney_auc([1, 2], [False, False]) is None


def test_auc_matches_sklearn_with_ties(backtest_model) -> None:
    rng = np.random.default_rng(3)
    risk = rng.integers(0, 10, size=500)
    outcome = rng.random(500) < 0.2
    assert backtest_model.mann_whitney_auc(risk, outcome) == pytest.approx(roc_auc_score(outcome, risk))


def _labels(backtest_model, horizon: int) -> pd.DataFrame:
    mrr = pd.DataFrame(
        {
            "account_id": ["X"] * 4 + ["Y"] * 4,
            "month_end": [
                dt.date(2025, 1, 31),
                dt.date(2025, 2, 28),
                dt.date(2025, 3, 31),
                dt.date(2025, 4, 30),
            ]
            * 2,
            "ending_mrr": [100, 100, 0, 0, 100, 80, 80, 80],
        }
    )
    relation = duckdb.connect().from_df(mrr)
    labels = relation.query("mrr", backtest_model.outcome_sql(horizon)).df()
    return labels.sort_values(["account_id", "month_end"]).reset_index(drop=True)


def test_outcome_labels_fully_observed_windows_only(backtest_model) -> None:
    labels = _labels(backtest_model, 2)
    # X: Jan window (Feb, Mar) reaches 0 -> churn; Feb window (Mar, Apr) -> churn.
    # Y: Jan window (Feb 80, Mar 80) < 100 -> contraction; Feb window (80, 80) -> nothing.
    # March and April windows are not fully observed (no May/June), X's zero months are not paying.
    assert labels[["account_id", "churn", "contraction"]].values.tolist() == [
        ["X", True, False],
        ["X", True, False],
        ["Y", False, True],
        ["Y", False, False],
    ]
    assert [str(d)[:10] for d in labels["month_end"]] == ["2025-01-31", "2025-02-28"] * 2


def test_boosted_model_trains_only_on_windows_closed_before_the_test(backtest_model) -> None:
    month_ends = [(pd.Timestamp("2025-01-31") + pd.offsets.MonthEnd(i)).date() for i in range(12)]
    rng = np.random.default_rng(0)
    rows = []
    for month_end in month_ends:
        for account in range(40):
            feature = rng.random()
            rows.append(
                {
                    "account_id": f"a{account}",
                    "month_end": month_end,
                    "health_score": 100 * feature,
                    "component_score": feature,
                    "churn": rng.random() < 0.5 * (1 - feature),
                    "contraction": rng.random() < 0.3,
                }
            )
    frame = pd.DataFrame(rows)
    params = {
        "backtest_test_months": "3",
        "gbm_max_iter": "20",
        "gbm_learning_rate": "0.1",
        "gbm_max_depth": "2",
        "forecast_random_seed": "1",
    }
    result = pd.DataFrame(backtest_model.boosted_rows(frame, ["component_score"], 3, params))
    boosted = result[(result["method"] == "gradient_boosting") & (result["outcome"] == "churn")].iloc[0]
    # Test month-ends: the last 3 (Oct, Nov, Dec 2025); a 3-month label must be closed by 31 Oct:
    # training month-ends up to 31 Jul, i.e. 7 month-ends x 40 accounts.
    assert boosted["test_from_month_end"] == dt.date(2025, 10, 31)
    assert boosted["train_to_month_end"] == dt.date(2025, 7, 31)
    assert boosted["train_row_count"] == 7 * 40
    assert boosted["account_count"] == 3 * 40
    assert 0.5 < boosted["auc"] <= 1
