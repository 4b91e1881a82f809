"""Integrations, referrals, downtime incidents and share-of-wallet estimates."""

from __future__ import annotations

import numpy as np
import pandas as pd

from account_health.contract import SEVERITIES
from account_health.generate import names
from account_health.generate.world import (
    World,
    customer_cells,
    initial_contact,
    owned_product,
    random_times,
    sigmoid,
)

INTEGRATION_TYPES = ("salesforce", "slack", "sso_okta", "jira", "sap", "ms_teams", "snowflake", "zapier")
SIZE_FACTOR = {"enterprise": 1.5, "mid_market": 1.0, "smb": 0.5}
WALLET_CATEGORY = {"core": "work_management", "analytics": "analytics", "automation": "automation",
                   "mobile": "automation"}  # fmt: skip


def _customer_span(world: World) -> tuple[np.ndarray, np.ndarray]:
    since = world.accounts["customer_since"].to_numpy().astype("datetime64[D]")
    stop = np.where(
        np.isnat(world.churn_date), np.datetime64(world.window.end_exclusive, "D"), world.churn_date
    )
    return since, stop


def build_integrations(world: World) -> None:
    """Healthier and larger accounts switch on more integrations; some are switched off again."""
    rng = world.rng
    since, stop = _customer_span(world)
    months = np.maximum(world.customer.sum(axis=1), 1)
    mean_z = np.where(world.customer, world.health, 0.0).sum(axis=1) / months
    size = np.array([SIZE_FACTOR[s] for s in world.accounts["segment"]])
    counts = np.minimum(rng.poisson((0.5 + 2.5 * sigmoid(mean_z)) * size), len(INTEGRATION_TYPES))
    a = np.repeat(np.arange(world.n_accounts), counts)
    n = len(a)
    order = np.argsort(rng.random((world.n_accounts, len(INTEGRATION_TYPES))), axis=1)
    slot = np.concatenate([np.arange(c) for c in counts]) if n else np.array([], dtype=int)
    kind = order[a, slot]
    enabled = random_times(rng, since[a], stop[a])
    disable_draw = rng.random(n) < sigmoid(-1.8 - 1.2 * mean_z[a])
    disabled = random_times(
        rng, enabled.astype("datetime64[D]") + 1, np.maximum(stop[a], enabled.astype("datetime64[D]") + 2)
    )
    end = np.datetime64(world.window.end_exclusive, "s")
    churned = ~np.isnat(world.churn_date[a])
    disabled = np.where(
        churned,
        world.churn_date[a].astype("datetime64[s]"),
        np.where(disable_draw, disabled, np.datetime64("NaT")),
    )
    disabled = np.where(disabled < end, disabled, np.datetime64("NaT"))
    types = np.asarray(INTEGRATION_TYPES, dtype=object)[kind]
    product = owned_product(world, rng, a, enabled)
    product[types == "sso_okta"] = None
    frame = pd.DataFrame(
        {
            "integration_id": [f"int_{i + 1:06d}" for i in range(n)],
            "account_id": world.account_ids[a],
            "product_id": product,
            "integration_type": types,
            "enabled_at": enabled,
            "disabled_at": disabled,
        }
    )
    world.tables["integrations"] = frame


def build_referrals(world: World) -> None:
    rng = world.rng
    cells = customer_cells(world)
    z = cells["z"].to_numpy()
    chosen = (
        rng.random(len(cells)) < np.minimum(0.3, 0.012 * np.exp(1.3 * z)) * cells["full_share"].to_numpy()
    )
    picked = cells[chosen].reset_index(drop=True)
    n = len(picked)
    a = picked["a"].to_numpy()
    referred = random_times(rng, picked["lo"].to_numpy(), picked["hi"].to_numpy())
    recent = referred >= np.datetime64(world.window.as_of, "s") - np.timedelta64(60 * 86400, "s")
    outcome = np.where(recent, "pending", np.where(rng.random(n) < 0.35, "won", "lost"))
    frame = pd.DataFrame(
        {
            "referral_id": [f"ref_{i + 1:05d}" for i in range(n)],
            "account_id": world.account_ids[a],
            "contact_id": initial_contact(world, rng, a),
            "referred_company": names.company_names(rng, n),
            "referred_at": referred,
            "outcome": outcome,
        }
    )
    world.tables["referrals"] = frame


