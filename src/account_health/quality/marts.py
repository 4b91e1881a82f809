"""The mart-layer suites: the published interface, checked before every publish.

Declared by hand from DECISIONLOG.md#quality-checks and each mart's YAML, not generated from the dbt
tests, so the gate is a second opinion: keys, not-null columns, ranges (scores 0-100, rates 0-1,
MRR >= 0), value sets (bands from the health-band seed, segments, user groups, journey stages), the
row-count change against the last published run, and for the daily health fact the drift of the share
of accounts per band.

`dim_accounts` and `dim_contacts` are core: a missing core mart fails the gate. The others are skipped with a
note while the work that builds them is unfinished, and are checked as soon as they exist.
"""

from __future__ import annotations

import dataclasses

from account_health.contract import SEGMENTS
from account_health.quality.registry import (
    BandDrift,
    ModelSuite,
    Range,
    ValueSet,
    non_negative,
    rates,
    scores,
)

LAYER = "marts"

CORE_MARTS = ("dim_accounts", "dim_contacts")

PERSONAS = ("executive_sponsor", "economic_buyer", "champion", "admin", "end_user")
USER_GROUPS = ("all_users", "new", "established", "by_choice", "mandated")
QUADRANTS = ("healthy_and_happy", "staying_from_complexity", "under_adopted_advocates", "at_risk")
MOVEMENT_TYPES = ("new", "expansion", "contraction", "churn", "reactivation", "unchanged", "inactive")
#: Fallback when the seed config.health_bands is missing; the seed wins when present.
BANDS = ("unhealthy", "not_so_healthy", "healthy")
BAND_SET = ValueSet("health_band", seed="health_bands", seed_column="band", fallback=BANDS)
SEGMENT_SET = ValueSet("segment", SEGMENTS)
SEGMENT_OR_ALL = ValueSet("segment", (*SEGMENTS, "all"))
STAGE_OR_ALL = ValueSet(
    "journey_stage",
    ("all",),
    seed="journey_stages",
    seed_column="stage",
    fallback=("onboarding", "value_recognition", "loyalty"),
)
DEAR_SCORES = (
    "health_score",
    "deployment_score",
    "engagement_score",
    "adoption_score",
    "roi_score",
    "customer_experience_score",
    "customer_outcomes_score",
)


def _mart(model: str, **kwargs: object) -> ModelSuite:
    kwargs.setdefault("row_count_change", True)
    return ModelSuite(
        layer=LAYER,
        model=model,
        required=model in CORE_MARTS,
        **kwargs,  # type: ignore[arg-type]
    )


