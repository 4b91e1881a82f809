"""The staging/mart quality gate on hand-made warehouses: thresholds from the seed, published baselines,
failures that name table and expectation, results JSON and Data Docs, and a failed gate blocking publish."""

from __future__ import annotations

import dataclasses
import json
from datetime import date
from types import SimpleNamespace

import duckdb
import pytest

from account_health import pipeline
from account_health.paths import Paths
from account_health.publish import publish, read_manifest
from account_health.quality import gate, marts
from account_health.quality.registry import ModelSuite, Range, all_suites, documented_columns

AS_OF = date(2026, 10, 31)

#: The real daily-health suite (ranges, band set from the seed, band drift) on a table name no YAML
#: documents, so these tests do not depend on the scorecard's final column list.
HEALTH = dataclasses.replace(
    next(suite for suite in marts.SUITES if suite.model == "fct_account_health_daily"),
    model="qa_health_daily",
)
WIDGETS = ModelSuite(layer="marts", model="qa_widgets", key=("widget_id",), row_count_change=True)


def widgets(warehouse, rows: int) -> None:
    warehouse.execute(
        "create or replace table marts.qa_widgets as "
        f"select 'w' || i as widget_id, i as size from range({rows}) as t(i)"
    )


def health_day(warehouse, bands: dict[str, int], *, score: float = 50) -> None:
    """The latest day (2026-10-31) with `bands` accounts per band, after an older day that is all unhealthy
    (only the latest day counts for drift, so the older day must not matter)."""
    warehouse.execute(
        "create or replace table marts.qa_health_daily (account_id varchar, score_date date, "
        "health_score double, health_band varchar)"
    )
    rows = []
    number = 0
    for band, count in bands.items():
        for _ in range(count):
            number += 1
            rows.append(f"('a{number}', date '2026-10-31', {score}, '{band}')")
            rows.append(f"('a{number}', date '2026-10-30', 10, 'unhealthy')")
    warehouse.execute("insert into marts.qa_health_daily values " + ", ".join(rows))


def failures_of(report, table: str) -> list[gate.QualityFailure]:
    return [failure for failure in report.failures if failure.table == table]


# --------------------------------------------------------------------------------------------------
def test_registry_declares_every_staging_model_and_the_expected_marts():
    suites = all_suites()
    staging = [suite.model for suite in suites if suite.layer == "staging"]
    assert len(staging) == 16 and {"stg_product__usage_events", "stg_crm__churn_events"} <= set(staging)
    mart_names = {suite.model for suite in suites if suite.layer == "marts"}
    assert {
        "dim_accounts",
        "dim_contacts",
        "fct_user_group_adoption",
        "fct_account_health_daily",
        "fct_account_health_drivers",
        "fct_account_review_queue",
        "fct_account_mrr_monthly",
        "fct_revenue_retention",
        "fct_account_dear_monthly",
        "fct_experience_trajectory",
    } <= mart_names
    required = {suite.model for suite in suites if suite.layer == "marts" and suite.required}
    assert required == {"dim_accounts", "dim_contacts"}
    contacts = next(suite for suite in suites if suite.model == "stg_crm__contacts")
    assert "email" not in contacts.not_null and {p.column for p in contacts.patterns} >= {"email_hash"}
    # the schema expectation reads the documented columns: no personal column is documented in staging
    assert "email" not in documented_columns()["stg_crm__contacts"]


