"""How well the health score and its bands predicted churn and contraction (DECISIONLOG.md#score-backtest).

For every past month-end M and horizon h (3, 6, 12 months) whose outcome window (M, M + h] is fully
observed on or before the as-of month, each account paying at M gets two labels from
fct_account_mrr_monthly: churned (MRR reached 0 at a month-end in the window) and contracted (MRR fell
below its M value at a month-end in the window while still > 0). The score's risk is 100 - health_score.

Rows (long, one metric per row, see the model's YAML):
- auc: Mann-Whitney AUC of the score per month-end and pooled over month-ends;
- band_outcome_rate: accounts, outcomes, outcome rate and lift (rate / overall rate) per band;
- calibration: outcome rate per score bucket (deciles by default);
- auc with method gradient_boosting: a HistGradientBoostingClassifier on the same point-in-time
  component scores the health score was built from (int_health_components_scored, used components
  only), trained on month-ends whose window closed on or before the first test month-end (no label
  from the test period leaks in), tested on the latest `backtest_test_months` month-ends, next to the
  score's AUC on the same test rows (scope pooled_test), so users see what the transparent score
  gives up.

Only the month-end rows of the health mart and the monthly MRR mart are read into memory, never events.
The logic is in account_health.analysis.backtest (pure functions, tested in tests_py/revenue); the refs are
read through account_health.analysis.relations, so the model runs on DuckDB and on Spark.
"""

from __future__ import annotations

import pandas as pd

from account_health.analysis.backtest import backtest, label_churns, mark_insufficient, outcome_sql
from account_health.analysis.relations import one_row, one_row_of_floats, query, to_pandas

MONTH_END = "score_date = last_day(score_date)"


def model(dbt, session):
    dbt.config(materialized="table")
    params = one_row(dbt.ref("revenue_parameters"))
    evidence = one_row_of_floats(dbt.ref("minimum_evidence"))
    horizons = [int(value) for value in params["backtest_horizons_months"].split("|")]

    month_end_health = to_pandas(
        query(
            dbt.ref("fct_account_health_daily"),
            "daily",
            f"select account_id, score_date, health_score, health_band from daily where {MONTH_END}",
        )
    )
    # Features: the month-end component scores the health score itself was built from (a component
    # that was missing, stale or unweighted that day is null), one column per component, pivoted in
    # SQL so only account x month-end rows reach pandas. The SQL names the columns by position (a
    # component id is the company's text, not an identifier both engines quote alike).
    components = dbt.ref("int_health_components_scored")
    component_ids = sorted(
        to_pandas(
            query(components, "components", f"select distinct component_id from components where {MONTH_END}")
        )["component_id"]
    )
    pivoted = ",\n".join(
        f"max(case when component_id = '{component_id}' and component_status = 'used' "
        f"then component_score end) as component__{position}"
        for position, component_id in enumerate(component_ids)
    )
    features_frame = to_pandas(
        query(
            components,
            "components",
            f"select account_id, score_date, {pivoted} from components where {MONTH_END} "
            "group by account_id, score_date",
        )
    ).rename(columns={f"component__{i}": f"component__{id_}" for i, id_ in enumerate(component_ids)})
    features = [f"component__{component_id}" for component_id in component_ids]
    month_end_health = month_end_health.merge(features_frame, on=["account_id", "score_date"], how="left")
    month_end_health["score_date"] = pd.to_datetime(month_end_health["score_date"]).dt.date

    mrr = dbt.ref("fct_account_mrr_monthly")
    outcomes = pd.concat(
        [to_pandas(query(mrr, "mrr", outcome_sql(horizon))) for horizon in horizons],
        ignore_index=True,
    )
    outcomes["month_end"] = pd.to_datetime(outcomes["month_end"]).dt.date
    churns = to_pandas(
        query(
            dbt.ref("int_account_churns_identified"),
            "churns",
            "select account_id, churned_on, churn_month_end, reactivated_on from churns",
        )
    )
    outcomes = label_churns(outcomes, churns)
    # Neither engine returns rows in a fixed order; sort so the boosted model sees the same rows each run.
    outcomes = outcomes.sort_values(["horizon_months", "month_end", "account_id"], ignore_index=True)
    result = backtest(month_end_health, outcomes, features, params)
    return mark_insufficient(result, int(evidence["backtest_min_outcomes"]))