def build_downtime(world: World) -> None:
    """Product-wide outages (account_id null: every account on that product) and account-specific ones."""
    rng, window = world.rng, world.window
    products = [p.product_id for p in world.catalog.products]
    starts, ends = window.month_starts, window.month_ends
    wide_counts = rng.poisson(0.6, (len(starts), len(products)))
    m_idx, p_idx = np.nonzero(wide_counts)
    m_rows = np.repeat(m_idx, wide_counts[m_idx, p_idx])
    p_rows = np.repeat(p_idx, wide_counts[m_idx, p_idx])
    wide_start = random_times(rng, starts[m_rows], ends[m_rows])
    wide = pd.DataFrame(
        {
            "account_id": None,
            "product_id": np.asarray(products, dtype=object)[p_rows],
            "started_at": wide_start,
        }
    )
    cells = customer_cells(world)
    counts = rng.poisson(0.05 * np.exp(-0.4 * cells["z"].to_numpy()) * cells["full_share"].to_numpy())
    rows = np.repeat(np.arange(len(cells)), counts)
    a = cells["a"].to_numpy()[rows]
    local_start = random_times(rng, cells["lo"].to_numpy()[rows], cells["hi"].to_numpy()[rows])
    local = pd.DataFrame(
        {"account_id": world.account_ids[a], "product_id": owned_product(world, rng, a, local_start),
         "started_at": local_start}
    ).dropna(subset=["product_id"])  # fmt: skip
    frame = pd.concat([wide, local], ignore_index=True).sort_values(
        ["started_at", "product_id"], kind="stable"
    )
    n = len(frame)
    severity_idx = np.minimum((rng.random(n)[:, None] > np.array([0.7, 0.95])).sum(axis=1), 2)
    minutes = np.round(np.exp(rng.normal(3.5, 1.0, n)) * np.array([1.0, 2.0, 4.0])[severity_idx])
    started = frame["started_at"].to_numpy().astype("datetime64[s]")
    ended = started + (minutes * 60).astype(np.int64).astype("timedelta64[s]")
    end = np.datetime64(window.end_exclusive, "s")
    frame = frame.assign(
        incident_id=[f"inc_{i + 1:06d}" for i in range(n)],
        ended_at=np.where(ended < end, ended, np.datetime64("NaT")),
        severity=np.asarray(SEVERITIES, dtype=object)[severity_idx],
    )
    world.tables["downtime_incidents"] = frame.reset_index(drop=True)


def build_wallet(world: World) -> None:
    """Yearly estimates (each 1 January in the window, plus the window start) of what each customer spends per
    category with us and competitors: healthier accounts give us a larger share."""
    rng, window = world.rng, world.window
    dates = sorted({window.start} | {d.date() for d in pd.date_range(window.start, window.as_of, freq="YS")})
    subs = world.subscriptions
    start = pd.to_datetime(subs["start_date"]).to_numpy().astype("datetime64[D]")
    end = pd.to_datetime(subs["end_date"]).to_numpy().astype("datetime64[D]")
    frames = []
    for day in dates:
        on = np.datetime64(day, "D")
        valid = (start <= on) & (np.isnat(end) | (end > on))
        current = subs[valid].assign(category=subs["product_id"][valid].map(WALLET_CATEGORY))
        ours = current.groupby(["_account_idx", "category"], sort=True)["mrr"].sum().reset_index()
        a = ours["_account_idx"].to_numpy()
        month = max(int(window.month_index(np.array([on]))[0]), 0)
        share = sigmoid(0.3 + 0.8 * world.health[a, month] + rng.normal(0, 0.5, len(a)))
        competitor = np.asarray(names.COMPETITORS, dtype=object)[
            rng.integers(0, len(names.COMPETITORS), len(a))
        ]
        frames.append(
            pd.DataFrame(
                {
                    "account_id": world.account_ids[a],
                    "as_of": on,
                    "category": ours["category"].to_numpy(),
                    "total_category_spend": np.round(12 * ours["mrr"].to_numpy() / share, 2),
                    "main_competitor": competitor,
                }
            )
        )
    world.tables["wallet_estimates"] = pd.concat(frames, ignore_index=True)