def test_row_count_change_fails_above_the_seed_threshold_and_passes_below(warehouse):
    paths = warehouse.paths
    widgets(warehouse, 100)
    first = gate.validate(paths, [WIDGETS])
    assert first.ok, first.failures
    assert "marts.qa_widgets: row-count change skipped: no previous publish" in first.notes
    publish(paths, AS_OF)
    assert read_manifest(paths.serving_dir / "manifest.json")["tables"]["qa_widgets"]["rows"] == 100

    widgets(warehouse, 125)  # +25% = the default threshold in the seed: passes
    assert gate.validate(paths, [WIDGETS]).ok
    widgets(warehouse, 75)  # -25%: passes
    assert gate.validate(paths, [WIDGETS]).ok
    widgets(warehouse, 126)  # +26%: fails, naming table, check and counts
    report = gate.validate(paths, [WIDGETS])
    assert not report.ok
    [failure] = report.failures
    assert (failure.layer, failure.table, failure.expectation) == (
        "marts",
        "qa_widgets",
        "row_count_change_vs_last_publish",
    )
    assert failure.column == "100 -> 126 rows" and "observed 26.0" in failure.detail
    assert str(failure).startswith("marts.qa_widgets: row_count_change_vs_last_publish")

    # the threshold is data: a per-model row in the seed table overrides the default
    warehouse.threshold("max_row_count_change_pct", "qa_widgets", 30)
    assert gate.validate(paths, [WIDGETS]).ok


def test_band_drift_fails_above_the_threshold_and_passes_below(warehouse):
    paths = warehouse.paths
    health_day(warehouse, {"healthy": 5, "not_so_healthy": 3, "unhealthy": 2})
    first = gate.validate(paths, [HEALTH])
    assert first.ok, first.failures
    assert "marts.qa_health_daily: band drift skipped: no previous publish" in first.notes
    publish(paths, AS_OF)

    # shares 0.5/0.3/0.2 -> 0.4/0.3/0.3: every band moves at most 0.1 = the seed's threshold
    health_day(warehouse, {"healthy": 4, "not_so_healthy": 3, "unhealthy": 3})
    passing = gate.validate(paths, [HEALTH])
    assert passing.ok, passing.failures
    metrics = json.loads(next(p for p in passing.result_paths if "__metrics__" in p.name).read_text())
    assert metrics["result"]["success"] is True

    # 0.5/0.3/0.2 -> 0.3/0.3/0.4: healthy -0.2, unhealthy +0.2
    health_day(warehouse, {"healthy": 3, "not_so_healthy": 3, "unhealthy": 4})
    failing = gate.validate(paths, [HEALTH])
    assert not failing.ok
    drifted = {f.column: f for f in failing.failures}
    assert set(drifted) == {"health_band=healthy (0.500 -> 0.300)", "health_band=unhealthy (0.200 -> 0.400)"}
    assert all(f.expectation == "band_share_drift_vs_last_publish" for f in failing.failures)
    assert "observed -0.2" in drifted["health_band=healthy (0.500 -> 0.300)"].detail

    warehouse.threshold("max_band_share_drift", "qa_health_daily", 0.25)
    assert gate.validate(paths, [HEALTH]).ok


def test_row_level_failures_name_table_expectation_and_column_and_leave_results_and_docs(warehouse):
    paths = warehouse.paths
    health_day(warehouse, {"healthy": 2, "bogus_band": 1}, score=150)
    optional_widgets = dataclasses.replace(WIDGETS, required=False)
    report = gate.validate(paths, [HEALTH, optional_widgets])
    assert not report.ok
    found = {(f.table, f.expectation, f.column) for f in report.failures}
    assert ("qa_health_daily", "expect_column_values_to_be_between", "health_score") in found
    assert ("qa_health_daily", "expect_column_values_to_be_in_set", "health_band") in found
    # a declared but not-yet-built optional mart is skipped with a note, not failed
    assert "marts.qa_widgets: not built yet: suite skipped" in report.notes
    assert report.counts.tables_validated == 1 and report.counts.tables_skipped == 1

    results = sorted((paths.quality_dir / "marts").glob("*.json"))
    assert [p.name.split("__2")[0] for p in results] == [
        "marts__qa_health_daily",
        "marts__qa_health_daily__metrics",
    ]
    payload = json.loads(results[0].read_text())
    assert payload["suite"] == "marts__qa_health_daily" and payload["result"]["success"] is False
    summary = json.loads((paths.quality_dir / "validation" / "latest.json").read_text())
    assert summary["ok"] is False
    assert {(f["table"], f["column"]) for f in summary["failures"]} >= {("qa_health_daily", "health_score")}
    docs = paths.quality_dir / "data_docs" / "index.html"
    assert report.docs_path == docs and docs.exists()
    assert "marts__qa_health_daily" in docs.read_text()


