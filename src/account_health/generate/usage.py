"""Users and usage events, generated inside DuckDB.

Python only computes small account x month inputs (licensed seats, how many users join, deactivation hazard,
latent health); DuckDB expands them into users and events with set-based SQL. Randomness in SQL comes from
`hash(seed, key, ...)` mapped to [0, 1), which gives the same numbers whatever the thread count or plan,
unlike `setseed()` + `random()`. Events are written one month at a time, so memory stays bounded at any scale.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from account_health.generate.world import World, sigmoid

SEASON = {8: 0.8, 12: 0.9}  # August holidays; late December is thinned further in SQL
USER_ID_WIDTH = 6


def install_random_macro(con: duckdb.DuckDBPyConnection, seed: int) -> None:
    """`rnd(a, b, c, d)`: a uniform [0, 1) number that depends only on the seed and the four keys."""
    con.execute(
        f"create or replace macro rnd(a, b, c, d) as "
        f"hash({int(seed)}, a, b, c, d)::double / 18446744073709551616.0"
    )


def account_month_inputs(world: World) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per account and month: seats, users joining, deactivation hazard; plus the users there at the start."""
    rng, window = world.rng, world.window
    n, months = world.health.shape
    starts, ends = window.month_starts, window.month_ends
    since = world.accounts["customer_since"].to_numpy().astype("datetime64[D]")
    churn = world.churn_date
    end_of_data = np.datetime64(window.end_exclusive, "D")
    stop = np.where(np.isnat(churn), end_of_data, churn)
    seats = core_seats_by_month(world)
    z = world.health
    utilisation = np.clip(0.62 + 0.18 * z + rng.normal(0, 0.05, z.shape), 0.1, 1.15)
    hazard = 0.008 + 0.05 * sigmoid(-1.5 - 1.2 * z)
    tenure = (starts[None, :].astype("datetime64[M]") - since[:, None].astype("datetime64[M]")).astype(int)
    ramp = np.clip((tenure + 1) / 3.0, 0, 1)
    target = seats * utilisation * ramp
    noise = rng.normal(0, 1, z.shape)

    pre_window = since < starts[0]
    initial = np.where(pre_window, np.round(seats[:, 0] * utilisation[:, 0]), 0).astype(int)
    expected = initial.astype(float)
    n_new = np.zeros((n, months), dtype=int)
    for m in range(months):
        surviving = expected * (1 - hazard[:, m])
        wanted = target[:, m] - surviving + noise[:, m] * (0.3 + 0.05 * np.sqrt(target[:, m]))
        n_new[:, m] = np.where(world.customer[:, m], np.maximum(0, np.round(wanted)), 0)
        expected = surviving + n_new[:, m]
    batch_from = np.maximum(starts[None, :], since[:, None])
    batch_to = np.minimum(ends[None, :], stop[:, None])
    n_new = np.where(batch_from < batch_to, n_new, 0)

    account_ids = world.account_ids
    month_idx = np.tile(np.arange(months), n)
    account_idx = np.repeat(np.arange(n), months)
    months_frame = pd.DataFrame(
        {
            "account_idx": account_idx,
            "account_id": account_ids[account_idx],
            "month_idx": month_idx,
            "month_start": np.tile(starts, n),
            "month_end": np.minimum(np.tile(ends, n), stop[account_idx]),
            "z": z.ravel(),
            "hazard": hazard.ravel(),
            "season": np.array([SEASON.get(int(str(s)[5:7]), 1.0) for s in starts])[month_idx],
            "is_customer": world.customer.ravel(),
        }
    )
    batches = pd.DataFrame(
        {
            "account_idx": np.concatenate([np.arange(n), account_idx]),
            "month_idx": np.concatenate([np.full(n, -1), month_idx]),
            "n": np.concatenate([initial, n_new.ravel()]),
            "batch_from": np.concatenate([since, batch_from.ravel()]).astype("datetime64[s]"),
            "batch_to": np.concatenate([np.full(n, starts[0]), batch_to.ravel()]).astype("datetime64[s]"),
        }
    ).sort_values(["account_idx", "month_idx"], kind="stable")
    batches["first_ordinal"] = batches.groupby("account_idx")["n"].cumsum() - batches["n"] + 1
    accounts = world.accounts
    batches["account_id"] = account_ids[batches["account_idx"].to_numpy()]
    batches["mandated_share"] = accounts["_mandated_share"].to_numpy()[batches["account_idx"].to_numpy()]
    batches["n_contacts"] = accounts["_n_initial_contacts"].to_numpy()[batches["account_idx"].to_numpy()]
    batches["churn_at"] = churn[batches["account_idx"].to_numpy()].astype("datetime64[s]")
    return months_frame, batches[batches["n"] > 0].reset_index(drop=True)


