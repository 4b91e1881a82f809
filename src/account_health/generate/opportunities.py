"""CRM opportunities, derived from what happened to the subscriptions (new business, renewals, expansions,
cross-sells) plus open pipeline and deals that were lost."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from account_health.generate.revenue import anniversary
from account_health.generate.world import World, customer_cells, random_times

OPEN_STAGES = ("prospecting", "qualification", "proposal", "negotiation")


def build_opportunities(world: World) -> None:
    rng, window = world.rng, world.window
    end = np.datetime64(window.end_exclusive, "s")
    accounts, subs, outcomes = world.accounts, world.subscriptions, world.outcomes
    records: list[dict[str, object]] = []

    first = subs.sort_values(["_account_idx", "start_date"], kind="stable").groupby("_account_idx").head(100)
    first = first[first["start_date"] == first.groupby("_account_idx")["start_date"].transform("min")]
    initial_mrr = first.groupby("_account_idx")["mrr"].sum()
    since = accounts["customer_since"].to_numpy().astype("datetime64[D]")
    for a, mrr in initial_mrr.items():
        closed = since[a].astype("datetime64[s]") + np.timedelta64(int(rng.integers(0, 8 * 3600)), "s")
        created = closed - np.timedelta64(int(rng.integers(30, 150) * 86400), "s")
        records.append(_won(world, a, "new_business", "core", 12 * mrr, created, closed))

    for event in (pd.Series(r) for r in outcomes.to_dict("records")):
        day = np.datetime64(event.event_date, "D").astype("datetime64[s]")
        a = int(event["_account_idx"])
        if event.reason in ("mid_term_seats", "cross_sell"):
            kind = "expansion" if event.reason == "mid_term_seats" else "cross_sell"
            created = day - np.timedelta64(int(rng.integers(10, 60) * 86400), "s")
            records.append(
                _won(
                    world, a, kind, event.product_id, 12 * (event.mrr_after - event.mrr_before), created, day
                )
            )
            continue
        created = day - np.timedelta64(int(rng.integers(60, 100) * 86400), "s")
        closed = day - np.timedelta64(int(rng.integers(0, 10 * 86400)), "s")
        won = event.outcome != "churn"
        amount = 12 * (event.mrr_after if won else event.mrr_before)
        record = _won(world, a, "renewal", "core", amount, created, closed)
        record.update(stage="closed_won" if won else "closed_lost", is_won=won)
        records.append(record)
        if won and event.outcome == "expansion":
            extra = _won(
                world, a, "expansion", "core", 12 * (event.mrr_after - event.mrr_before), created, closed
            )
            records.append(extra)

    # open renewals for anniversaries in the next 90 days
    for a in range(world.n_accounts):
        if not np.isnat(world.churn_date[a]):
            continue
        start = since[a].astype(object)
        upcoming = next(anniversary(start, k) for k in range(1, 40) if anniversary(start, k) > window.as_of)
        if (upcoming - window.as_of).days <= 90:
            created = np.datetime64(upcoming - dt.timedelta(days=90), "s")
            records.append(
                {
                    "account_id": world.account_ids[a],
                    "opportunity_type": "renewal",
                    "product_id": "core",
                    "stage": "proposal" if (upcoming - window.as_of).days > 45 else "negotiation",
                    "amount": None,
                    "created_at": max(created, np.datetime64(window.as_of, "s"))
                    if created > end
                    else created,
                    "closed_at": None,
                    "is_won": None,
                }
            )

    # pipeline that did not close (yet): lost or still open
    cells = customer_cells(world)
    picked = cells[rng.random(len(cells)) < 0.02].reset_index(drop=True)
    created = random_times(rng, picked["lo"].to_numpy(), picked["hi"].to_numpy())
    closes = created + (rng.integers(20, 120, len(picked)) * 86400).astype("timedelta64[s]")
    kinds = np.where(rng.random(len(picked)) < 0.5, "expansion", "cross_sell")
    products = np.where(kinds == "expansion", "core", np.asarray(["analytics", "automation", "mobile"])[
        rng.integers(0, 3, len(picked))])  # fmt: skip
    amounts = np.round(rng.lognormal(8.0, 1.0, len(picked)), 2)
    stages = np.asarray(OPEN_STAGES, dtype=object)[rng.integers(0, len(OPEN_STAGES), len(picked))]
    for i in range(len(picked)):
        closed = closes[i] < end
        records.append(
            {
                "account_id": world.account_ids[int(picked["a"].iat[i])],
                "opportunity_type": kinds[i],
                "product_id": products[i],
                "stage": "closed_lost" if closed else stages[i],
                "amount": float(amounts[i]),
                "created_at": created[i],
                "closed_at": closes[i] if closed else None,
                "is_won": False if closed else None,
            }
        )
    frame = pd.DataFrame(records)
    frame["created_at"] = pd.to_datetime(frame["created_at"])
    frame["closed_at"] = pd.to_datetime(frame["closed_at"])
    frame = frame.sort_values(["account_id", "created_at", "opportunity_type"], kind="stable").reset_index(
        drop=True
    )
    frame.insert(0, "opportunity_id", [f"opp_{i + 1:06d}" for i in range(len(frame))])
    world.tables["opportunities"] = frame


def _won(
    world: World, a: int, kind: str, product: object, amount: float, created, closed
) -> dict[str, object]:
    return {
        "account_id": world.account_ids[a],
        "opportunity_type": kind,
        "product_id": product,
        "stage": "closed_won",
        "amount": round(float(amount), 2),
        "created_at": created,
        "closed_at": closed,
        "is_won": True,
    }
