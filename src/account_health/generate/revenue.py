"""Subscriptions and renewal outcomes: annual co-termed line items whose renewals depend on latent health.

Each account buys the core product, some add-ons, and renews every anniversary of `customer_since`. A renewal
is a new row per product with a new start_date; the previous row ends (exclusive) on that day. At a renewal
inside the window the account churns (more likely when unhealthy, plus a few percent a year for reasons that
have nothing to do with health), contracts or expands. Healthy accounts also buy seats or products mid-term.
The current term is open (end_date null): nothing after as-of is known, but its contracted end (term_end_date,
the renewal date) is: every line item carries the end of the term it belongs to from the day it starts.

`World.churn_signal` scales how much latent health drives churn at renewal: 1 is the default company, a value
near 0 a company whose health barely predicts churn, a negative one a company where healthy-looking accounts
churn more (to test that calibration notices).
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from account_health.generate.params import Window
from account_health.generate.world import World, sigmoid

ADD_ON_SHARE = {"analytics": 0.5, "automation": 0.35, "mobile": 0.2}
UNRELATED_CHURN_RATE = 0.04  # per renewal (so per year): acquisitions, budget cuts, vendor consolidation
UNRELATED_REASONS = ("acquired", "budget_cut", "vendor_consolidation")
PRE_WINDOW_GROWTH = 1.07


def anniversary(since: dt.date, years: int) -> dt.date:
    try:
        return since.replace(year=since.year + years)
    except ValueError:  # 29 February
        return since.replace(year=since.year + years, day=28)


@dataclass
class _Account:
    """Mutable state of one account while its terms are simulated."""

    index: int
    seats: dict[str, int] = field(default_factory=dict)
    pending: list[tuple[str, int]] = field(default_factory=list)
    rows: list[tuple[int, str, int, dt.date, dt.date, dt.date | None]] = field(default_factory=list)
    events: list[dict[str, object]] = field(default_factory=list)


def build_subscriptions(world: World) -> None:
    rng, window, catalog = world.rng, world.window, world.catalog
    accounts = world.accounts
    prices = {product.product_id: product.list_price for product in catalog.products}
    core = catalog.core.product_id
    add_ons = [product.product_id for product in catalog.add_ons]
    churn = np.full(world.n_accounts, np.datetime64("NaT"), dtype="datetime64[D]")
    all_rows: list[tuple[int, str, int, dt.date, dt.date, dt.date | None]] = []
    events: list[dict[str, object]] = []
    discounts = accounts["_discount"].to_numpy()

    def mrr(state: dict[str, int], a: int) -> float:
        return round(sum(s * prices[p] * (1 - discounts[a]) for p, s in state.items()), 2)

    for a in range(world.n_accounts):
        since = (
            accounts["customer_since"].iat[a].date()
            if hasattr(accounts["customer_since"].iat[a], "date")
            else accounts["customer_since"].iat[a]
        )
        state = _Account(index=a)
        pre_terms = sum(1 for k in range(1, 20) if anniversary(since, k) < window.start)
        seats0 = int(accounts["_seats"].iat[a])
        state.seats[core] = max(1, round(seats0 / PRE_WINDOW_GROWTH**pre_terms))
        plan = {}
        for product in add_ons:
            if rng.random() < ADD_ON_SHARE.get(product, 0.2):
                plan[product] = (
                    int(rng.integers(0, pre_terms + 1)),
                    max(1, round(seats0 * rng.uniform(0.2, 0.8))),
                )
        k = 0
        while True:
            term_start = anniversary(since, k)
            if term_start > window.as_of:
                break
            term_end = anniversary(since, k + 1)
            if k > 0:
                for product, extra in state.pending:
                    state.seats[product] = state.seats.get(product, 0) + extra
                state.pending.clear()
                if term_start >= window.start:
                    before = mrr(state.seats, a)
                    if _renew(world, state, term_start, add_ons, core):
                        events.append(_event(world, a, term_start, "churn", state, before, 0.0))
                        churn[a] = np.datetime64(term_start, "D")
                        break
                    after = mrr(state.seats, a)
                    outcome = (
                        "contraction"
                        if after < before * 0.98
                        else "expansion"
                        if after > before * 1.02
                        else "flat"
                    )
                    state.events.append({"reason": "renewal"})
                    events.append(
                        _event(world, a, term_start, outcome, state, before, after, reason="renewal")
                    )
                else:
                    for product in state.seats:
                        state.seats[product] = max(1, round(state.seats[product] * rng.uniform(1.0, 1.15)))
            for product, (start_term, seats) in plan.items():
                if start_term == k and product not in state.seats:
                    state.seats[product] = seats
            end = term_end if term_end <= window.as_of else None
            for product in sorted(state.seats):
                state.rows.append((a, product, state.seats[product], term_start, term_end, end))
            _mid_term(world, state, term_start, term_end, add_ons, core, events, mrr)
            k += 1
        all_rows.extend(state.rows)

    rows = pd.DataFrame(
        all_rows, columns=["_account_idx", "product_id", "seats", "start_date", "term_end_date", "end_date"]
    )
    rows = rows.sort_values(["_account_idx", "start_date", "product_id"], kind="stable").reset_index(
        drop=True
    )
    account_ids = world.account_ids[rows["_account_idx"].to_numpy()]
    sequence = rows.groupby("_account_idx").cumcount().to_numpy() + 1
    rows.insert(
        0, "subscription_id", [f"sub_{a[4:]}_{s:03d}" for a, s in zip(account_ids, sequence, strict=True)]
    )
    rows.insert(1, "account_id", account_ids)
    price = rows["product_id"].map(prices).to_numpy()
    rows["mrr"] = np.round(
        rows["seats"].to_numpy() * price * (1 - discounts[rows["_account_idx"].to_numpy()]), 2
    )
    world.subscriptions = rows
    world.tables["subscriptions"] = rows
    world.outcomes = pd.DataFrame(events)
    world.churn_date = churn
    starts = world.window.month_starts
    ends = world.window.month_ends
    since_days = accounts["customer_since"].to_numpy().astype("datetime64[D]")
    churn_or_end = np.where(np.isnat(churn), np.datetime64(window.end_exclusive, "D"), churn)
    world.customer = (since_days[:, None] < ends[None, :]) & (churn_or_end[:, None] > starts[None, :])


def _renew(world: World, state: _Account, day: dt.date, add_ons: list[str], core: str) -> bool:
    """Apply one renewal; True when the account churns instead."""
    rng = world.rng
    z = _recent_health(world, state.index, day)
    unrelated, health_churn = rng.random(), rng.random()
    if unrelated < UNRELATED_CHURN_RATE:
        state.events.append({"reason": "unrelated_to_health", "detail": str(rng.choice(UNRELATED_REASONS))})
        return True
    if health_churn < sigmoid(-3.0 - 1.6 * world.churn_signal * z):
        state.events.append({"reason": "health_driven", "detail": "low_health"})
        return True
    for product in sorted(state.seats):
        factor = np.exp(0.12 * z + 0.02 + rng.normal(0, 0.1))
        state.seats[product] = max(1, round(state.seats[product] * factor))
    for product in add_ons:
        if product in state.seats and rng.random() < sigmoid(-2.8 - 1.5 * z):
            del state.seats[product]
        elif product not in state.seats and rng.random() < 0.12 * sigmoid(1.5 * z):
            state.seats[product] = max(1, round(state.seats[core] * rng.uniform(0.2, 0.6)))
    return False


def _mid_term(world, state, term_start, term_end, add_ons, core, events, mrr) -> None:
    """Healthy accounts buy extra seats or another product during the term (co-termed line items)."""
    rng, window = world.rng, world.window
    for m, month_start in enumerate(_month_starts(window)):
        if not (term_start + dt.timedelta(days=30) <= month_start < term_end - dt.timedelta(days=30)):
            continue
        z = world.health[state.index, m]
        draw_seats, draw_product = rng.random(), rng.random()
        day = month_start + dt.timedelta(days=int(rng.integers(0, 28)))
        if day > window.as_of:
            continue
        end = term_end if term_end <= window.as_of else None
        before = mrr(state.seats, state.index)
        missing = [p for p in add_ons if p not in state.seats and p not in dict(state.pending)]
        if draw_seats < 0.012 * np.exp(0.8 * z):
            extra = max(1, round(state.seats[core] * rng.uniform(0.05, 0.3)))
            state.pending.append((core, extra))
            state.rows.append((state.index, core, extra, day, term_end, end))
            after = before + mrr({core: extra}, state.index)
            events.append(
                _event(world, state.index, day, "expansion", state, before, after, "mid_term_seats", core)
            )
        elif missing and draw_product < 0.008 * np.exp(0.8 * z):
            product = missing[int(rng.integers(0, len(missing)))]
            seats = max(1, round(state.seats[core] * rng.uniform(0.1, 0.4)))
            state.pending.append((product, seats))
            state.rows.append((state.index, product, seats, day, term_end, end))
            after = before + mrr({product: seats}, state.index)
            events.append(
                _event(world, state.index, day, "expansion", state, before, after, "cross_sell", product)
            )


@functools.cache
def _month_starts(window: Window) -> tuple[dt.date, ...]:
    return tuple(window.month_starts.astype(object))


def _recent_health(world: World, a: int, day: dt.date) -> float:
    start = world.window.start
    m = (day.year - start.year) * 12 + day.month - start.month
    lo, hi = max(0, m - 3), max(1, m)
    return float(world.health[a, lo:hi].mean())


def _event(
    world: World,
    a: int,
    day: dt.date,
    outcome: str,
    state: _Account,
    before: float,
    after: float,
    reason: str | None = None,
    product: str | None = None,
) -> dict[str, object]:
    last = state.events[-1] if state.events else {}
    return {
        "account_id": world.account_ids[a],
        "event_date": day,
        "outcome": outcome,
        "reason": reason or last.get("reason"),
        "detail": last.get("detail") if reason is None else None,
        "product_id": product,
        "latent_health_score": round(float(100 / (1 + np.exp(-_recent_health(world, a, day)))), 2),
        "mrr_before": round(before, 2),
        "mrr_after": round(after, 2),
        "_account_idx": a,
    }
