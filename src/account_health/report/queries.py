"""What the report reads from the serving database. Every query aggregates in DuckDB; Python gets
a few hundred rows at most. A section whose mart is absent is left out rather than failing the report."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb

from account_health.contract import TABLES
from account_health.provided import OPTIONAL_COLUMNS
from account_health.serving import published_marts

BANDS = ("healthy", "not_so_healthy", "unhealthy")
# fixed order, so the colours and the file are the same on every run
USER_GROUPS = ("by_choice", "mandated", "new", "established")
# rows of the review queue shown at once; the CSM and segment filters pick which
REVIEW_QUEUE_SHOWN = 15
UNASSIGNED = "unassigned"


@dataclass
class ReportData:
    as_of: str | None = None
    kpis: dict[str, Any] = field(default_factory=dict)
    band_months: list[str] = field(default_factory=list)
    band_shares: dict[str, list[float]] = field(default_factory=dict)
    score_bins: list[str] = field(default_factory=list)
    score_counts: dict[str, list[int]] = field(default_factory=dict)
    quadrants: list[dict[str, Any]] = field(default_factory=list)
    retention_months: list[str] = field(default_factory=list)
    retention: dict[str, list[float | None]] = field(default_factory=dict)
    adoption_months: list[str] = field(default_factory=list)
    adoption: dict[str, list[float | None]] = field(default_factory=dict)
    review_queue: list[dict[str, Any]] = field(default_factory=list)
    review_queue_total: int = 0
    review_queue_shown: int = REVIEW_QUEUE_SHOWN
    review_queue_csms: list[str] = field(default_factory=list)
    review_queue_segments: list[str] = field(default_factory=list)
    decliners: list[dict[str, Any]] = field(default_factory=list)
    why_red: list[dict[str, Any]] = field(default_factory=list)
    renewals_by_window: list[dict[str, Any]] = field(default_factory=list)
    renewals: list[dict[str, Any]] = field(default_factory=list)
    forecast: list[dict[str, Any]] = field(default_factory=list)
    backtest: list[dict[str, Any]] = field(default_factory=list)
    sources_provided: list[str] = field(default_factory=list)
    sources_not_provided: list[str] = field(default_factory=list)
    insufficient_scores: int = 0


def _records(con: duckdb.DuckDBPyConnection, sql: str) -> list[dict[str, Any]]:
    cursor = con.execute(sql)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def read_report_data(con: duckdb.DuckDBPyConnection) -> ReportData:
    tables = set(published_marts(con))
    data = ReportData()
    if "dim_accounts" in tables:
        _read_kpis(con, data)
        _read_sources(con, data)
    if "fct_account_health_daily" in tables:
        _read_health(con, data)
    if "fct_revenue_retention" in tables:
        _read_retention(con, data, scored_only="fct_account_health_daily" in tables)
    if "fct_user_group_adoption" in tables:
        _read_adoption(con, data)
    if "fct_account_review_queue" in tables:
        data.review_queue_total = con.execute("select count(*) from fct_account_review_queue").fetchone()[0]
        data.review_queue = _records(
            con,
            """
            select account_name, segment, csm_owner, health_band, band_set_by, band_override_rules,
                health_score, score_delta_30d, arr_at_risk_usd, recommended_action, next_review_due_date,
                is_review_overdue, has_unactioned_band_change
            from fct_account_review_queue
            order by queue_rank
            """,
        )
        # every row is in the file (hidden past the first REVIEW_QUEUE_SHOWN) so the CSM and segment
        # filters work in the browser, offline
        data.review_queue_csms = sorted({row["csm_owner"] or UNASSIGNED for row in data.review_queue})
        data.review_queue_segments = sorted({row["segment"] for row in data.review_queue})
    if "fct_renewals_upcoming" in tables:
        _read_renewals(con, data)
    if "fct_nrr_forecast" in tables:
        data.forecast = _records(
            con,
            """
            select
                forecast.segment,
                forecast.target_month_end,
                forecast.nrr_forecast_rate,
                forecast.nrr_lower_rate,
                forecast.nrr_upper_rate,
                forecast.grr_forecast_rate,
                forecast.nrr_at_stake_rate,
                forecast.forecast_status,
                forecast.note,
                backtest.nrr_forecast_rate as backtest_nrr_forecast_rate,
                backtest.actual_nrr_rate as backtest_actual_nrr_rate
            from fct_nrr_forecast as forecast
            left join fct_nrr_forecast as backtest
                on forecast.segment = backtest.segment
                and backtest.forecast_type = 'backtest'
                and backtest.health_band = 'all'
            where forecast.forecast_type = 'forecast' and forecast.health_band = 'all'
            order by forecast.segment
            """,
        )
    if "fct_health_score_backtest" in tables:
        data.backtest = _records(
            con,
            """
            select scope, horizon_months, account_count, outcome_count, auc, result_status, note
            from fct_health_score_backtest
            where is_headline and method = 'health_score'
            order by scope
            """,
        )
    return data


def _read_sources(con: duckdb.DuckDBPyConnection, data: ReportData) -> None:
    """Which raw tables the marts were built from; the others are shown as not provided, not as errors."""
    row = con.execute("select max(sources_provided) from dim_accounts").fetchone()
    provided = list(row[0] or []) if row else []
    # an optional column is only worth a mention when its table was provided
    optional = [f"{table}.{column}" for table, column in OPTIONAL_COLUMNS if table in provided]
    data.sources_provided = provided
    data.sources_not_provided = [name for name in (*TABLES, *optional) if name not in provided]


def _read_kpis(con: duckdb.DuckDBPyConnection, data: ReportData) -> None:
    row = _records(
        con,
        """
        select
            count(*) as accounts,
            sum(current_arr_usd) as arr_usd,
            max(as_of_date)::varchar as as_of,
            count(*) filter (where health_band = 'healthy') as healthy,
            count(*) filter (where health_band = 'not_so_healthy') as not_so_healthy,
            count(*) filter (where health_band = 'unhealthy') as unhealthy,
            sum(current_arr_usd) filter (where health_band = 'unhealthy') as arr_unhealthy_usd
        from dim_accounts
        where is_active_customer
        """,
    )[0]
    data.as_of = row.pop("as_of")
    data.kpis = row


def _read_health(con: duckdb.DuckDBPyConnection, data: ReportData) -> None:
    rows = con.execute(
        """
        with month_ends as (
            select
                strftime(score_date, '%Y-%m') as month,
                health_band,
                count(*) as accounts
            from fct_account_health_daily
            where score_date = last_day(score_date)
                or score_date = (select max(score_date) from fct_account_health_daily)
            group by all
        )
        select month, health_band, accounts / sum(accounts) over (partition by month) as share
        from month_ends
        order by month
        """
    ).fetchall()
    months = sorted({month for month, _, _ in rows})
    shares = {band: [0.0] * len(months) for band in BANDS}
    for month, band, share in rows:
        if band in shares:
            shares[band][months.index(month)] = float(share)
    data.band_months, data.band_shares = months, shares

    latest = con.execute(
        """
        select health_band, least(floor(health_score / 10), 9)::int as bin, count(*)
        from fct_account_health_daily
        where score_date = (select max(score_date) from fct_account_health_daily)
            and health_score is not null
        group by all
        """
    ).fetchall()
    data.score_bins = [f"{bin_ * 10}-{bin_ * 10 + 10}" for bin_ in range(10)]
    counts = {band: [0] * 10 for band in BANDS}
    for band, bin_, count in latest:
        if band in counts:
            counts[band][bin_] = count
    data.score_counts = counts

    data.insufficient_scores = con.execute(
        """
        select count(*) from fct_account_health_daily
        where score_date = (select max(score_date) from fct_account_health_daily)
            and score_status = 'insufficient'
        """
    ).fetchone()[0]
    data.quadrants = _records(
        con,
        """
        select quadrant, count(*) as accounts, round(avg(health_score), 1) as avg_health_score
        from fct_account_health_daily
        where score_date = (select max(score_date) from fct_account_health_daily)
        group by quadrant
        order by accounts desc
        """,
    )
    # why today's unhealthy customers are red: their score, or an override (and which one)
    data.why_red = _records(
        con,
        """
        select
            band_set_by,
            coalesce(band_override_rules, '') as band_override_rules,
            count(*) as accounts,
            round(avg(health_score), 1) as avg_health_score
        from fct_account_health_daily
        where score_date = (select max(score_date) from fct_account_health_daily)
            and health_band = 'unhealthy'
        group by all
        order by band_set_by desc, accounts desc, band_override_rules
        """,
    )
    data.decliners = _records(
        con,
        """
        select
            coalesce(accounts.account_name, health.account_id) as account_name,
            health.segment,
            health.health_band,
            health.previous_band,
            health.health_score,
            health.score_delta_30d,
            health.top_change_drivers
        from fct_account_health_daily as health
        left join dim_accounts as accounts
            on health.account_id = accounts.account_id
        where health.score_date = (select max(score_date) from fct_account_health_daily)
            and health.score_delta_30d < 0
        order by health.score_delta_30d
        limit 10
        """,
    )


def _read_retention(con: duckdb.DuckDBPyConnection, data: ReportData, *, scored_only: bool) -> None:
    # the same months as the health charts: subscription history can reach back before any usage data
    since = "and month_end >= (select min(score_date) from fct_account_health_daily)" if scored_only else ""
    rows = con.execute(
        f"""
        select strftime(month_end, '%Y-%m') as month, nrr_12m_rate, grr_12m_rate, logo_retention_12m_rate
        from fct_revenue_retention
        where segment = 'all' and nrr_12m_rate is not null {since}
        order by month_end
        """
    ).fetchall()
    data.retention_months = [row[0] for row in rows]
    data.retention = {
        "NRR (12 months)": [row[1] for row in rows],
        "GRR (12 months)": [row[2] for row in rows],
        "logo retention (12 months)": [row[3] for row in rows],
    }


def _read_adoption(con: duckdb.DuckDBPyConnection, data: ReportData) -> None:
    rows = con.execute(
        """
        select
            strftime(month_start_date, '%Y-%m') as month,
            user_group,
            sum(active_users) / nullif(sum(provisioned_users), 0) as active_user_rate
        from fct_user_group_adoption
        where user_group in ('by_choice', 'mandated', 'new', 'established')
        group by all
        order by month, user_group
        """
    ).fetchall()
    months = sorted({row[0] for row in rows})
    series: dict[str, list[float | None]] = {group: [None] * len(months) for group in USER_GROUPS}
    for month, group, rate in rows:
        series[group][months.index(month)] = rate
    data.adoption_months = months
    data.adoption = {group: values for group, values in series.items() if any(v is not None for v in values)}


def _read_renewals(con: duckdb.DuckDBPyConnection, data: ReportData) -> None:
    """ARR renewing per window (30/60/90 days, seed renewal_windows) and band, and the accounts."""
    data.renewals_by_window = _records(
        con,
        """
        select
            window_days,
            any_value(window_label) as window_label,
            count(*) as accounts,
            sum(current_arr_usd) as arr_usd,
            coalesce(sum(current_arr_usd) filter (where health_band = 'unhealthy'), 0) as unhealthy_arr_usd,
            coalesce(sum(current_arr_usd) filter (where health_band = 'not_so_healthy'), 0)
                as not_so_healthy_arr_usd,
            coalesce(sum(current_arr_usd) filter (where health_band = 'healthy'), 0) as healthy_arr_usd,
            count(*) filter (where is_renewal_overdue) as overdue
        from fct_renewals_upcoming
        group by window_days
        order by window_days
        """,
    )
    data.renewals = _records(
        con,
        """
        select account_name, segment, csm_owner, next_renewal_date, days_to_renewal, is_renewal_overdue,
            window_label, current_arr_usd, health_band, health_score, recommended_action
        from fct_renewals_upcoming
        order by window_days, health_band = 'healthy', health_band = 'not_so_healthy',
            current_arr_usd desc, account_id
        """,
    )
