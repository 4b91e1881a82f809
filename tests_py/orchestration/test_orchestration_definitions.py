"""The Dagster definitions: the graph loads, and the daily job materializes everything on tiny data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

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
def data_paths(tmp_path_factory: pytest.TempPathFactory) -> Paths:
    """The module's data folder, empty until `tiny_paths` generates into it."""
    return Paths(tmp_path_factory.mktemp("orchestration") / "data")


@pytest.fixture(scope="module")
def parsed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where every test of the module parses the dbt project (build_definitions): on one data folder, dbt
    then re-parses only what changed since the last parse there (nothing), not the whole project (20 s)."""
    return tmp_path_factory.mktemp("parsed")


@pytest.fixture(scope="module")
def tiny_paths(data_paths: Paths) -> Paths:
    """Tiny data generated into the module's data folder (not landed: the daily job lands it)."""
    generate = pytest.importorskip("account_health.generate")
    if not hasattr(generate, "generate"):
        pytest.skip("account_health.generate.generate is not there yet")
    generate.generate(data_paths.raw_dir, data_paths.ground_truth_dir, scale="tiny", seed=42, as_of=AS_OF)
    return data_paths


def test_the_graph_wires_landing_to_dbt_sources_and_marts_to_publish(data_paths, parsed):
    defs = build_definitions(data_paths, validator=lambda paths: Report(True), target_dir=parsed)
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


def test_the_schedule_computes_the_scores_as_of_the_day_before(data_paths, parsed):
    defs = build_definitions(data_paths, validator=lambda paths: Report(True), target_dir=parsed)
    schedule = defs.resolve_schedule_def("daily_account_health_schedule")
    context = dg.build_schedule_context(scheduled_execution_time=datetime(2026, 11, 1, 5, 0))
    request = schedule.evaluate_tick(context).run_requests[0]
    assert request.tags[AS_OF_TAG] == "2026-10-31"


@pytest.mark.slow
def test_the_daily_job_materializes_the_whole_graph_and_publishes(tiny_paths, parsed):
    defs = build_definitions(tiny_paths, as_of=AS_OF, target_dir=parsed)  # the real Great Expectations suites

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
        tiny_paths,
        as_of=AS_OF,
        validator=lambda paths: Report(False, ("marts.dim_accounts: row count",)),
        target_dir=parsed,
    )
    blocked = failing.resolve_job_def("daily_account_health").execute_in_process(
        asset_selection=[DIM_ACCOUNTS, SERVING_KEY], raise_on_error=False
    )
    assert not blocked.success
    checks = blocked.get_asset_check_evaluations()
    assert any(check.asset_check_key.name == GX_CHECK_NAME and not check.passed for check in checks)
    assert SERVING_KEY not in {event.asset_key for event in blocked.get_asset_materialization_events()}
    assert read_manifest(tiny_paths.serving_dir / "manifest.json") == published
