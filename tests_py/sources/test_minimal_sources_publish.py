"""The two smallest sets of sources a company can have publish for real, from files: land, build,
validate, publish, report.

- {accounts, subscriptions}: a billing export and a CRM list, nothing else.
- {accounts, subscriptions, usage_events}: plus a feature-usage log exported per account, unlike the
  generator's: CSV instead of Parquet, no user_id and no event_name columns, rows in reverse order.
  (Windows line endings are tested in tests_py/land/test_exports.py and tests_py/mapping.)
The files are the session's tiny data (tests_py/conftest.py), so nothing is generated twice.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from datetime import date

import duckdb
import pytest
from _component_sources import read_component_sources

from account_health.contract import GENERATED_TABLES, TABLES
from account_health.paths import Paths
from account_health.pipeline import RunSummary, run

AS_OF = date(2026, 10, 31)
GENERATED = list(GENERATED_TABLES)

pytestmark = pytest.mark.slow


@dataclass
class MinimalRun:
    kept: set[str]
    paths: Paths
    summary: RunSummary


def _account_level_usage(source_dir, target_dir) -> None:
    """The generator's usage Parquet as a per-account CSV export: no user_id, no event_name."""
    target_dir.mkdir(parents=True)
    with duckdb.connect() as con:
        con.execute(
            f"""
            copy (
                select event_id, account_id, product_id, feature, occurred_at, session_id
                from read_parquet('{source_dir}/*.parquet')
                order by occurred_at desc, event_id desc
            ) to '{target_dir / "usage_export.csv"}' (header, delimiter ',')
            """
        )


@pytest.fixture(
    scope="module",
    params=[
        "accounts+subscriptions",
        "accounts+subscriptions+usage_events",
    ],
)
def minimal_run(request, tiny_run, tmp_path_factory: pytest.TempPathFactory) -> MinimalRun:
    kept = set(request.param.split("+"))
    paths = Paths(tmp_path_factory.mktemp("minimal") / "data")
    for table in ("accounts", "subscriptions"):
        shutil.copytree(tiny_run.paths.raw_dir / table, paths.raw_dir / table)
    if "usage_events" in kept:
        _account_level_usage(tiny_run.paths.raw_dir / "usage_events", paths.raw_dir / "usage_events")
    return MinimalRun(kept=kept, paths=paths, summary=run(paths, AS_OF))


def test_a_minimal_set_of_sources_publishes_and_says_what_was_not_provided(minimal_run: MinimalRun):
    summary = minimal_run.summary
    assert summary.published is not None
    assert summary.report is not None
    expected_missing = [name for name in TABLES if name not in minimal_run.kept]
    if "usage_events" in minimal_run.kept:
        expected_missing.append("usage_events.user_id")
    assert list(summary.build.not_provided) == expected_missing
    assert summary.build.not_provided_note() == (
        ", ".join(expected_missing) + " (freshness not checked; their components are missing, not scored 0)"
    )

    with duckdb.connect(str(minimal_run.paths.serving_path), read_only=True) as con:
        listed = con.execute("select distinct sources_provided from dim_accounts").fetchall()
        daily = con.execute("select distinct sources_provided from fct_account_health_daily").fetchall()
    assert listed == daily == [(sorted(minimal_run.kept),)]

    html = summary.report.path.read_text()
    assert "Not provided: " + ", ".join(expected_missing) in html


def test_components_of_sources_not_provided_are_missing_on_every_row(minimal_run: MinimalRun):
    removed = set(GENERATED) - minimal_run.kept
    if "usage_events" in minimal_run.kept:
        removed.add("usage_events.user_id")
    missing = read_component_sources().missing_without(removed)
    with duckdb.connect(str(minimal_run.paths.serving_path), read_only=True) as con:
        statuses = dict(
            con.execute(
                """
                select component_id, list_distinct(list(component_status))
                from fct_account_health_drivers group by component_id
                """
            ).fetchall()
        )
    assert set(statuses) >= missing
    assert {component: statuses[component] for component in missing} == {
        component: ["missing"] for component in missing
    }
    if "usage_events" in minimal_run.kept:
        # account-level usage: the account is the one user, so these are measured, per user ones missing
        account_level = ("usage_trend_rate", "feature_breadth_rate_30d", "stickiness_rate", "usage_depth_30d")
        for component in account_level:
            assert "used" in statuses[component], component
        assert "active_user_rate_30d" in missing


def test_a_score_on_fewer_than_five_components_is_insufficient(minimal_run: MinimalRun):
    with duckdb.connect(str(minimal_run.paths.serving_path), read_only=True) as con:
        rows, disagreeing, most_used = con.execute(
            """
            select
                count(*),
                count(*) filter (
                    where (score_status = 'insufficient') <> (components_used_count < 5)
                ),
                max(components_used_count)
            from fct_account_health_daily
            """
        ).fetchone()
    assert rows > 0
    assert disagreeing == 0
    if "usage_events" not in minimal_run.kept:
        # by hand from the seeds: only contraction_events_365d (subscriptions) is weighted and
        # measurable (days_to_renewal has weight 0), so at most one component is used: insufficient
        assert most_used == 1
