"""The raw Great Expectations suite: built from the contract, run on each landing batch before commit."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "land"))

from land_helpers import ACCOUNTS_HEADER, SUBSCRIPTIONS_HEADER, Lake, account_row

from account_health.contract import TABLES
from account_health.quality import raw


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path)


def test_suite_follows_the_contract():
    expectations = raw.build_expectations(TABLES["survey_responses"])
    types = [expectation.expectation_type for expectation in expectations]
    assert types[0] == "expect_table_columns_to_match_set"
    not_null = {e.column for e in expectations if e.expectation_type == "expect_column_values_to_not_be_null"}
    assert not_null == set(TABLES["survey_responses"].required_columns)
    assert "expect_column_values_to_be_unique" in types
    in_set = [e for e in expectations if e.expectation_type == "expect_column_values_to_be_in_set"]
    assert [(e.column, set(e.value_set)) for e in in_set] == [
        ("survey_type", {"nps", "csat", "success_check"})
    ]
    ranges = [e for e in expectations if e.expectation_type == "expect_column_values_to_be_between"]
    assert [(e.min_value, e.max_value) for e in ranges] == [(0, 10), (1, 5), (1, 5)]
    wallet = raw.build_expectations(TABLES["wallet_estimates"])
    assert any(e.expectation_type == "expect_compound_columns_to_be_unique" for e in wallet)


def test_clean_batches_pass_and_leave_results_and_data_docs_when_asked(lake: Lake):
    lake.write("accounts/a.csv", "\n".join([ACCOUNTS_HEADER, account_row("A1"), account_row("A2")]) + "\n")
    lake.write(
        "subscriptions/s.csv",
        SUBSCRIPTIONS_HEADER + "\nS1,A1,p,3,10,2025-01-01,\nS2,A1,p,-1,10,2025-01-01,\n",
    )
    report = lake.land(gx=True, docs=True)
    assert report.ok, report.files
    results = sorted((lake.quality / "raw").glob("*.json"))
    assert len(results) == 2
    payload = json.loads(results[0].read_text())
    assert payload["suite"] == "raw__accounts" and payload["result"]["success"] is True
    assert report.quality_docs == lake.quality / "data_docs" / "index.html"
    assert report.quality_docs.exists()
    config = (lake.quality / "gx" / "great_expectations.yml").read_text()
    assert "analytics_enabled: false" in config
    # a second run: nothing to load, so GX is not even started
    again = lake.land(gx=True)
    assert again.files_skipped == 2 and again.gx_seconds == 0 and again.quality_docs is None


def test_a_clean_landing_leaves_data_docs_to_validate(lake: Lake):
    """Data Docs cost 0.2-0.3 s a run: landing stores its results and rebuilds them only when asked."""
    lake.write("accounts/a.csv", "\n".join([ACCOUNTS_HEADER, account_row("A1")]) + "\n")
    report = lake.land(gx=True)
    assert report.ok and report.gx_runs == 1
    assert len(list((lake.quality / "raw").glob("*.json"))) == 1
    assert report.quality_docs is None
    assert not (lake.quality / "data_docs" / "index.html").exists()


def test_a_failed_expectation_blocks_the_commit(lake: Lake, monkeypatch):
    """Landing's SQL rules let seats=500 through; a stricter suite must roll the whole file back."""
    monkeypatch.setitem(raw.RANGES, "subscriptions", (raw.Range("seats", 0, 100),))
    lake.write("accounts/a.csv", "\n".join([ACCOUNTS_HEADER, account_row("A1")]) + "\n")
    lake.write(
        "subscriptions/s.csv",
        SUBSCRIPTIONS_HEADER
        + "\nS1,A1,p,3,10,2025-01-01,\nS2,A1,p,500,10,2025-01-01,\nS3,A1,p,-1,1,2025-01-01,\n",
    )
    report = lake.land(gx=True)
    accounts, subscriptions = report.files
    assert accounts.status == "loaded"
    assert subscriptions.status == "rejected" and not report.ok
    assert report.quality_docs is not None and report.quality_docs.exists()  # to inspect the failure
    assert "subscriptions/s.csv" in subscriptions.message
    assert "expect_column_values_to_be_between on seats" in subscriptions.message
    assert lake.count("subscriptions") == 0
    assert lake.query("select count(*) from raw._quarantine where table_name = 'subscriptions'") == [(0,)]
    assert lake.query("select status from raw._loads where table_name = 'subscriptions'") == [("rejected",)]
    failed = [p for p in (lake.quality / "raw").glob("subscriptions*.json")]
    assert len(failed) == 1 and json.loads(failed[0].read_text())["result"]["success"] is False