def core_seats_by_month(world: World) -> np.ndarray:
    """Licensed core seats on a reference day of each month (the first customer day in it)."""
    subs = world.subscriptions
    core = subs[subs["product_id"] == world.catalog.core.product_id]
    idx = core["_account_idx"].to_numpy()
    start = pd.to_datetime(core["start_date"]).to_numpy().astype("datetime64[D]")
    end_raw = pd.to_datetime(core["end_date"]).to_numpy().astype("datetime64[D]")
    end = np.where(np.isnat(end_raw), np.datetime64("9999-12-31"), end_raw)
    since = world.accounts["customer_since"].to_numpy().astype("datetime64[D]")
    seats = np.zeros(world.health.shape)
    ends = world.window.month_ends
    for m, month_start in enumerate(world.window.month_starts):
        ref = np.minimum(np.maximum(month_start, since[idx]), ends[m] - 1)
        valid = (start <= ref) & (end > ref)
        np.add.at(seats[:, m], idx[valid], core["seats"].to_numpy()[valid])
    return seats


def build_users(con: duckdb.DuckDBPyConnection, world: World) -> None:
    months, batches = account_month_inputs(world)
    con.register("account_months_df", months)
    con.register("user_batches_df", batches)
    con.execute(
        "create or replace table account_months as select * replace "
        "(month_start::date as month_start, month_end::date as month_end) from account_months_df"
    )
    con.execute(
        f"""
        create or replace table users as
        with expanded as (
            select *, first_ordinal + unnest(range(n::bigint)) as ordinal from user_batches_df
        ),
        provisioned as (
            select
                account_id || '-u' || lpad(ordinal::varchar, {USER_ID_WIDTH}, '0') as user_id,
                account_id,
                account_idx,
                month_idx,
                ordinal,
                churn_at,
                case when ordinal <= n_contacts
                    then account_id || '-c' || lpad(ordinal::varchar, 3, '0') end as contact_id,
                batch_from + to_seconds(floor(
                    rnd(account_id, ordinal, 'provisioned', 0)
                    * greatest(epoch(batch_to) - epoch(batch_from), 1)
                )::bigint) as provisioned_at,
                -- early users are assigned by the admin (SSO); later joiners more often sign up themselves
                case when rnd(account_id, ordinal, 'mandated', 0)
                    < mandated_share * (case when month_idx < 0 then 1.0 else 0.6 end)
                    then 'mandated' else 'self_serve' end as provisioning,
                case
                    when ordinal <= 2 then 'admin'
                    when rnd(account_id, ordinal, 'role', 0) < 0.2 then 'viewer'
                    else 'member'
                end as role
            from expanded
        ),
        leaving as (
            select
                provisioned.user_id,
                min(account_months.month_idx) as leave_month
            from provisioned
            inner join account_months
                on account_months.account_idx = provisioned.account_idx
                and account_months.month_idx > provisioned.month_idx
                and account_months.is_customer
            where rnd(provisioned.user_id, account_months.month_idx, 'leave', 0) < account_months.hazard
            group by provisioned.user_id
        ),
        left_at as (
            select
                leaving.user_id,
                case when lower_ts < upper_ts then lower_ts + to_seconds(floor(
                    rnd(leaving.user_id, 'left_at', 0, 0) * (epoch(upper_ts) - epoch(lower_ts))
                )::bigint) end as left_at
            from (
                select
                    leaving.user_id,
                    greatest(account_months.month_start::timestamp,
                        provisioned.provisioned_at + interval 1 day) as lower_ts,
                    account_months.month_end::timestamp as upper_ts
                from leaving
                inner join provisioned on provisioned.user_id = leaving.user_id
                inner join account_months
                    on account_months.account_idx = provisioned.account_idx
                    and account_months.month_idx = leaving.leave_month
            ) as leaving
        )
        select
            provisioned.user_id,
            provisioned.account_id,
            provisioned.account_idx,
            provisioned.contact_id,
            provisioned.provisioned_at,
            provisioned.provisioning,
            provisioned.role,
            -- when an account churns, its remaining users are switched off on the churn day
            case
                when provisioned.churn_at is not null
                    then least(coalesce(left_at.left_at, provisioned.churn_at), provisioned.churn_at)
                else left_at.left_at
            end as deactivated_at,
            exp(0.6 * sqrt(-2 * ln(1 - rnd(provisioned.user_id, 'p1', 0, 0)))
                * cos(2 * pi() * rnd(provisioned.user_id, 'p2', 0, 0)) - 0.18) as propensity
        from provisioned
        left join left_at on left_at.user_id = provisioned.user_id
        """
    )
    intervals = world.subscriptions[["_account_idx", "product_id", "start_date", "end_date"]].copy()
    intervals["end_date"] = intervals["end_date"].fillna(world.window.end_exclusive)
    core = intervals[intervals["product_id"] == world.catalog.core.product_id]
    # the core product is listed twice so it gets about twice the events of an add-on
    intervals = pd.concat([intervals, core]).rename(columns={"_account_idx": "account_idx"})
    intervals["start_date"] = pd.to_datetime(intervals["start_date"]).astype("datetime64[s]")
    intervals["end_date"] = pd.to_datetime(intervals["end_date"]).astype("datetime64[s]")
    con.register("intervals_df", intervals)
    con.execute(
        """
        create or replace table owned_products as
        select
            account_idx,
            list(struct_pack(p := product_id, f := start_date::date, t := end_date::date)
                order by product_id, start_date) as owned
        from intervals_df
        group by account_idx
        """
    )
    features = pd.DataFrame(
        {
            "product_id": list(world.catalog.features),
            "feats": [list(v) for v in world.catalog.features.values()],
        }
    )
    con.register("features_df", features)
    con.execute("create or replace table product_features as select * from features_df")