def test_band_values_follow_the_health_bands_seed(warehouse):
    paths = warehouse.paths
    health_day(warehouse, {"healthy": 2, "thriving": 1})
    assert not gate.validate(paths, [HEALTH]).ok
    warehouse.execute(
        "create table config.health_bands as "
        "select * from (values ('healthy'), ('thriving'), ('unhealthy')) as t(band)"
    )
    report = gate.validate(paths, [HEALTH])
    assert report.ok, report.failures


def test_missing_core_mart_fails_and_missing_thresholds_seed_fails(paths: Paths):
    paths.warehouse_path.parent.mkdir(parents=True)
    duckdb.connect(str(paths.warehouse_path)).close()
    dim_accounts = next(suite for suite in marts.SUITES if suite.model == "dim_accounts")
    report = gate.validate(paths, [dim_accounts])
    assert {(f.table, f.expectation) for f in report.failures} == {
        ("dim_accounts", "table_exists"),
        ("quality_thresholds", "table_exists"),
    }


def test_large_tables_are_sampled_and_checked_whole_in_sql(warehouse):
    paths = warehouse.paths
    warehouse.threshold("max_rows_in_memory", "qa_big", 50)
    warehouse.execute(
        "create table marts.qa_big as select 'k' || i as big_id, "
        "case when i = 137 then 150 else i % 100 end as score, "
        "case when i = 3 then 'nope' else 'smb' end as segment from range(200) as t(i)",
        "insert into marts.qa_big values ('k5', 10, 'smb')",  # a duplicated key
    )
    big = ModelSuite(
        layer="marts",
        model="qa_big",
        key=("big_id",),
        ranges=(Range("score", 0, 100),),
        value_sets=(marts.SEGMENT_SET,),
    )
    report = gate.validate(paths, [big])
    assert report.counts.tables_sampled == 1
    whole = {(f.expectation, f.column) for f in report.failures if "(whole table)" in f.expectation}
    assert whole == {
        ("expect_column_values_to_be_between (whole table)", "score"),
        ("expect_column_values_to_be_in_set (whole table)", "segment"),
        ("expect_compound_columns_to_be_unique (whole table)", "big_id"),
    }
    sample = json.loads(next(p for p in report.result_paths if "__metrics__" not in p.name).read_text())
    assert sample["result"]["results"], "the sample suite ran"


def test_a_failed_gate_blocks_publish_and_names_table_and_expectation(warehouse, monkeypatch):
    paths = warehouse.paths
    health_day(warehouse, {"healthy": 3})
    publish(paths, AS_OF)
    published_run = read_manifest(paths.serving_dir / "manifest.json")["run_id"]
    health_day(warehouse, {"healthy": 3}, score=150)  # the next build produces an impossible score

    (paths.raw_dir / "accounts").mkdir(parents=True)
    (paths.raw_dir / "accounts" / "a.csv").write_text("account_id\n")
    import account_health.land

    monkeypatch.setattr(account_health.land, "land", lambda *a, **k: SimpleNamespace(ok=True, files=[]))
    monkeypatch.setattr(
        pipeline.dbt_build, "build", lambda *a, **k: SimpleNamespace(success=True, problems=[])
    )
    monkeypatch.setattr(gate, "all_suites", lambda: [HEALTH])

    with pytest.raises(pipeline.PipelineError) as raised:
        pipeline.run(paths, AS_OF)
    assert raised.value.step == "validate"
    message = str(raised.value)
    assert "marts.qa_health_daily: expect_column_values_to_be_between on health_score" in message
    assert raised.value.summary.published is None
    assert read_manifest(paths.serving_dir / "manifest.json")["run_id"] == published_run
    with duckdb.connect(str(paths.serving_path), read_only=True) as serving:
        assert serving.execute("select max(health_score) from qa_health_daily").fetchone()[0] == 50
