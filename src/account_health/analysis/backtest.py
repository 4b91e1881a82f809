"""The health-score backtest of fct_health_score_backtest (DECISIONLOG.md#score-backtest): labels, AUC, band
rates, calibration and the gradient-boosting comparison.

See the model's docstring (python_models/marts/health/fct_health_score_backtest.py) for the method.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.stats import rankdata

OUTCOMES = ("churn", "contraction")


def mann_whitney_auc(risk: np.ndarray, outcome: np.ndarray) -> float | None:
    """P(risk of a random positive > risk of a random negative), ties counted half; None if one class."""
    risk = np.asarray(risk, dtype=float)
    outcome = np.asarray(outcome, dtype=bool)
    positives = int(outcome.sum())
    negatives = int(len(outcome) - positives)
    if positives == 0 or negatives == 0:
        return None
    ranks = rankdata(risk)
    return float((ranks[outcome].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def score_buckets(scores: pd.Series, bucket_count: int) -> pd.Series:
    """Equal-count buckets 1..bucket_count by score rank (ties share the average rank)."""
    pct = rankdata(scores.to_numpy(), method="average") / len(scores)
    return pd.Series(np.minimum(np.ceil(pct * bucket_count), bucket_count).astype(int), index=scores.index)


def mark_insufficient(result: pd.DataFrame, min_outcomes: int) -> pd.DataFrame:
    """`insufficient` instead of a bare number: a row whose scope saw fewer than `min_outcomes` outcomes.

    The scope's outcome count is the auc row's (same scope, month-end, horizon and outcome); a band or
    calibration row inherits it, since its lift divides by the scope's rate. An insufficient row keeps
    its counts (they are facts) but publishes no auc and no lift, and says why in `note`.
    """
    result = result.copy()
    # one text key per scope (month_end is a date or null), so the lookup works whatever the dtypes
    columns = ["scope", "month_end", "horizon_months", "outcome"]
    scope = pd.Series(
        ["|".join(map(str, values)) for values in result[columns].itertuples(index=False)], index=result.index
    )
    is_scope_row = (result["metric"] == "auc") & (result["method"] == "health_score")
    counts = result.loc[is_scope_row, "outcome_count"].groupby(scope[is_scope_row]).max()
    result["scope_outcome_count"] = scope.map(counts)
    insufficient = result["scope_outcome_count"].fillna(0) < min_outcomes
    result["result_status"] = np.where(insufficient, "insufficient", "ok")
    result["note"] = result["note"].astype("object")
    result.loc[insufficient, ["auc", "lift"]] = np.nan
    reason = (
        result["scope_outcome_count"]
        .fillna(0)
        .astype(int)
        .map(lambda count: f"insufficient: {count} outcomes in scope, fewer than the {min_outcomes} needed")
    )
    result.loc[insufficient, "note"] = reason[insufficient]
    result["note"] = result["note"].astype("string")
    return result.drop(columns="scope_outcome_count")


def outcome_sql(horizon: int) -> str:
    """Labels for each paying account-month whose h-month window is fully observed (dense MRR spine).

    `churn` here is MRR reaching 0 only; the model replaces it with `label_churns` (all evidence).
    """
    frame = f"partition by account_id order by month_end rows between 1 following and {horizon} following"
    return f"""
        with windows as (
            select
                account_id,
                month_end,
                ending_mrr,
                count(*) over ({frame}) as months_observed,
                min(ending_mrr) over ({frame}) as min_next_mrr,
                min(case when ending_mrr > 0 then ending_mrr end) over ({frame}) as min_next_positive_mrr
            from mrr
        )
        select
            account_id,
            month_end,
            {horizon} as horizon_months,
            cast(ending_mrr as double) as mrr,
            min_next_mrr = 0 as churn,
            coalesce(min_next_positive_mrr < ending_mrr, false) as contraction
        from windows
        where ending_mrr > 0 and months_observed = {horizon}
    """


def label_churns(outcomes: pd.DataFrame, churns: pd.DataFrame) -> pd.DataFrame:
    """Churn labels from int_account_churns_identified (pure; tested in pytest).

    An account-month M inside a churn (churned on or before M, not back by M) is not paying and is
    dropped; any other is labelled churned when a churn's month-end falls in (M, M + horizon].
    """
    month_end = pd.to_datetime(outcomes["month_end"])
    horizon_end = [
        (stamp + pd.DateOffset(months=int(months))) + pd.offsets.MonthEnd(0)
        for stamp, months in zip(month_end, outcomes["horizon_months"], strict=True)
    ]
    frame = outcomes.assign(_row=range(len(outcomes)), _m=month_end, _end=horizon_end)
    pairs = frame[["_row", "account_id", "_m", "_end"]].merge(churns, on="account_id", how="inner")
    if pairs.empty:  # no churn of a scored account (or nothing scored): no label set, nobody left out
        return outcomes.assign(churn=False).reset_index(drop=True)
    churned_on = pd.to_datetime(pairs["churned_on"])
    back_on = pd.to_datetime(pairs["reactivated_on"])
    inside = (churned_on <= pairs["_m"]) & (back_on.isna() | (back_on > pairs["_m"]))
    month = pd.to_datetime(pairs["churn_month_end"])
    in_window = (month > pairs["_m"]) & (month <= pairs["_end"])
    gone = set(pairs.loc[inside, "_row"])
    churned = set(pairs.loc[in_window, "_row"])
    labelled = frame.assign(churn=frame["_row"].isin(churned))
    labelled = labelled[~labelled["_row"].isin(gone)]
    return labelled.drop(columns=["_row", "_m", "_end"]).reset_index(drop=True)


def rows_for_scope(frame: pd.DataFrame, scope: str, month_end, horizon: int, bucket_count: int) -> list[dict]:
    """AUC, band rates and (pooled only) calibration of the score on one set of account-months."""
    rows: list[dict] = []
    base = {"scope": scope, "month_end": month_end, "horizon_months": horizon}
    for outcome in OUTCOMES:
        labels = frame[outcome].to_numpy()
        overall_rate = float(labels.mean()) if len(labels) else None
        rows.append(
            {
                **base,
                "outcome": outcome,
                "metric": "auc",
                "method": "health_score",
                "account_count": len(frame),
                "outcome_count": int(labels.sum()),
                "outcome_rate": overall_rate,
                "auc": mann_whitney_auc(100 - frame["health_score"].to_numpy(), labels),
            }
        )
        for band, group in frame.groupby("health_band", dropna=False):
            rate = float(group[outcome].mean())
            rows.append(
                {
                    **base,
                    "outcome": outcome,
                    "metric": "band_outcome_rate",
                    "method": "health_band",
                    "health_band": None if pd.isna(band) else str(band),
                    "account_count": len(group),
                    "outcome_count": int(group[outcome].sum()),
                    "outcome_rate": rate,
                    "lift": rate / overall_rate if overall_rate else None,
                    "mean_score": float(group["health_score"].mean()),
                }
            )
        if scope == "pooled" and len(frame):
            buckets = score_buckets(frame["health_score"], bucket_count)
            for bucket, group in frame.groupby(buckets):
                rows.append(
                    {
                        **base,
                        "outcome": outcome,
                        "metric": "calibration",
                        "method": "health_score",
                        "score_bucket": int(bucket),
                        "account_count": len(group),
                        "outcome_count": int(group[outcome].sum()),
                        "outcome_rate": float(group[outcome].mean()),
                        "lift": float(group[outcome].mean()) / overall_rate if overall_rate else None,
                        "mean_score": float(group["health_score"].mean()),
                    }
                )
    return rows


def boosted_rows(
    frame: pd.DataFrame, features: list[str], horizon: int, params: dict[str, Any]
) -> list[dict]:
    """Time-split gradient boosting vs the score on the same test month-ends.

    The fits run on one OpenMP thread: inside a build, DuckDB and dbt's other thread hold the cores, and
    OpenMP's spin-waiting workers then wait on each other (a daily demo build spent 36.5 s here, the same
    fits alone on an idle machine 0.9 s; on one thread 5.8 s under the same load). The month-end rows are
    few (accounts x months), so one thread is enough.
    """
    from sklearn.ensemble import HistGradientBoostingClassifier
    from threadpoolctl import threadpool_limits

    rows: list[dict] = []
    month_ends = sorted(frame["month_end"].unique())
    test_months = month_ends[-int(params["backtest_test_months"]) :]
    if not month_ends or not features:
        return rows
    first_test = test_months[0]
    # A training label must be known on the first test month-end: its window closed by then.
    train_cutoff = (pd.Timestamp(first_test) - pd.DateOffset(months=horizon)) + pd.offsets.MonthEnd(0)
    train = frame[pd.to_datetime(frame["month_end"]) <= train_cutoff]
    test = frame[frame["month_end"].isin(test_months)]
    # Components never observed in the training months carry nothing to learn from.
    usable = [name for name in features if train[name].notna().any()]
    for outcome in OUTCOMES:
        base = {
            "scope": "pooled_test",
            "month_end": None,
            "horizon_months": horizon,
            "outcome": outcome,
            "metric": "auc",
            "account_count": len(test),
            "outcome_count": int(test[outcome].sum()),
            "outcome_rate": float(test[outcome].mean()) if len(test) else None,
            "test_from_month_end": first_test,
            "train_to_month_end": train_cutoff.date(),
            "train_row_count": len(train),
        }
        rows.append(
            {
                **base,
                "method": "health_score",
                "auc": mann_whitney_auc(100 - test["health_score"].to_numpy(), test[outcome].to_numpy()),
            }
        )
        note = None
        auc = None
        if train[outcome].nunique() < 2 or len(test) == 0 or not usable:
            note = "not enough labelled history before the test period to train"
        else:
            model = HistGradientBoostingClassifier(
                max_iter=int(params["gbm_max_iter"]),
                learning_rate=float(params["gbm_learning_rate"]),
                max_depth=int(params["gbm_max_depth"]),
                random_state=int(params["forecast_random_seed"]),
            )
            with threadpool_limits(limits=1, user_api="openmp"):
                model.fit(train[usable].to_numpy(dtype=float), train[outcome].to_numpy())
                probability = model.predict_proba(test[usable].to_numpy(dtype=float))[:, 1]
            auc = mann_whitney_auc(probability, test[outcome].to_numpy())
        rows.append({**base, "method": "gradient_boosting", "auc": auc, "note": note})
    return rows


def backtest(
    health: pd.DataFrame, outcomes: pd.DataFrame, features: list[str], params: dict[str, Any]
) -> pd.DataFrame:
    """All rows of the backtest from month-end health rows and outcome labels (pure; tested in pytest)."""
    bucket_count = int(params["backtest_score_deciles"])
    headline = int(params["backtest_headline_horizon_months"])
    rows: list[dict] = []
    joined = outcomes.merge(
        health, left_on=["account_id", "month_end"], right_on=["account_id", "score_date"], how="inner"
    )
    joined = joined[joined["health_score"].notna()]
    for horizon, frame in joined.groupby("horizon_months"):
        for month_end, month_frame in frame.groupby("month_end"):
            rows += rows_for_scope(month_frame, "month_end", month_end, int(horizon), bucket_count)
        rows += rows_for_scope(frame, "pooled", None, int(horizon), bucket_count)
        rows += boosted_rows(frame, features, int(horizon), params)
    columns = [
        "scope", "month_end", "horizon_months", "outcome", "metric", "method", "health_band",
        "score_bucket", "account_count", "outcome_count", "outcome_rate", "lift", "auc", "mean_score",
        "test_from_month_end", "train_to_month_end", "train_row_count", "note",
    ]  # fmt: skip
    result = pd.DataFrame(rows, columns=columns)
    result["is_headline"] = (
        (result["horizon_months"] == headline)
        & (result["outcome"] == "churn")
        & (result["metric"] == "auc")
        & result["scope"].isin(["pooled", "pooled_test"])
    )
    for column in ("month_end", "test_from_month_end", "train_to_month_end"):
        result[column] = pd.to_datetime(result[column]).dt.date
    for column in ("score_bucket", "account_count", "outcome_count", "train_row_count"):
        result[column] = result[column].astype("Int64")
    for column in ("outcome_rate", "lift", "auc", "mean_score"):
        result[column] = result[column].astype("float64")
    return result
