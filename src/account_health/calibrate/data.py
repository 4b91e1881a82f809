"""The account-month table calibration learns from, read from a built warehouse in DuckDB SQL.

One row per account paying at a month-end M with a health score that day: its segment, its score and
bands as scored, its fresh component scores (used or unweighted that day, so a weight-0 component can
earn weight), the worst band an override forced, and whether it churned within the horizon after M
(a churn of `int_account_churns_identified` in a month-end of (M, M + h]: churn events, then lost
renewals, then MRR reaching 0, the backtest's label; months inside a churn are left out). Only these
few thousand rows reach numpy; events and day rows stay in DuckDB.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np

from account_health.resources import resources


@dataclass(frozen=True)
class AccountMonths:
    """Columns of the account-month table as numpy arrays, one entry per row."""

    account_id: np.ndarray
    segment: np.ndarray
    month_end: np.ndarray  # datetime64[D]
    health_score: np.ndarray
    health_band: np.ndarray
    score_band: np.ndarray
    forced_band_rank: np.ndarray  # worst band rank an override forced (nan when none fired)
    override_rules: np.ndarray  # rules that fired (None when none)
    churned: np.ndarray  # bool; False where the outcome window is not fully observed
    observed: np.ndarray  # bool: the outcome window closed on or before the as-of month
    components: tuple[str, ...]
    scores: np.ndarray  # rows x components, 0..100, nan when the component was missing or stale

    def __len__(self) -> int:
        return len(self.account_id)


@dataclass(frozen=True)
class Scorecard:
    """What is in force today: the bands, the weights per segment, the override rules and parameters."""

    bands: list[tuple[str, int, float, float]]  # band, rank, min_score, max_score (latest valid_from)
    # every row of health_bands: band, rank, min_score, max_score, valid_from, is_at_risk
    band_rows: list[tuple[str, int, float, float, dt.date, bool]]
    weights: dict[str, dict[str, float]]  # segment -> component -> weight (latest valid_from)
    weight_rows: list[tuple[str, str, float, dt.date]]  # every row of health_weights
    override_bands: dict[str, int]  # rule_id -> forced band rank
    parameters: dict[str, str]  # revenue_parameters and scorecard_parameters
    as_of: dt.date


class CalibrationInputError(RuntimeError):
    """The warehouse lacks what calibration needs (not built, or no scored history)."""


def read_scorecard(con: duckdb.DuckDBPyConnection) -> Scorecard:
    band_rows = [
        (band, int(rank), float(low), float(high), valid_from, bool(at_risk))
        for band, rank, low, high, valid_from, at_risk in con.execute(
            "select band, band_rank, min_score, max_score, valid_from, is_at_risk "
            "from config.health_bands order by valid_from, band_rank"
        ).fetchall()
    ]
    latest_bands = max(row[4] for row in band_rows)
    bands = [row[:4] for row in band_rows if row[4] == latest_bands]
    weight_rows = [
        (segment, component, float(weight), valid_from)
        for segment, component, weight, valid_from in con.execute(
            "select scorecard_id, component_id, weight, valid_from from config.health_weights "
            "order by scorecard_id, valid_from, component_id"
        ).fetchall()
    ]
    latest = {}
    for segment, _, _, valid_from in weight_rows:
        latest[segment] = max(latest.get(segment, valid_from), valid_from)
    weights: dict[str, dict[str, float]] = {}
    for segment, component, weight, valid_from in weight_rows:
        if valid_from == latest[segment]:
            weights.setdefault(segment, {})[component] = weight
    override_bands = dict(
        con.execute(
            "select rules.rule_id, bands.band_rank from config.override_rules as rules "
            "inner join config.health_bands as bands on rules.forced_band = bands.band "
            "where bands.valid_from = ?",
            [latest_bands],
        ).fetchall()
    )
    parameters = _parameters(con, "config.revenue_parameters")
    parameters |= _parameters(con, "config.scorecard_parameters")
    as_of = con.execute("select max(score_date) from marts.fct_account_health_daily").fetchone()[0]
    if as_of is None:
        raise CalibrationInputError("marts.fct_account_health_daily is empty: build the warehouse first")
    return Scorecard(bands, band_rows, weights, weight_rows, override_bands, parameters, as_of)


def _month_end_rows_sql(components: tuple[str, ...], horizon: int, last_day_only: bool) -> str:
    pivot = ",\n".join(
        f"max(case when component_id = '{component}' then component_score end) as \"{component}\""
        for component in components
    )
    days = "score_date = (select max(score_date) from marts.fct_account_health_daily)"
    if not last_day_only:
        days = "score_date = last_day(score_date)"
    frame = f"partition by account_id order by month_end rows between 1 following and {horizon} following"
    return f"""
        with
        health as (
            select account_id, segment, score_date, cast(health_score as double) as health_score,
                health_band, score_band, override_rules_fired
            from marts.fct_account_health_daily
            where {days} and health_score is not null
        ),
        components as (
            select account_id, score_date, {pivot}
            from intermediate.int_health_components_scored
            where {days} and component_status in ('used', 'unweighted')
            group by account_id, score_date
        ),
        forced as (
            select health.account_id, health.score_date, min(rules.band_rank) as forced_band_rank
            from health
            cross join unnest(string_split(health.override_rules_fired, ', ')) as fired(rule_id)
            inner join (
                select override_rules.rule_id, health_bands.band_rank
                from config.override_rules
                inner join config.health_bands on override_rules.forced_band = health_bands.band
                where health_bands.valid_from = (select max(valid_from) from config.health_bands)
            ) as rules on fired.rule_id = rules.rule_id
            group by health.account_id, health.score_date
        ),
        windows as (
            select
                account_id,
                month_end,
                ending_mrr,
                count(*) over ({frame}) as months_observed
            from marts.fct_account_mrr_monthly
        ),
        -- churn as the backtest labels it: churn events, then lost renewals, then MRR reaching 0
        churns as (
            select account_id, churned_on, churn_month_end, reactivated_on
            from intermediate.int_account_churns_identified
        ),
        churned_within as (
            select distinct windows.account_id, windows.month_end
            from windows
            inner join churns
                on windows.account_id = churns.account_id
                and churns.churn_month_end > windows.month_end
                and churns.churn_month_end <= last_day(windows.month_end + to_months({horizon}))
        ),
        inside_a_churn as (
            select distinct windows.account_id, windows.month_end
            from windows
            inner join churns
                on windows.account_id = churns.account_id
                and churns.churned_on <= windows.month_end
                and (churns.reactivated_on is null or churns.reactivated_on > windows.month_end)
        )
        select
            health.account_id,
            health.segment,
            health.score_date,
            health.health_score,
            health.health_band,
            health.score_band,
            forced.forced_band_rank,
            health.override_rules_fired,
            coalesce(
                windows.months_observed = {horizon} and churned_within.account_id is not null, false
            ) as churned,
            coalesce(windows.months_observed = {horizon}, false) as observed,
            components.* exclude (account_id, score_date)
        from health
        inner join windows
            on health.account_id = windows.account_id and health.score_date = windows.month_end
        left join components
            on health.account_id = components.account_id and health.score_date = components.score_date
        left join forced
            on health.account_id = forced.account_id and health.score_date = forced.score_date
        left join churned_within
            on health.account_id = churned_within.account_id
            and health.score_date = churned_within.month_end
        left join inside_a_churn
            on health.account_id = inside_a_churn.account_id
            and health.score_date = inside_a_churn.month_end
        where windows.ending_mrr > 0 and inside_a_churn.account_id is null
        order by health.score_date, health.account_id
    """


def read_account_months(
    con: duckdb.DuckDBPyConnection, horizon: int, *, last_day_only: bool = False
) -> AccountMonths:
    """Month-end account rows (or, with last_day_only, the accounts paying on the newest scored day)."""
    components = tuple(
        row[0]
        for row in con.execute(
            "select component_id from config.health_components order by component_id"
        ).fetchall()
    )
    table = con.execute(_month_end_rows_sql(components, horizon, last_day_only)).fetchnumpy()
    if last_day_only:
        # the newest day need not be a month-end or have an MRR row yet: read it directly
        table = con.execute(_last_day_sql(components)).fetchnumpy()
    rows = len(table["account_id"])
    scores = (
        np.column_stack([_floats(table[component]) for component in components])
        if rows
        else np.empty((0, len(components)))
    )
    return AccountMonths(
        account_id=_objects(table["account_id"]),
        segment=_objects(table["segment"]),
        month_end=np.asarray(table["score_date"]).astype("datetime64[D]"),
        health_score=_floats(table["health_score"]),
        health_band=_objects(table["health_band"]),
        score_band=_objects(table["score_band"]),
        forced_band_rank=_floats(table["forced_band_rank"]),
        override_rules=_objects(table["override_rules_fired"]),
        churned=np.ma.filled(np.ma.masked_array(table["churned"]), False).astype(bool),
        observed=np.ma.filled(np.ma.masked_array(table["observed"]), False).astype(bool),
        components=components,
        scores=scores,
    )


def _floats(column: np.ndarray) -> np.ndarray:
    """A numeric column with SQL nulls as nan (DuckDB hands nullable columns over as masked arrays)."""
    return np.ma.filled(np.ma.masked_array(column).astype(float), np.nan)


def _objects(column: np.ndarray) -> np.ndarray:
    """A text column with SQL nulls as None."""
    column = np.ma.masked_array(column)
    return np.where(np.ma.getmaskarray(column), None, np.ma.getdata(column).astype(object))


def _last_day_sql(components: tuple[str, ...]) -> str:
    """Today's customers: the newest scored day, no outcome (it lies in the future)."""
    sql = _month_end_rows_sql(components, 1, True)
    head, _, _ = sql.partition("select\n            health.account_id")
    return (
        head
        + """select
            health.account_id, health.segment, health.score_date, health.health_score,
            health.health_band, health.score_band, forced.forced_band_rank,
            health.override_rules_fired, false as churned, false as observed,
            components.* exclude (account_id, score_date)
        from health
        left join components
            on health.account_id = components.account_id and health.score_date = components.score_date
        left join forced
            on health.account_id = forced.account_id and health.score_date = forced.score_date
        order by health.account_id
    """
    )


def connect(warehouse: Path) -> duckdb.DuckDBPyConnection:
    if not warehouse.exists():
        raise CalibrationInputError(f"{warehouse}: no warehouse; run `account-health build` first")
    return duckdb.connect(str(warehouse), read_only=True, config=resources().duckdb_config())


def _parameters(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    """The one row of a typed parameters seed (one column per parameter), as text like the seed's cells."""
    relation = con.sql(f"select * from {table}")
    row = relation.fetchone()
    if row is None:
        return {}
    return {name: str(value) for name, value in zip(relation.columns, row, strict=True) if value is not None}
