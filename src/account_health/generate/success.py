"""Customer-success records: CSM assessments of the six critical success factors, CSM activities and the
business outcomes (success goals) agreed with the customer."""

from __future__ import annotations

import numpy as np
import pandas as pd

from account_health.contract import ACTIVITY_TYPES, SUCCESS_FACTORS
from account_health.generate.world import World, customer_cells, initial_contact, random_times, sigmoid

# a CSM sees some factors through rose-tinted glasses and others more harshly than the account's health
FACTOR_BIAS = np.array([0.2, -0.1, 0.0, -0.2, -0.3, 0.3])
ACTIVITY_RATE = {"enterprise": 2.5, "mid_market": 1.2, "smb": 0.35}
NOTES = ("Exec sponsor engaged.", "Champion left recently.", "Budget under review.",
         "Expanding to new teams.", "Integration backlog is growing.", "Good QBR.",
         "Asked for a roadmap session.")  # fmt: skip
GOALS = (
    ("Cut weekly report preparation hours", 10.0, 40.0),
    ("Track deals in the pipeline (%)", 60.0, 95.0),
    ("Automate approval workflows (count)", 5.0, 50.0),
    ("Reduce field paperwork time (%)", 20.0, 60.0),
    ("Onboard teams onto the platform (count)", 3.0, 20.0),
)


def build_assessments(world: World) -> None:
    """Roughly quarterly rounds by the CSM (accounts without a named CSM are not assessed)."""
    rng = world.rng
    cells = customer_cells(world)
    has_csm = world.accounts["csm_owner"].notna().to_numpy()
    offsets = rng.integers(0, 3, world.n_accounts)
    a, m = cells["a"].to_numpy(), cells["m"].to_numpy()
    in_round = has_csm[a] & ((m + offsets[a]) % 3 == 0) & (rng.random(len(cells)) < 0.75)
    rounds = cells[in_round].reset_index(drop=True)
    assessed_at = random_times(rng, rounds["lo"].to_numpy(), rounds["hi"].to_numpy())
    n_factors = len(SUCCESS_FACTORS)
    rows = np.repeat(np.arange(len(rounds)), n_factors)
    factor = np.tile(np.arange(n_factors), len(rounds))
    keep = rng.random(len(rows)) < 0.85
    z = rounds["z"].to_numpy()[rows]
    rating = np.clip(np.round(3.1 + 0.9 * z + FACTOR_BIAS[factor] + rng.normal(0, 0.8, len(rows))), 1, 5)
    ra = rounds["a"].to_numpy()[rows]
    note = np.asarray(NOTES, dtype=object)[rng.integers(0, len(NOTES), len(rows))]
    note[rng.random(len(rows)) >= 0.2] = None
    frame = pd.DataFrame(
        {
            "account_id": world.account_ids[ra],
            "factor": np.asarray(SUCCESS_FACTORS, dtype=object)[factor],
            "rating": rating.astype(int),
            "assessed_at": assessed_at[rows] + (factor * 60).astype("timedelta64[s]"),
            "assessed_by": world.accounts["csm_owner"].to_numpy(dtype=object)[ra],
            "note": note,
        }
    )[keep].reset_index(drop=True)
    frame.insert(0, "assessment_id", [f"asmt_{i + 1:07d}" for i in range(len(frame))])
    world.tables["csm_assessments"] = frame


