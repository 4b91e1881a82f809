"""Appending later data must not change any earlier day's health row (point-in-time scoring), and a history
built in slices is the history built at once."""

from __future__ import annotations

import datetime as dt

import pytest
from _health_build import AS_OF, HEALTH_MODELS, build_health, read

from account_health import build
from account_health.history_slices import ACCOUNT_DAYS_ENV
from account_health.paths import PROJECT_DIR, Paths

D1 = dt.date(2026, 8, 31)
COLUMNS = (
    "account_id, score_date, scorecard_version, components_used, health_score, health_band, "
    "previous_band, score_delta_30d, top_score_drivers, top_change_drivers, quadrant, "
    "recommended_action, next_review_due_date, by_choice_active_rate_30d_raw, nps_365d_raw"
)


#: The user-group chain, incremental by account day: a daily run reads only the activity that reaches
#: the new days (DECISIONLOG.md#user-groups-incremental), and must count what a full build counts.
INCREMENTAL_MEASURE_MODELS = (
    "int_user_groups_aggregated_to_account_day",
    "int_user_group_rates_computed_to_account_day",
    "int_product_measures_unioned",
)


def _all_rows(paths: Paths, model: str) -> list[tuple]:
    return read(paths, f"select * from intermediate.{model} order by all")


def _rows(paths: Paths, through: dt.date) -> list[tuple]:
    return read(
        paths,
        f"select {COLUMNS} from marts.fct_account_health_daily "
        f"where score_date <= date '{through.isoformat()}' order by account_id, score_date",
    )


def test_earlier_days_are_identical_after_a_later_build(
    landed: Paths, built_from_scratch: Paths, monkeypatch: pytest.MonkeyPatch
) -> None:
    # first build as of D1, then `account-health build` as of D2, which appends two months in two slices
    build_health(PROJECT_DIR, landed, D1, "--full-refresh")
    first = _rows(landed, D1)
    assert first, "the D1 build produced no health rows"
    assert max(row[1] for row in first) == D1

    # Sep 1..Oct 31 is 61 days: at 31 account-days per account and build, two builds of 31 days, the
    # first as of Oct 1 (account_health.history_slices)
    [(customers,)] = read(landed, "select count(*) from raw.accounts where not coalesce(is_test, false)")
    monkeypatch.setenv(ACCOUNT_DAYS_ENV, str(customers * 31))
    result = build.build(landed, AS_OF, select=HEALTH_MODELS.split(), freshness=False)
    assert result.success, result.problems
    assert result.caught_up_as_of == [dt.date(2026, 10, 1)]
    appended = _rows(landed, AS_OF)
    assert max(row[1] for row in appended) == AS_OF
    assert [row for row in appended if row[1] <= D1] == first
    appended_measures = {model: _all_rows(landed, model) for model in INCREMENTAL_MEASURE_MODELS}

    # a from-scratch build as of D2 of the same landed data (the session's, conftest.py) agrees with the
    # incremental one on every day, including D1's
    assert _rows(built_from_scratch, AS_OF) == appended
    for model, rows in appended_measures.items():
        assert _all_rows(built_from_scratch, model) == rows, (
            f"{model}: the daily runs differ from a full build"
        )


def test_contributions_add_up_to_the_score(landed: Paths) -> None:
    built = read(
        landed,
        "select count(*) from information_schema.tables "
        "where table_schema = 'marts' and table_name = 'fct_account_health_daily'",
    )
    if not built[0][0]:  # run alone: the point-in-time test above leaves the models built as of AS_OF
        build_health(PROJECT_DIR, landed, AS_OF)
    mismatches = read(
        landed,
        """
        select daily.account_id, daily.score_date
        from marts.fct_account_health_daily as daily
        inner join marts.fct_account_health_drivers as drivers
            on daily.account_id = drivers.account_id and daily.score_date = drivers.score_date
        group by daily.account_id, daily.score_date, daily.health_score, daily.score_delta_30d
        having sum(drivers.contribution) <> coalesce(daily.health_score, 0)
            or (daily.score_delta_30d is not null
                and sum(drivers.contribution_delta_30d) <> daily.score_delta_30d)
        """,
    )
    assert mismatches == []
