"""What counts as provided (account_health.provided), on files landed for real: no dbt needed."""

from __future__ import annotations

from account_health.land import land
from account_health.paths import Paths
from account_health.provided import sources_provided

ACCOUNTS = (
    "account_id,account_name,segment,customer_since,is_test\nA1,One,smb,2024-01-15,false\n"
    "A2,Two,enterprise,2025-03-01,false\n"
)
REFERRALS_HEADER_ONLY = "referral_id,account_id,referred_at\n"
EVENTS_WITHOUT_USERS = (
    "event_id,account_id,product_id,feature,occurred_at\nE1,A1,core,dashboard,2026-10-30 09:00:00\n"
)


def test_a_header_only_file_is_provided_but_empty_and_a_missing_table_is_not_provided(paths: Paths):
    for table, text in (
        ("accounts", ACCOUNTS),
        ("referrals", REFERRALS_HEADER_ONLY),
        ("usage_events", EVENTS_WITHOUT_USERS),
    ):
        (paths.raw_dir / table).mkdir(parents=True)
        (paths.raw_dir / table / f"{table}.csv").write_text(text)
    report = land(paths.raw_dir, paths.warehouse_path)
    assert report.ok and report.rows_loaded == 3

    sources = sources_provided(paths.warehouse_path)
    # referrals: a file landed with no rows -> provided (counts are 0), but no freshness to check
    assert sources.provided == ("accounts", "usage_events", "referrals")  # contract order
    assert sources.empty == ("referrals",)
    assert sources.freshness_selectors() == ["source:crm.accounts", "source:product.usage_events"]
    # events without a user_id: usage is account-level, said as a not provided column
    assert sources.not_provided[-1] == "usage_events.user_id"
    assert set(sources.not_provided[:-1]) == {
        "contacts", "opportunities", "subscriptions", "users", "integrations", "support_cases",
        "survey_responses", "downtime_incidents", "csm_assessments", "csm_activities",
        "success_goals", "wallet_estimates", "churn_events",
    }  # fmt: skip


def test_no_warehouse_means_nothing_provided(paths: Paths):
    sources = sources_provided(paths.warehouse_path)
    assert sources.provided == () and sources.freshness_selectors() == []
    assert "accounts" in sources.not_provided
