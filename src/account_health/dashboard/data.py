"""What the dashboard shows, read from the serving database (read-only). No Streamlit here, so tests and
other tools can call the same functions; every query aggregates in DuckDB and returns a small frame."""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pandas as pd

from account_health.report.queries import BANDS

# worst first: the order a CS leader reads the bands in
BANDS_WORST_FIRST = tuple(reversed(BANDS))
BAND_LABELS = {"unhealthy": "Unhealthy", "not_so_healthy": "Not so healthy", "healthy": "Healthy"}
BAND_COLOURS = {"unhealthy": "#c62828", "not_so_healthy": "#f9a825", "healthy": "#2e7d32"}


@dataclass(frozen=True)
class QueueFilter:
    """The at-risk queue's filter: empty tuples keep every CSM / segment."""

    csm_owners: tuple[str, ...] = ()
    segments: tuple[str, ...] = ()

    def sql(self) -> tuple[str, dict[str, object]]:
        """A where clause over fct_account_review_queue and its parameters."""
        return (
            "where (len($csm_owners) = 0 or coalesce(csm_owner, 'unassigned') in $csm_owners) "
            "and (len($segments) = 0 or segment in $segments)",
            {"csm_owners": list(self.csm_owners), "segments": list(self.segments)},
        )


def frame(con: duckdb.DuckDBPyConnection, sql: str, parameters: object = None) -> pd.DataFrame:
    return con.execute(sql, parameters).df()


def as_of(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("select max(as_of_date)::varchar from dim_accounts").fetchone()
    return row[0] if row else None


def accounts_by_band(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """One row per band (all three, worst first): current customers and their ARR."""
    return frame(
        con,
        """
        select
            bands.health_band,
            count(accounts.account_id) as accounts,
            coalesce(sum(accounts.current_arr_usd), 0)::double as arr_usd
        from unnest($bands) with ordinality as bands(health_band, band_order)
        left join dim_accounts as accounts
            on accounts.health_band = bands.health_band and accounts.is_active_customer
        group by bands.health_band, bands.band_order
        order by bands.band_order
        """,
        {"bands": list(BANDS_WORST_FIRST)},
    )


def band_trend(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Customers per band at each month-end and the latest day: month, health_band, accounts."""
    return frame(
        con,
        """
        select
            strftime(score_date, '%Y-%m') as month,
            health_band,
            count(*) as accounts
        from fct_account_health_daily
        where health_band is not null
            and (score_date = last_day(score_date)
                or score_date = (select max(score_date) from fct_account_health_daily))
        group by all
        order by month, health_band
        """,
    )


def queue_options(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """The CSMs and segments present in the queue, for the filter."""
    csm_owners = [
        row[0]
        for row in con.execute(
            "select distinct coalesce(csm_owner, 'unassigned') from fct_account_review_queue order by 1"
        ).fetchall()
    ]
    segments = [
        row[0]
        for row in con.execute("select distinct segment from fct_account_review_queue order by 1").fetchall()
    ]
    return csm_owners, segments


def review_queue(con: duckdb.DuckDBPyConnection, queue_filter: QueueFilter) -> pd.DataFrame:
    """The at-risk / review queue in queue order (by ARR at risk), with the filter applied."""
    where, parameters = queue_filter.sql()
    return frame(
        con,
        f"""
        select
            queue_rank, account_id, account_name, segment, coalesce(csm_owner, 'unassigned') as csm_owner,
            health_band, band_set_by, band_override_rules, health_score::double as health_score,
            score_delta_30d::double as score_delta_30d, arr_at_risk_usd::double as arr_at_risk_usd,
            recommended_action, action_due_date, next_review_due_date, is_review_overdue,
            has_unactioned_band_change
        from fct_account_review_queue
        {where}
        order by queue_rank
        """,
        parameters,
    )


def queue_total(con: duckdb.DuckDBPyConnection) -> int:
    return con.execute("select count(*) from fct_account_review_queue").fetchone()[0]


def account_choices(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Accounts with a health history: current customers first (worst band first), then ex-customers."""
    return frame(
        con,
        """
        select account_id, account_name, health_band, is_active_customer
        from dim_accounts
        where account_id in (select distinct account_id from fct_account_health_daily)
        order by
            not is_active_customer,
            list_position($bands, health_band) nulls last,
            account_name,
            account_id
        """,
        {"bands": list(BANDS_WORST_FIRST)},
    )


def renewal_windows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Per renewal window of seed renewal_windows: its label, the accounts and ARR renewing in it by band,
    and the ARR renewing within it (this window and the shorter ones), which is what "in 90 days" means."""
    return frame(
        con,
        """
        with per_window as (
            select
                window_days,
                any_value(window_label) as window_label,
                count(*) as accounts,
                sum(current_arr_usd)::double as arr_usd,
                coalesce(sum(current_arr_usd) filter (where health_band = 'unhealthy'), 0)::double
                    as unhealthy_arr_usd,
                coalesce(sum(current_arr_usd) filter (where health_band = 'not_so_healthy'), 0)::double
                    as not_so_healthy_arr_usd,
                coalesce(sum(current_arr_usd) filter (where health_band = 'healthy'), 0)::double
                    as healthy_arr_usd,
                count(*) filter (where is_renewal_overdue) as overdue_accounts
            from fct_renewals_upcoming
            group by window_days
        )
        select
            *,
            sum(arr_usd) over (order by window_days) as arr_within_usd,
            sum(accounts) over (order by window_days) as accounts_within
        from per_window
        order by window_days
        """,
    )


def renewals(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The accounts renewing, soonest window first and the worst band first within it."""
    return frame(
        con,
        """
        select
            account_name, account_id, segment, coalesce(csm_owner, 'unassigned') as csm_owner,
            next_renewal_date, days_to_renewal,
            is_renewal_overdue, window_label, current_arr_usd::double as current_arr_usd, health_band,
            health_score::double as health_score, band_set_by, band_override_rules, recommended_action,
            next_review_due_date
        from fct_renewals_upcoming
        order by window_days, list_position($bands, health_band) nulls last, current_arr_usd desc, account_id
        """,
        {"bands": list(BANDS_WORST_FIRST)},
    )


def retention_segments(con: duckdb.DuckDBPyConnection) -> list[str]:
    """'all' first, then each segment."""
    return [
        row[0]
        for row in con.execute(
            "select distinct segment from fct_revenue_retention order by segment != 'all', segment"
        ).fetchall()
    ]


def retention_trend(con: duckdb.DuckDBPyConnection, segment: str = "all") -> pd.DataFrame:
    """Trailing-12-month NRR, GRR and logo retention per month-end for one segment ('all' = every one)."""
    return frame(
        con,
        """
        select
            month_end, nrr_12m_rate, grr_12m_rate, logo_retention_12m_rate, ending_mrr::double as ending_mrr
        from fct_revenue_retention
        where segment = $segment and nrr_12m_rate is not null
        order by month_end
        """,
        {"segment": segment},
    )


def retention_latest(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each segment's latest month-end with a 12-month base: NRR, GRR, logo retention, accounts, MRR."""
    return frame(
        con,
        """
        select
            segment, month_end, nrr_12m_rate, grr_12m_rate, logo_retention_12m_rate,
            active_account_count, ending_mrr::double as ending_mrr
        from fct_revenue_retention
        where nrr_12m_rate is not null
        qualify month_end = max(month_end) over (partition by segment)
        order by segment != 'all', segment
        """,
    )