SUITES: tuple[ModelSuite, ...] = (
    _mart(
        "dim_accounts",
        key=("account_id",),
        not_null=("account_name", "segment", "customer_since", "current_arr_usd", "as_of_date"),
        ranges=(*non_negative("current_arr_usd", "products_owned_count", "employee_count"),),
        value_sets=(SEGMENT_SET,),
    ),
    _mart(
        "dim_contacts",
        key=("contact_id",),
        not_null=("account_id", "persona"),
        value_sets=(ValueSet("persona", PERSONAS), ValueSet("persona_source", ("crm", "title_rule"))),
    ),
    _mart(
        "fct_user_group_adoption",
        key=("account_id", "month_start_date", "user_group"),
        not_null=("licensed_seats", "provisioned_users", "active_users"),
        ranges=(
            *rates("active_user_rate", "feature_breadth_rate", "stickiness_rate"),
            *non_negative(
                "licensed_seats", "provisioned_users", "active_users", "usage_depth", "events_count"
            ),
        ),
        value_sets=(ValueSet("user_group", USER_GROUPS), SEGMENT_SET),
    ),
    _mart(
        "fct_account_health_daily",
        key=("account_id", "score_date"),
        ranges=(*scores("health_score"), *non_negative("mrr_usd", "components_used_count")),
        ranges_by_suffix=(Range("_score", 0, 100),),
        value_sets=(
            BAND_SET,
            dataclasses.replace(BAND_SET, column="score_band"),
            dataclasses.replace(BAND_SET, column="previous_band"),
            ValueSet("quadrant", QUADRANTS),
            SEGMENT_SET,
            dataclasses.replace(STAGE_OR_ALL, column="journey_stage", values=()),
        ),
        band_drift=BandDrift(),
    ),
    _mart(
        "fct_account_health_drivers",
        key=("account_id", "score_date", "component_id"),
        ranges=(*scores("component_score"), *rates("normalised_weight"), *non_negative("weight")),
        value_sets=(
            ValueSet("component_id", seed="health_components", seed_column="component_id"),
            SEGMENT_SET,
        ),
    ),
    _mart(
        "fct_account_review_queue",
        key=("account_id",),
        value_sets=(BAND_SET, SEGMENT_SET),
        ranges=(
            *scores("health_score"),
            *non_negative("current_arr_usd", "arr_at_risk_usd"),
            Range("queue_rank", 1),
        ),
    ),
    _mart(
        "fct_account_band_changes",
        key=("account_id", "changed_on"),
        not_null=("from_band", "to_band"),
        value_sets=(
            dataclasses.replace(BAND_SET, column="from_band"),
            dataclasses.replace(BAND_SET, column="to_band"),
            SEGMENT_SET,
        ),
        ranges=(*scores("health_score"), *non_negative("arr_usd")),
        # band changes come and go with the days: no row-count drift gate
        row_count_change=False,
    ),
    _mart(
        "fct_renewals_upcoming",
        key=("account_id",),
        not_null=("next_renewal_date", "days_to_renewal", "window_days"),
        value_sets=(BAND_SET, SEGMENT_SET),
        ranges=(*scores("health_score"), *non_negative("current_arr_usd")),
        # a few accounts renew in any 90 days: the count swings from day to day by nature
        row_count_change=False,
    ),
    _mart(
        "fct_account_mrr_monthly",
        key=("account_id", "month_end"),
        not_null=("movement_type", "starting_mrr", "ending_mrr"),
        ranges=non_negative(
            "starting_mrr",
            "new_mrr",
            "expansion_mrr",
            "reactivation_mrr",
            "contraction_mrr",
            "churned_mrr",
            "ending_mrr",
            "seats",
            "product_count",
            "subscription_count",
        ),
        value_sets=(ValueSet("movement_type", MOVEMENT_TYPES), SEGMENT_SET),
    ),
    _mart(
        "fct_revenue_retention",
        key=("month_end", "segment"),
        ranges=(
            *non_negative(
                "starting_mrr",
                "ending_mrr",
                "new_mrr",
                "expansion_mrr",
                "contraction_mrr",
                "churned_mrr",
                "reactivation_mrr",
                "nrr_12m_rate",
                "nrr_monthly_rate",
            ),
            *rates(
                "grr_12m_rate", "logo_retention_12m_rate", "grr_monthly_rate", "logo_retention_monthly_rate"
            ),
        ),
        value_sets=(SEGMENT_OR_ALL,),
    ),
    _mart(
        "fct_account_dear_monthly",
        key=("account_id", "month_end"),
        ranges=(*scores(*DEAR_SCORES), *non_negative("ending_mrr")),
        value_sets=(BAND_SET, SEGMENT_SET),
    ),
    _mart(
        "fct_experience_trajectory",
        key=("segment", "journey_stage", "product_id", "month_end"),
        ranges=(
            *scores("avg_health_score", "avg_customer_experience_score", "avg_customer_outcomes_score"),
            *rates("promoter_share_rate", "grr_12m_rate"),
            *non_negative("account_count", "mrr", "nrr_12m_rate"),
        ),
        value_sets=(SEGMENT_OR_ALL, STAGE_OR_ALL),
    ),
    _mart(
        "fct_revenue_cohorts",
        key=("cohort_month_end", "segment", "month_end"),
        ranges=(
            *rates("cohort_grr_rate", "cohort_logo_retention_rate"),
            *non_negative("cohort_starting_mrr", "current_mrr", "capped_mrr", "cohort_nrr_rate"),
        ),
        value_sets=(SEGMENT_OR_ALL,),
    ),
    _mart(
        "fct_nrr_forecast",
        ranges=(
            *non_negative("current_mrr", "nrr_forecast_rate", "at_risk_mrr"),
            *rates("churn_rate", "contraction_rate", "grr_forecast_rate"),
        ),
    ),
    _mart(
        "fct_health_score_backtest",
        ranges=(*rates("outcome_rate", "auc"), Range("mean_score", 0, 100)),
    ),
)
