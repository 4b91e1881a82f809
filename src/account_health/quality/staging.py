"""The staging-layer suites: one per staging model, derived from the raw contract.

Staging keeps the contract's column names and types (DECISIONLOG.md#staging), deduplicates on the key and
pseudonymises contacts. So each suite expects: the key not null and unique (after the dedupe, across every
load, which the raw suite cannot check batch by batch), the contract's required columns not null, its accepted
values, the raw ranges, and for contacts hashes that look like sha256 digests and a domain with no `@` in it.
Renamed (pseudonymised) columns are mapped; the personal columns themselves must be gone, which the schema
expectation (columns = the documented columns) catches.
"""

from __future__ import annotations

from account_health.contract import TABLES
from account_health.quality.raw import RANGES
from account_health.quality.registry import ModelSuite, Pattern, ValueSet

LAYER = "staging"

#: Staging model -> the raw contract table it stages.
MODELS: dict[str, str] = {
    "stg_crm__accounts": "accounts",
    "stg_crm__contacts": "contacts",
    "stg_crm__opportunities": "opportunities",
    "stg_crm__referrals": "referrals",
    "stg_crm__wallet_estimates": "wallet_estimates",
    "stg_licensing__subscriptions": "subscriptions",
    "stg_product__users": "users",
    "stg_product__usage_events": "usage_events",
    "stg_product__integrations": "integrations",
    "stg_product__downtime_incidents": "downtime_incidents",
    "stg_support__cases": "support_cases",
    "stg_surveys__responses": "survey_responses",
    "stg_cs__assessments": "csm_assessments",
    "stg_cs__activities": "csm_activities",
    "stg_cs__success_goals": "success_goals",
    "stg_crm__churn_events": "churn_events",
}

#: Raw columns staging replaces (pseudonymisation): they must not exist in staging.
PSEUDONYMISED: dict[str, frozenset[str]] = {"contacts": frozenset({"email", "full_name"})}

SHA256 = r"[0-9a-f]{64}"
EXTRA: dict[str, tuple[Pattern, ...]] = {
    "contacts": (
        Pattern("email_hash", SHA256),
        Pattern("full_name_hash", SHA256),
        Pattern("email_domain", r"[^@\s]+"),
    ),
}


def staging_suite(model: str) -> ModelSuite:
    table = TABLES[MODELS[model]]
    removed = PSEUDONYMISED.get(table.name, frozenset())
    return ModelSuite(
        layer=LAYER,
        model=model,
        key=table.key,
        not_null=tuple(name for name in table.required_columns if name not in removed),
        ranges=RANGES.get(table.name, ()),
        value_sets=tuple(
            ValueSet(column.name, column.accepted)
            for column in table.columns
            if column.accepted and column.name not in removed
        ),
        patterns=EXTRA.get(table.name, ()),
        required=True,
    )


SUITES: tuple[ModelSuite, ...] = tuple(staging_suite(model) for model in MODELS)