EVENTS_SQL = """
with user_months as (
    select
        users.user_id,
        users.account_id,
        users.account_idx,
        users.provisioning,
        users.propensity,
        account_months.month_idx,
        account_months.z,
        account_months.season,
        datediff('day', account_months.month_start, account_months.month_end) as month_days,
        greatest(account_months.month_start, users.provisioned_at::date + 1) as lo,
        least(account_months.month_end, coalesce(users.deactivated_at::date, account_months.month_end)) as hi
    from users
    inner join account_months
        on account_months.account_idx = users.account_idx
        and account_months.month_idx = {month}
    where account_months.is_customer
),
active_days as (
    select
        *,
        datediff('day', lo, hi) as span,
        case
            -- some users do not use the product at all this month: more so when mandated or unhealthy
            when rnd(user_id, month_idx, 'dormant', 0)
                < 1 / (1 + exp(1.4 + 0.9 * z - (case when provisioning = 'mandated' then 1.0 else 0 end)))
                then 0
            else floor(
                {days_per_month} * datediff('day', lo, hi) / month_days * propensity * season
                * (case when provisioning = 'mandated' then 0.6 else 1.2 end) * exp(0.45 * z)
                + rnd(user_id, month_idx, 'days', 0)
            )
        end as n_days
    from user_months
    where hi > lo
),
days as (
    select
        user_id, account_id, account_idx, month_idx, z, lo, span,
        unnest(range(least(n_days, span)::bigint)) as slot
    from active_days
    where n_days > 0
),
dated as (
    select
        *,
        lo + floor(rnd(user_id, month_idx, slot, 'day') * span)::integer as day
    from days
),
kept as (
    select
        dated.*,
        list_filter(owned_products.owned, lambda x: x.f <= dated.day and dated.day < x.t) as products
    from dated
    inner join owned_products on owned_products.account_idx = dated.account_idx
    -- fewer sessions at weekends and in the last days of December
    where not (dayofweek(day) in (0, 6) and rnd(user_id, month_idx, slot, 'weekend') < 0.8)
        and not (month(day) = 12 and day(day) >= 22 and rnd(user_id, month_idx, slot, 'xmas') < 0.6)
),
sessions as (
    select
        *,
        1 + least(60, floor(-ln(1 - rnd(user_id, month_idx, slot, 'n'))
            * {extra_per_day} * exp(0.2 * z)))::bigint as n_events,
        7 * 3600 + floor(rnd(user_id, month_idx, slot, 'start') * 11 * 3600)::bigint as start_second,
        -- breadth: unhealthy accounts stay on the first (key) features of a product
        greatest(0.6, least(3.0, 1.4 - 0.5 * z)) as narrowness
    from kept
    where len(products) > 0
),
events as (
    select *, unnest(range(n_events)) as e from sessions
),
picked as (
    select
        events.*,
        products[1 + floor(rnd(user_id, day, slot * 1000 + e, 'product') * len(products))::integer].p
            as product_id
    from events
)
select
    user_id || '-' || strftime(day, '%Y%m%d') || '-' || slot || '-' || e as event_id,
    user_id,
    account_id,
    picked.product_id,
    feats[1 + floor(len(feats) * pow(rnd(user_id, day, slot * 1000 + e, 'feature'), narrowness))::integer]
        as feature,
    ['viewed', 'viewed', 'created', 'updated', 'shared']
        [1 + floor(5 * rnd(user_id, day, slot * 1000 + e, 'action'))::integer] as action,
    day::timestamp + to_seconds(
        start_second + e * 90 + floor(rnd(user_id, day, slot * 1000 + e, 'at') * 60)::bigint
    ) as occurred_at,
    user_id || '-' || strftime(day, '%Y%m%d') || '-' || slot as session_id
from picked
inner join product_features on product_features.product_id = picked.product_id
"""


def events_query(world: World, month: int) -> str:
    """The events of one window month; columns still need the contract's names and order."""
    return EVENTS_SQL.format(
        month=int(month),
        days_per_month=float(world.scale.active_days_per_month),
        extra_per_day=float(world.scale.extra_events_per_day),
    )


def event_file(out_dir: Path, month_start: np.datetime64) -> Path:
    text = str(month_start)[:7].replace("-", "_")
    return out_dir / "usage_events" / f"usage_events_{text}.parquet"
