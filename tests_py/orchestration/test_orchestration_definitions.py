"""The Dagster definitions: the graph loads, and the daily job materializes everything on tiny data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import dagster as dg
import duckdb
import pytest

from account_health import contract
from account_health.orchestration.definitions import (
    AS_OF_TAG,
    GX_CHECK_NAME,
    SERVING_KEY,
    build_definitions,
)
from account_health.paths import Paths
from account_health.publish import read_manifest

AS_OF = date(2026, 10, 31)
DIM_ACCOUNTS = dg.AssetKey(["marts", "dim_accounts"])


@dataclass
class Report:
    """A stand-in quality report, to show that a failed check blocks publish."""

    ok: bool
    failures: tuple[str, ...] = ()


@pytest.fixture(scope="module")
def tiny_paths(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    generate = pytest.importorskip("account_health.generate")
    if not hasattr(generate, "generate"):
        pytest.skip("account_health.generate.generate is not there yet")
    paths = Paths(tmp_path_factory.mktemp("orchestration") / "data")
    generate.generate(paths.raw_dir, paths.ground_truth_dir, scale="tiny", seed=42, as_of=AS_OF)
    return paths


def test_the_graph_wires_landing_to_dbt_sources_and_marts_to_publish(tmp_path):
    defs = build_definitions(Paths(tmp_path / "data"), validator=lambda paths: Report(True))
    graph = defs.resolve_asset_graph()
    keys = set(graph.get_all_asset_keys())

    assert {dg.AssetKey(["raw", name]) for name in contract.TABLES} <= keys
    staging = graph.get(dg.AssetKey(["staging", "stg_crm__accounts"]))
    assert dg.AssetKey(["raw", "accounts"]) in staging.parent_keys
    publish = graph.get(SERVING_KEY)
    assert DIM_ACCOUNTS in publish.parent_keys
    assert all(parent.path[0] == "marts" for parent in publish.parent_keys)
    check_keys = {key.name for key in graph.asset_check_keys}
    assert GX_CHECK_NAME in check_keys
    schedule = defs.resolve_schedule_def("daily_account_health_schedule")
    assert schedule.cron_schedule == "0 5 * * *"
    assert defs.resolve_sensor_def("band_change_alerts").name == "band_change_alerts"


def test_the_schedule_computes_the_scores_as_of_the_day_before(tmp_path):
    defs = build_definitions(Paths(tmp_path / "data"), validator=lambda paths: Report(True))
    schedule = defs.resolve_schedule_def("daily_account_health_schedule")
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 11, 1, 5, 0))
    request = schedule.evaluate_tick(context).run_requests[0]
    assert request.tags[AS_OF_TAG] == "2026-10-31"


@pytest.mark.slow
def test_the_daily_job_materializes_the_whole_graph_and_publishes(tiny_paths):
    defs = build_definitions(tiny_paths, as_of=AS_OF)  # the real Great Expectations suites

    result = defs.resolve_job_def("daily_account_health").execute_in_process()

    assert result.success
    materialized = {event.asset_key for event in result.get_asset_materialization_events()}
    assert {SERVING_KEY, DIM_ACCOUNTS, dg.AssetKey(["raw", "accounts"])} <= materialized
    con = duckdb.connect(str(tiny_paths.serving_path), read_only=True)
    try:
        assert con.execute("select count(*) from dim_accounts").fetchone()[0] > 0
    finally:
        con.close()

    # A failed Great Expectations check blocks publish: serving keeps the run above.
    published = read_manifest(tiny_paths.serving_dir / "manifest.json")
    failing = build_definitions(
        tiny_paths, as_of=AS_OF, validator=lambda paths: Report(False, ("marts.dim_accounts: row count",))
    )
    blocked = failing.resolve_job_def("daily_account_health").execute_in_process(
        asset_selection=[DIM_ACCOUNTS, SERVING_KEY], raise_on_error=False
    )
    assert not blocked.success
    checks = blocked.get_asset_check_evaluations()
    assert any(check.asset_check_key.name == GX_CHECK_NAME and not check.passed for check in checks)
    assert SERVING_KEY not in {event.asset_key for event in blocked.get_asset_materialization_events()}
    assert read_manifest(tiny_paths.serving_dir / "manifest.json") == published
