"""The semantic layer gives the marts' own numbers.

On the session's tiny pipeline run (fixture `tiny_run`), every headline metric is queried through
MetricFlow (account_health.metrics: the engine plans the SQL from the semantic manifest the build wrote)
and compared with the marts queried directly in SQL written here: exact for counts and money, 1e-9 for
ratios. All queries share one MetricFlow engine and one read-only connection.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from decimal import Decimal

import duckdb
import pytest

from account_health.metrics import MetricsError, MetricsSession, metrics_session

RATIO_TOLERANCE = 1e-9
RATIOS = ("nrr", "grr", "logo_retention")


@pytest.fixture(scope="module")
def session(tiny_run) -> Iterator[MetricsSession]:
    with metrics_session(tiny_run.paths) as opened:
        yield opened


@pytest.fixture(scope="module")
def marts(tiny_run) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(tiny_run.paths.warehouse_path), read_only=True)
    yield con
    con.close()


def _day(value: datetime.date | datetime.datetime) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


def _month(value: datetime.date | datetime.datetime) -> datetime.date:
    return _day(value).replace(day=1)


def _same_ratio(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return abs(got - want) <= RATIO_TOLERANCE


def _by_first_column(rows) -> dict:
    return {row[0]: tuple(row[1:]) for row in rows}


# -- revenue retention: fct_revenue_retention, segment 'all' and per segment


def test_nrr_grr_logo_retention_by_month_equal_the_mart(session, marts):
    table = session.query(RATIOS, group_by=["metric_time__month"])
    assert table.columns == ("metric_time__month", *RATIOS)
    got = {_month(row[0]): row[1:] for row in table.rows}
    want = {
        _month(row[0]): row[1:]
        for row in marts.execute(
            "select month_end, nrr_12m_rate, grr_12m_rate, logo_retention_12m_rate "
            "from marts.fct_revenue_retention where segment = 'all'"
        ).fetchall()
    }
    assert got.keys() == want.keys()
    measured = [month for month, rates in want.items() if rates[0] is not None]
    assert len(measured) >= 12, "tiny data should have a year of 12-month rates"
    wrong = {
        month: (got[month], want[month])
        for month in want
        if not all(map(_same_ratio, got[month], want[month]))
    }
    assert not wrong, f"semantic layer vs mart (nrr, grr, logo retention): {wrong}"


def test_numerators_and_denominators_by_month_equal_the_mart_exactly(session, marts):
    names = (
        "retention_base_12m_starting_mrr",
        "retention_base_12m_current_mrr",
        "retention_base_12m_capped_mrr",
        "retention_base_12m_accounts",
        "retention_base_12m_retained_accounts",
    )
    table = session.query(names, group_by=["metric_time__month"])
    got = {_month(row[0]): tuple(row[1:]) for row in table.rows}
    want = {
        _month(row[0]): tuple(row[1:])
        for row in marts.execute(
            "select month_end, base_12m_starting_mrr, base_12m_current_mrr, base_12m_capped_mrr, "
            "base_12m_account_count, base_12m_retained_account_count "
            "from marts.fct_revenue_retention where segment = 'all'"
        ).fetchall()
    }
    assert got == want


def test_ratios_by_segment_without_time_are_the_latest_month_end(session, marts):
    table = session.query(RATIOS, group_by=["revenue_retention__segment"])
    want = marts.execute(
        "select segment, nrr_12m_rate, grr_12m_rate, logo_retention_12m_rate "
        "from marts.fct_revenue_retention "
        "where segment <> 'all' and month_end = (select max(month_end) from marts.fct_revenue_retention)"
    ).fetchall()
    got = _by_first_column(table.rows)
    assert got.keys() == {row[0] for row in want}
    for segment, *rates in want:
        assert all(map(_same_ratio, got[segment], rates)), segment


def test_ratios_without_any_group_are_todays_headline(session, marts):
    (got,) = session.query(RATIOS).rows
    want = marts.execute(
        "select nrr_12m_rate, grr_12m_rate, logo_retention_12m_rate from marts.fct_revenue_retention "
        "where segment = 'all' order by month_end desc limit 1"
    ).fetchone()
    assert all(map(_same_ratio, got, want))


def test_nrr_by_quarter_is_the_quarters_last_month_end_not_a_sum_of_months(session, marts):
    table = session.query(["nrr"], group_by=["metric_time__quarter"])
    want = {
        _day(row[0]): row[1]
        for row in marts.execute(
            "select date_trunc('quarter', month_end), arg_max(nrr_12m_rate, month_end) "
            "from marts.fct_revenue_retention where segment = 'all' group by 1"
        ).fetchall()
    }
    got = {_day(row[0]): row[1] for row in table.rows}
    assert got.keys() == want.keys()
    assert all(_same_ratio(got[quarter], want[quarter]) for quarter in want)


# -- health: customers, ARR and ARR at risk per band


def test_accounts_and_arr_per_band_today_equal_dim_accounts(session, marts):
    table = session.query(["accounts", "arr", "arr_at_risk"], group_by=["account_health__health_band"])
    got = _by_first_column(table.rows)
    bands = marts.execute(
        "select health_band, count(*), sum(current_arr_usd) from marts.dim_accounts "
        "where is_active_customer group by health_band"
    ).fetchall()
    at_risk = {
        band
        for (band,) in marts.execute(
            "select band from config.health_bands where is_at_risk "
            "and valid_from = (select max(valid_from) from config.health_bands)"
        ).fetchall()
    }
    assert len(bands) >= 2
    want = {band: (count, arr, arr if band in at_risk else Decimal("0.00")) for band, count, arr in bands}
    assert got == want


def test_arr_at_risk_today_covers_the_review_queue(session, marts):
    (row,) = session.query(["arr_at_risk"]).rows
    queued = marts.execute("select coalesce(sum(arr_at_risk_usd), 0) from marts.fct_account_review_queue")
    # the queue holds only accounts due for review; each carries its whole ARR when its band is at risk
    assert row[0] >= queued.fetchone()[0]
    assert row[0] > 0


def test_accounts_arr_and_arr_at_risk_by_month_are_the_months_last_scored_day(session, marts):
    table = session.query(["accounts", "arr", "arr_at_risk"], group_by=["metric_time__month"])
    got = {_month(row[0]): tuple(row[1:]) for row in table.rows}
    want = {
        _month(row[0]): tuple(row[1:])
        for row in marts.execute(
            """
            with last_days as (
                select max(score_date) as score_date
                from marts.fct_account_health_daily
                group by date_trunc('month', score_date)
            ),
            band_versions as (
                select band, is_at_risk, valid_from,
                    lead(valid_from) over (partition by band order by valid_from) as valid_to
                from config.health_bands
            )
            select
                daily.score_date,
                count(*),
                sum(daily.mrr_usd * 12),
                sum(case when band_versions.is_at_risk then daily.mrr_usd * 12 else 0 end)
            from marts.fct_account_health_daily as daily
            inner join last_days on daily.score_date = last_days.score_date
            left join band_versions
                on daily.health_band = band_versions.band
                and daily.score_date >= band_versions.valid_from
                and (band_versions.valid_to is null or daily.score_date < band_versions.valid_to)
            group by daily.score_date
            """
        ).fetchall()
    }
    assert len(want) >= 12
    assert got == want


def test_accounts_by_csm_add_up_to_all_customers(session, marts):
    by_csm = session.query(["accounts"], group_by=["account__csm_owner"]).rows
    (total,) = session.query(["accounts"]).rows
    assert sum(count for _, count in by_csm) == total[0]
    assert (
        total[0]
        == marts.execute("select count(*) from marts.dim_accounts where is_active_customer").fetchone()[0]
    )


# -- the definitions themselves


def test_validate_configs_finds_no_issue(session):
    """`mf validate-configs`: the semantic checks, then each model, dimension, entity and metric against
    the warehouse."""
    results = session.validate()
    assert not results.has_blocking_issues, [issue.as_readable_str() for issue in results.all_issues]


def test_the_headline_metrics_are_defined(session):
    assert {"nrr", "grr", "logo_retention", "accounts", "arr", "arr_at_risk"} <= set(session.metric_names())


def test_an_unknown_metric_is_one_clear_error(session):
    with pytest.raises(MetricsError, match="unknown metric churn_rate"):
        session.query(["churn_rate"])
