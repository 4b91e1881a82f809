"""Next-12-month NRR and GRR by segment from band-conditional outcome rates (DECISIONLOG.md#nrr-forecast).

History: every account paying at a month-end M whose window (M, M + L] is fully observed gives one
window: segment, health band at M, MRR at M and MRR at M + L. Per cell (segment x band; the band over
all segments when the cell has too few accounts; everything when the band has no history):
  churn_rate       = MRR of windows ending at 0 / MRR at start
  contraction_rate = MRR lost by windows ending lower but > 0 / MRR at start
  expansion_rate   = MRR gained by windows ending higher / MRR at start
  nrr factor = 1 - churn - contraction + expansion;  grr factor = 1 - churn - contraction.
Forecast for a segment = sum over its cells of (MRR now x factor) / its MRR now. L is the longest of
forecast_learn_horizons_months with enough windows that started with a health band (history before
the first scored day has no band and cannot teach band-conditional rates); a shorter L is compounded:
factor ** (H / L).

Prediction interval: each draw gives every current account an outcome ratio (MRR later / MRR at
start) resampled from the historical windows of its cell with probability proportional to their
starting MRR (so the draws average to the point forecast), H / L ratios multiplied; the draw's NRR is
sum(MRR x ratio) / sum(MRR), its GRR caps each account's ratio at 1. Quantiles of the draws bound it.

NRR at stake: the expected MRR lost (churn + contraction) by accounts in at-risk bands, over the
segment's MRR now: the NRR points those accounts cost if nothing changes.

Backtest rows: the same forecast made at the month-end H months before the as-of month, learning only
from windows closed by then, next to the NRR that actually happened.

The logic is in account_health.analysis.forecast (pure functions, tested in tests_py/revenue); the refs are
read through account_health.analysis.relations, so the model runs on DuckDB and on Spark.
"""

from __future__ import annotations

import pandas as pd

from account_health.analysis.forecast import UNSCORED, build, mark_insufficient
from account_health.analysis.relations import one_row, one_row_of_floats, query, to_pandas


def model(dbt, session):
    dbt.config(materialized="table")
    params = one_row(dbt.ref("revenue_parameters"))
    evidence = one_row_of_floats(dbt.ref("minimum_evidence"))
    panel = to_pandas(
        query(
            dbt.ref("fct_account_mrr_monthly"),
            "mrr",
            "select account_id, segment, month_end, ending_mrr from mrr",
        )
    )
    month_end_bands = to_pandas(
        query(
            dbt.ref("fct_account_health_daily"),
            "daily",
            "select account_id, score_date as month_end, health_band from daily "
            "where score_date = last_day(score_date)",
        )
    )
    for frame in (panel, month_end_bands):
        frame["month_end"] = pd.to_datetime(frame["month_end"]).dt.date
    panel["ending_mrr"] = panel["ending_mrr"].astype(float)
    panel = panel.merge(month_end_bands, on=["account_id", "month_end"], how="left")
    panel["health_band"] = panel["health_band"].fillna(UNSCORED)
    # Neither engine returns rows in a fixed order; sort so the seeded bootstrap gives the same draws.
    panel = panel.sort_values(["account_id", "month_end"], ignore_index=True)
    return mark_insufficient(build(panel, params), evidence)
