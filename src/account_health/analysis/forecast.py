"""The NRR/GRR forecast of fct_nrr_forecast (DECISIONLOG.md#nrr-forecast): band-conditional rates per
cell, the bootstrap interval, NRR at stake and the backtest rows.

See the model's docstring (python_models/marts/revenue/fct_nrr_forecast.py) for the method.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa

UNSCORED = "unscored"


#: What an insufficient row does not publish: the forecast numbers (history's rates and counts stay).
FORECAST_COLUMNS = (
    "nrr_forecast_rate", "nrr_lower_rate", "nrr_upper_rate", "grr_forecast_rate", "grr_lower_rate",
    "grr_upper_rate", "at_risk_expected_loss_mrr", "nrr_at_stake_rate", "nrr_error_rate",
)  # fmt: skip


def outcome_window_count(panel: pd.DataFrame, learn: int | None, made_at) -> int:
    """History windows the rates were learned from that ended in churn, contraction or expansion."""
    if learn is None:
        return 0
    history = windows(panel, learn, made_at)
    return int((history["later_mrr"] != history["start_mrr"]).sum())


def mark_insufficient(result: pd.DataFrame, evidence: dict[str, float]) -> pd.DataFrame:
    """`forecast_status` insufficient instead of a bare number, in three cases (DECISIONLOG):

    no closed history to learn from; fewer history windows with an outcome than
    `forecast_min_outcome_windows`; or a point forecast outside what history can support
    [`forecast_min_nrr_rate`, `forecast_max_nrr_rate`]. Such a row keeps its counts and learned rates
    but publishes no forecast numbers, and `note` says why.
    """
    result = result.copy()
    low, high = evidence["forecast_min_nrr_rate"], evidence["forecast_max_nrr_rate"]
    min_outcomes = int(evidence["forecast_min_outcome_windows"])
    notes: list[str | None] = []
    for row in result.itertuples(index=False):
        outcomes = row.history_outcome_window_count
        if pd.isna(row.nrr_forecast_rate):
            notes.append("insufficient: not enough closed history windows to learn from")
        elif pd.isna(outcomes) or outcomes < min_outcomes:
            count = 0 if pd.isna(outcomes) else int(outcomes)
            notes.append(
                f"insufficient: {count} history windows with churn, contraction or expansion, "
                f"fewer than the {min_outcomes} needed"
            )
        elif not low <= row.nrr_forecast_rate <= high:
            notes.append(
                f"insufficient: a forecast of {row.nrr_forecast_rate:.0%} is outside what history can "
                f"support ({low:.0%} to {high:.0%})"
            )
        else:
            notes.append(None)
    insufficient = pd.Series([note is not None for note in notes], index=result.index)
    result["forecast_status"] = np.where(insufficient, "insufficient", "ok")
    result["note"] = [
        note if note is not None else existing
        for note, existing in zip(notes, result["note"].astype("object"), strict=True)
    ]
    result.loc[insufficient, list(FORECAST_COLUMNS)] = np.nan
    result["note"] = result["note"].astype("string")
    return result


def month_shift(month_end, months: int):
    """The last day of the month `months` after the month of `month_end` (a date)."""
    return month_ends_shifted(pd.Series([month_end]), months)[0]


def month_ends_shifted(month_ends: pd.Series, months: int) -> list:
    """`month_shift` of every value at once (dates in, dates out): one per row in Python cost seconds at
    `demo` and would cost minutes at `large`."""
    month = pd.to_datetime(month_ends).to_numpy().astype("datetime64[M]") + months
    return list(((month + 1).astype("datetime64[D]") - np.timedelta64(1, "D")).astype(object))


def windows(panel: pd.DataFrame, length: int, closed_by) -> pd.DataFrame:
    """Historical windows of `length` months that closed on or before `closed_by`."""
    later = panel[["account_id", "month_end", "ending_mrr"]].rename(
        columns={"month_end": "later_month_end", "ending_mrr": "later_mrr"}
    )
    start = panel[(panel["ending_mrr"] > 0)].copy()
    start["later_month_end"] = month_ends_shifted(start["month_end"], length)
    start = start[start["later_month_end"] <= closed_by]
    joined = start.merge(later, on=["account_id", "later_month_end"], how="inner")
    return joined.rename(columns={"ending_mrr": "start_mrr"})


def assign_cells(frame: pd.DataFrame, history: pd.DataFrame, min_accounts: int) -> pd.Series:
    """Cell per row: segment|band when that cell has enough accounts in history, else band, else all."""
    counts = history.groupby(["segment", "health_band"])["account_id"].nunique()
    bands = set(history["health_band"])
    cells = []
    for segment, band in zip(frame["segment"], frame["health_band"], strict=True):
        if counts.get((segment, band), 0) >= min_accounts:
            cells.append(f"{segment}|{band}")
        elif band in bands:
            cells.append(f"*|{band}")
        else:
            cells.append("*|*")
    return pd.Series(cells, index=frame.index)


def cell_history(history: pd.DataFrame, cell: str) -> pd.DataFrame:
    segment, band = cell.split("|")
    selected = history
    if segment != "*":
        selected = selected[selected["segment"] == segment]
    if band != "*":
        selected = selected[selected["health_band"] == band]
    return selected


def cell_rates(history: pd.DataFrame) -> dict[str, float]:
    start = history["start_mrr"].astype(float)
    later = history["later_mrr"].astype(float)
    total = float(start.sum())
    churn = float(start[later == 0].sum())
    contraction = float((start - later)[(later > 0) & (later < start)].sum())
    expansion = float((later - start)[later > start].sum())
    return {
        "churn_rate": churn / total,
        "contraction_rate": contraction / total,
        "expansion_rate": expansion / total,
    }


def forecast(
    panel: pd.DataFrame,
    forecast_month_end,
    horizon: int,
    params: dict[str, Any],
    rng: np.random.Generator,
) -> tuple[pd.DataFrame, int | None, int]:
    """Rows per segment x band (plus band 'all', segment 'all') for one forecast date (pure; tested)."""
    learn_options = [int(v) for v in params["forecast_learn_horizons_months"].split("|")]
    min_windows = int(params["forecast_min_history_windows"])
    history, learn = None, None
    for length in sorted((v for v in learn_options if horizon % v == 0), reverse=True):
        candidate = windows(panel, length, forecast_month_end)
        # The rates are band-conditional: count only windows that started with a health band.
        if (candidate["health_band"] != UNSCORED).sum() >= min_windows:
            history, learn = candidate, length
            break
    current = panel[(panel["month_end"] == forecast_month_end) & (panel["ending_mrr"] > 0)].copy()
    if history is None or current.empty:
        return pd.DataFrame(), None, 0
    compound = horizon // learn
    min_accounts = int(params["forecast_min_accounts_per_cell"])
    current["cell"] = assign_cells(current, history, min_accounts)
    at_risk = set(params["at_risk_bands"].split("|"))
    draws = int(params["forecast_bootstrap_draws"])
    mrr_now = current["ending_mrr"].to_numpy(dtype=float)

    # Per account: point factors and bootstrap ratios (draws x accounts).
    nrr_factor = np.empty(len(current))
    grr_factor = np.empty(len(current))
    ratios = np.empty((draws, len(current)))
    rates_by_row: list[dict[str, float]] = [{}] * len(current)
    for cell, positions in current.groupby("cell").indices.items():
        sample = cell_history(history, cell)
        rates = cell_rates(sample)
        loss = rates["churn_rate"] + rates["contraction_rate"]
        nrr_factor[positions] = (1 - loss + rates["expansion_rate"]) ** compound
        grr_factor[positions] = (1 - loss) ** compound
        for position in positions:
            rates_by_row[position] = rates
        start = sample["start_mrr"].to_numpy(dtype=float)
        observed = sample["later_mrr"].to_numpy(dtype=float) / start
        picks = rng.choice(len(observed), size=(draws, len(positions), compound), p=start / start.sum())
        ratios[:, positions] = observed[picks].prod(axis=2)

    current["nrr_factor"] = nrr_factor
    current["grr_factor"] = grr_factor
    lower_q = float(params["forecast_interval_lower_quantile"])
    upper_q = float(params["forecast_interval_upper_quantile"])
    rows = []
    groups = [("all", "all", np.ones(len(current), dtype=bool))]
    for segment in sorted(current["segment"].dropna().unique()):
        groups.append((segment, "all", (current["segment"] == segment).to_numpy()))
    for segment, band in sorted(set(zip(current["segment"], current["health_band"], strict=True))):
        mask = ((current["segment"] == segment) & (current["health_band"] == band)).to_numpy()
        groups.append((segment, band, mask))
    for band in sorted(current["health_band"].unique()):
        groups.append(("all", band, (current["health_band"] == band).to_numpy()))
    for segment, band, mask in groups:
        weights = mrr_now[mask]
        total = weights.sum()
        draw_nrr = (ratios[:, mask] * weights).sum(axis=1) / total
        draw_grr = (np.minimum(ratios[:, mask], 1) * weights).sum(axis=1) / total
        in_risk = mask & current["health_band"].isin(at_risk).to_numpy()
        expected_loss_at_risk = float((mrr_now[in_risk] * (1 - grr_factor[in_risk])).sum())
        row = {
            "segment": segment,
            "health_band": band,
            "current_account_count": int(mask.sum()),
            "current_mrr": float(total),
            "nrr_forecast_rate": float((weights * nrr_factor[mask]).sum() / total),
            "nrr_lower_rate": float(np.quantile(draw_nrr, lower_q)),
            "nrr_upper_rate": float(np.quantile(draw_nrr, upper_q)),
            "grr_forecast_rate": float((weights * grr_factor[mask]).sum() / total),
            "grr_lower_rate": float(np.quantile(draw_grr, lower_q)),
            "grr_upper_rate": float(np.quantile(draw_grr, upper_q)),
            "at_risk_account_count": int(in_risk.sum()),
            "at_risk_mrr": float(mrr_now[in_risk].sum()),
            "at_risk_expected_loss_mrr": expected_loss_at_risk,
            "nrr_at_stake_rate": expected_loss_at_risk / float(total),
        }
        if band != "all" and segment != "all":
            first = int(np.flatnonzero(mask)[0])
            row.update(rates_by_row[first])
            row["rate_cell"] = current["cell"].iloc[first]
        rows.append(row)
    return pd.DataFrame(rows), learn, len(history)


def actual_retention(panel: pd.DataFrame, start_month_end, end_month_end) -> pd.DataFrame:
    """What happened: NRR/GRR of the accounts paying at start (the fct_revenue_retention formula)."""
    start = panel[(panel["month_end"] == start_month_end) & (panel["ending_mrr"] > 0)]
    later = panel[panel["month_end"] == end_month_end][["account_id", "ending_mrr"]]
    joined = start.merge(later, on="account_id", how="left", suffixes=("", "_later")).fillna(
        {"ending_mrr_later": 0}
    )
    joined["capped"] = np.minimum(joined["ending_mrr_later"], joined["ending_mrr"])
    rows = []
    for segment, group in [("all", joined), *joined.groupby("segment")]:
        base = float(group["ending_mrr"].sum())
        rows.append(
            {
                "segment": segment,
                "health_band": "all",
                "actual_nrr_rate": float(group["ending_mrr_later"].sum()) / base,
                "actual_grr_rate": float(group["capped"].sum()) / base,
            }
        )
    return pd.DataFrame(rows)


def build(panel: pd.DataFrame, params: dict[str, Any]) -> pd.DataFrame:
    horizon = int(params["forecast_horizon_months"])
    rng = np.random.default_rng(int(params["forecast_random_seed"]))
    if panel.empty:  # no MRR history at all (no accounts or no subscriptions): one row that says so
        return typed_columns(
            pd.DataFrame(
                [{"forecast_type": "forecast", "segment": "all", "health_band": "all",
                  "note": "no MRR history: nothing to forecast"}]
            )
        )  # fmt: skip
    as_of_month = max(panel["month_end"])
    outputs = []
    for forecast_type, made_at in (
        ("forecast", as_of_month),
        ("backtest", month_shift(as_of_month, -horizon)),
    ):
        frame, learn, window_count = forecast(panel, made_at, horizon, params, rng)
        if frame.empty:
            frame = pd.DataFrame(
                [{"segment": "all", "health_band": "all", "note": "not enough closed history windows"}]
            )
        elif learn is not None and learn < horizon:
            frame["note"] = (
                f"rates learned on {learn}-month windows and compounded to {horizon} months: "
                "less scored history than the horizon, read the interval with care"
            )
        frame["forecast_type"] = forecast_type
        frame["forecast_month_end"] = made_at
        frame["target_month_end"] = month_shift(made_at, horizon)
        frame["horizon_months"] = horizon
        frame["learn_horizon_months"] = learn
        frame["history_window_count"] = window_count
        frame["history_outcome_window_count"] = outcome_window_count(panel, learn, made_at)
        if forecast_type == "backtest":
            actual = actual_retention(panel, made_at, as_of_month)
            frame = frame.merge(actual, on=["segment", "health_band"], how="left")
        outputs.append(frame)
    result = pd.concat(outputs, ignore_index=True)
    # with no backtest (or no forecast) rows the column is absent: it is then null, not an error
    for column in ("nrr_forecast_rate", "actual_nrr_rate"):
        if column not in result.columns:
            result[column] = float("nan")
    result["nrr_error_rate"] = result["nrr_forecast_rate"] - result["actual_nrr_rate"]
    return typed_columns(result)


def typed_columns(result: pd.DataFrame) -> pd.DataFrame:
    """The mart's columns in order, with the types DuckDB should store (also for an all-null column)."""
    columns = [
        "forecast_type", "segment", "health_band", "forecast_month_end", "target_month_end",
        "horizon_months", "learn_horizon_months", "history_window_count",
        "history_outcome_window_count", "rate_cell",
        "current_account_count", "current_mrr", "churn_rate", "contraction_rate", "expansion_rate",
        "nrr_forecast_rate", "nrr_lower_rate", "nrr_upper_rate", "grr_forecast_rate",
        "grr_lower_rate", "grr_upper_rate", "at_risk_account_count", "at_risk_mrr",
        "at_risk_expected_loss_mrr", "nrr_at_stake_rate", "actual_nrr_rate", "actual_grr_rate",
        "nrr_error_rate", "note",
    ]  # fmt: skip
    result = result.reindex(columns=columns)
    for column in (
        "horizon_months",
        "learn_horizon_months",
        "history_window_count",
        "history_outcome_window_count",
    ):
        result[column] = result[column].astype("Int64")
    for column in ("current_account_count", "at_risk_account_count"):
        result[column] = result[column].astype("Int64")
    for column in columns:
        if column.endswith("_rate") or column.endswith("_mrr"):
            result[column] = result[column].astype("float64")
    for column in ("rate_cell", "note"):
        result[column] = result[column].astype("string")
    for column in ("forecast_month_end", "target_month_end"):  # dates, even when every value is null
        dates = [None if pd.isna(value) else value for value in result[column]]
        result[column] = pd.Series(
            pd.arrays.ArrowExtensionArray(pa.array(dates, type=pa.date32())), index=result.index
        )
    return result
