"""Accounts, their latent health path, and the people at each account (contacts)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from account_health.contract import SEGMENTS
from account_health.generate import names
from account_health.generate.world import World, random_times

# log-normal (median, sigma) of licensed core seats and of employee count per segment: few large
# enterprises, many small businesses
SEAT_SIZES = {"enterprise": (220.0, 0.8), "mid_market": (45.0, 0.7), "smb": (10.0, 0.6)}
EMPLOYEE_SIZES = {"enterprise": (6000.0, 0.9), "mid_market": (600.0, 0.6), "smb": (60.0, 0.7)}
# share of users an admin assigns through SSO (mandated) rather than who sign up themselves
MANDATED_SHARE = {"enterprise": 0.7, "mid_market": 0.45, "smb": 0.2}
DISCOUNT = {"enterprise": 0.25, "mid_market": 0.12, "smb": 0.0}
CONTACT_RANGE = {"enterprise": (12, 30), "mid_market": (5, 12), "smb": (2, 5)}
MAX_TENURE_YEARS = 6


def build_accounts(world: World) -> None:
    rng, scale, window = world.rng, world.scale, world.window
    n = scale.n_accounts
    n_test = min(scale.n_test_accounts, max(n - 1, 0))
    segment = names.pick(rng, SEGMENTS, n, np.asarray(scale.segment_mix))
    segment[n - n_test :] = "smb"
    seat_median = np.array([SEAT_SIZES[s][0] for s in segment]) * scale.seat_multiplier
    seat_sigma = np.array([SEAT_SIZES[s][1] for s in segment])
    seats = np.maximum(3, np.round(seat_median * np.exp(rng.normal(0, 1, n) * seat_sigma))).astype(int)
    emp_median = np.array([EMPLOYEE_SIZES[s][0] for s in segment])
    emp_sigma = np.array([EMPLOYEE_SIZES[s][1] for s in segment])
    employees = np.maximum(seats * 2, np.round(emp_median * np.exp(rng.normal(0, 1, n) * emp_sigma)))

    start = np.datetime64(window.start, "D")
    as_of = np.datetime64(window.as_of, "D")
    is_new = rng.random(n) < scale.new_account_share
    new_since = start + np.floor(rng.random(n) * ((as_of - 45) - start).astype(int)).astype("timedelta64[D]")
    old_days = 30 + np.floor(rng.random(n) * (MAX_TENURE_YEARS * 365 - 30)).astype(int)
    old_since = start - old_days.astype("timedelta64[D]")
    since = np.where(is_new, new_since, old_since)

    csm = names.pick(rng, names.CSM_NAMES, n)
    pooled = (segment == "smb") & (rng.random(n) < 0.4)
    csm[pooled] = None

    account_ids = np.array([f"acc_{i + 1:05d}" for i in range(n)], dtype=object)
    account_names = np.array(names.company_names(rng, n), dtype=object)
    is_test = np.zeros(n, dtype=bool)
    is_test[n - n_test :] = True
    for k, i in enumerate(range(n - n_test, n)):
        account_names[i] = f"Test Account {k + 1} (internal)"

    parent = np.full(n, None, dtype=object)
    enterprise_idx = np.flatnonzero((segment == "enterprise") & ~is_test)
    has_parent = (rng.random(n) < 0.05) & (segment != "enterprise") & ~is_test
    if len(enterprise_idx):
        parent[has_parent] = account_ids[rng.choice(enterprise_idx, size=int(has_parent.sum()))]

    discount = np.clip(np.array([DISCOUNT[s] for s in segment]) + rng.uniform(-0.05, 0.05, n), 0, 0.4)
    world.accounts = pd.DataFrame(
        {
            "account_id": account_ids,
            "account_name": account_names,
            "parent_account_id": parent,
            "segment": segment,
            "industry": names.pick(rng, names.INDUSTRIES, n),
            "region": names.pick(rng, names.REGIONS, n, names.REGION_WEIGHTS),
            "employee_count": employees.astype(int),
            "customer_since": since.astype("datetime64[D]"),
            "csm_owner": csm,
            "is_test": is_test,
            # internal attributes (not written): licensed core seats at the window start or first term
            "_seats": seats,
            "_discount": np.round(discount, 3),
            "_mandated_share": np.array([MANDATED_SHARE[s] for s in segment]),
            "_domain": [names.domain_of(name) for name in account_names],
        }
    )
    simulate_health(world)


def simulate_health(world: World) -> None:
    """Mean-reverting random walk around a per-account baseline, with rare shocks (a champion leaves, a
    reorganisation, a good rollout) that also move the baseline, so some accounts drift for good."""
    rng = world.rng
    n, months = world.scale.n_accounts, world.scale.n_months
    baseline = rng.normal(0.1, 0.8, n)
    current = baseline + rng.normal(0, 0.5, n)
    health = np.empty((n, months))
    for m in range(months):
        bad = (rng.random(n) < 0.035) * rng.normal(-1.2, 0.4, n)
        good = (rng.random(n) < 0.015) * rng.normal(0.8, 0.3, n)
        shock = bad + good
        baseline = baseline + 0.4 * shock
        current = current + 0.25 * (baseline - current) + rng.normal(0, 0.22, n) + shock
        health[:, m] = current
    world.health = health


def build_contacts(world: World) -> None:
    """Initial contacts exist before the account signs (the sales cycle); a few join during the window."""
    rng, accounts = world.rng, world.accounts
    window = world.window
    lo = np.array([CONTACT_RANGE[s][0] for s in accounts["segment"]])
    hi = np.array([CONTACT_RANGE[s][1] for s in accounts["segment"]])
    n_initial = lo + np.floor(rng.random(len(lo)) * (hi - lo + 1)).astype(int)
    n_later = rng.binomial(np.maximum(n_initial // 3, 1), 0.5)
    accounts["_n_initial_contacts"] = n_initial
    total = n_initial + n_later
    account_idx = np.repeat(np.arange(len(accounts)), total)
    ordinal = np.concatenate([np.arange(1, t + 1) for t in total]) if len(total) else np.array([], int)
    initial = ordinal <= n_initial[account_idx]
    since = accounts["customer_since"].to_numpy().astype("datetime64[D]")[account_idx]
    created_initial = random_times(rng, since - 120, since)
    first_day = np.maximum(since + 1, np.datetime64(window.start, "D"))
    end = np.where(np.isnat(world.churn_date), np.datetime64(window.end_exclusive, "D"), world.churn_date)
    last_day = end[account_idx]
    later_ok = first_day < last_day
    created_later = random_times(rng, first_day, np.where(later_ok, last_day, first_day + 1))
    created = np.where(initial, created_initial, created_later)
    keep = initial | later_ok
    n_rows = len(ordinal)

    title_idx = rng.choice(len(names.TITLES), size=n_rows, p=names.TITLE_WEIGHTS / names.TITLE_WEIGHTS.sum())
    # the first four contacts of an account are the buying group: sponsor, buyer, admin, champion
    title_idx = np.where(ordinal == 1, rng.choice([3, 4, 5, 6], n_rows), title_idx)
    title_idx = np.where(ordinal == 2, rng.choice([0, 1, 2], n_rows), title_idx)
    title_idx = np.where(ordinal == 3, rng.choice([7, 8, 9], n_rows), title_idx)
    title_idx = np.where(ordinal == 4, rng.choice([10, 11, 12, 13], n_rows), title_idx)
    titles = np.array([t[0] for t in names.TITLES], dtype=object)[title_idx]
    departments = np.array([t[1] for t in names.TITLES], dtype=object)[title_idx]
    persona = np.array([t[2] for t in names.TITLES], dtype=object)[title_idx]
    persona[rng.random(n_rows) >= 0.12] = None  # mostly left blank: the seed rules derive it
    first = names.pick(rng, names.FIRST_NAMES, n_rows)
    last = names.pick(rng, names.LAST_NAMES, n_rows)
    domains = accounts["_domain"].to_numpy(dtype=object)[account_idx]
    emails = np.array(
        [
            f"{names.email_local(f, la)}{o}@{d}"
            for f, la, o, d in zip(first, last, ordinal, domains, strict=True)
        ],
        dtype=object,
    )
    emails[rng.random(n_rows) < 0.03] = None
    account_ids = world.account_ids[account_idx]
    contacts = pd.DataFrame(
        {
            "contact_id": [f"{a}-c{o:03d}" for a, o in zip(account_ids, ordinal, strict=True)],
            "account_id": account_ids,
            "email": emails,
            "full_name": [f"{f} {la}" for f, la in zip(first, last, strict=True)],
            "title": titles,
            "department": departments,
            "persona": persona,
            "created_at": created,
            "_initial": initial,
            "_account_idx": account_idx,
        }
    )
    world.contacts = contacts[keep].reset_index(drop=True)
    world.tables["contacts"] = world.contacts