def build_activities(world: World) -> None:
    rng = world.rng
    cells = customer_cells(world)
    accounts = world.accounts
    a = cells["a"].to_numpy()
    segment = accounts["segment"].to_numpy(dtype=object)[a]
    pooled = accounts["csm_owner"].isna().to_numpy()[a]
    rate = (
        np.array([ACTIVITY_RATE[s] for s in segment]) * np.where(pooled, 0.4, 1.0) * cells["share"].to_numpy()
    )
    since = accounts["customer_since"].to_numpy().astype("datetime64[D]")[a]
    tenure_days = (cells["lo"].to_numpy() - since).astype(int)
    rate = rate + np.where(tenure_days < 90, 1.5, 0.0)  # onboarding is busy
    counts = rng.poisson(rate)
    rows = np.repeat(np.arange(len(cells)), counts)
    n = len(rows)
    z = cells["z"].to_numpy()[rows]
    seg = segment[rows]
    weights = np.column_stack(
        [
            np.where(tenure_days[rows] < 90, 4.0, 0.0),  # onboarding_session
            np.full(n, 1.0),  # training
            np.full(n, 3.0),  # check_in
            np.where(seg == "smb", 0.1, 0.8),  # qbr
            np.where(seg == "enterprise", 0.4, 0.05),  # exec_briefing
            3.0 * sigmoid(-1.5 - 1.5 * z),  # escalation_call
        ]
    )
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    kind = np.minimum((rng.random(n)[:, None] > cumulative).sum(axis=1), len(ACTIVITY_TYPES) - 1)
    ra = a[rows]
    frame = pd.DataFrame(
        {
            "activity_id": [f"act_{i + 1:07d}" for i in range(n)],
            "account_id": world.account_ids[ra],
            "contact_id": initial_contact(world, rng, ra),
            "activity_type": np.asarray(ACTIVITY_TYPES, dtype=object)[kind],
            "occurred_at": random_times(rng, cells["lo"].to_numpy()[rows], cells["hi"].to_numpy()[rows]),
        }
    )
    world.tables["csm_activities"] = frame


def build_goals(world: World) -> None:
    """Goals are agreed at the start of each contract year; healthy accounts reach more of them on time."""
    rng, window = world.rng, world.window
    cells = customer_cells(world)
    since = world.accounts["customer_since"].to_numpy().astype("datetime64[D]")
    a = cells["a"].to_numpy()
    calendar_month = (np.datetime64(window.start, "M").astype(int) + cells["m"].to_numpy()) % 12
    set_here = calendar_month == since[a].astype("datetime64[M]").astype(int) % 12
    planning = cells[set_here].drop_duplicates(["a", "m"]).reset_index(drop=True)
    counts = rng.integers(1, 4, len(planning))
    rows = np.repeat(np.arange(len(planning)), counts)
    n = len(rows)
    ra = planning["a"].to_numpy()[rows]
    set_at = random_times(rng, planning["lo"].to_numpy()[rows], planning["hi"].to_numpy()[rows])
    due = (set_at.astype("datetime64[D]") + rng.integers(90, 300, n)).astype("datetime64[D]")
    kind = rng.integers(0, len(GOALS), n)
    low, high = np.array([g[1] for g in GOALS]), np.array([g[2] for g in GOALS])
    target = np.round(low[kind] + rng.random(n) * (high - low)[kind])
    due_month = np.clip(window.month_index(due), 0, world.scale.n_months - 1)
    z_due = world.health[ra, due_month]
    as_of = np.datetime64(window.as_of, "D")
    churn = world.churn_date[ra]
    achieved = rng.random(n) < sigmoid(0.2 + 1.3 * z_due)
    late = rng.random(n) < 0.15
    achieved_at = np.where(late, due + rng.integers(1, 45, n), due - rng.integers(0, 60, n)).astype(
        "datetime64[D]"
    )
    achieved_at = np.maximum(achieved_at, set_at.astype("datetime64[D]") + 1)
    ended_early = ~np.isnat(churn) & (churn <= np.minimum(due, as_of))
    status = np.where(achieved & (achieved_at <= as_of), "achieved", np.where(due > as_of, "open", "missed"))
    status = np.where((status == "missed") & (rng.random(n) < 0.2), "abandoned", status)
    status = np.where(ended_early & (status != "achieved"), "abandoned", status)
    is_achieved = status == "achieved"
    progress = np.where(is_achieved, rng.uniform(1.0, 1.2, n), rng.uniform(0.3, 0.95, n))
    achieved_value = np.round(target * progress, 1)
    frame = pd.DataFrame(
        {
            "goal_id": [f"goal_{i + 1:06d}" for i in range(n)],
            "account_id": world.account_ids[ra],
            "goal": np.asarray([g[0] for g in GOALS], dtype=object)[kind],
            "target_value": target,
            "achieved_value": np.where(status == "abandoned", np.nan, achieved_value),
            "due_at": due,
            "achieved_at": np.where(is_achieved, achieved_at, np.datetime64("NaT")),
            "status": status,
        }
    )
    world.tables["success_goals"] = frame
