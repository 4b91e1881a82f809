"""Support cases and survey responses: the customer's voice, noisier and sparser than usage."""

from __future__ import annotations

import numpy as np
import pandas as pd

from account_health.contract import PRIORITIES
from account_health.generate.usage import core_seats_by_month
from account_health.generate.world import (
    World,
    customer_cells,
    initial_contact,
    owned_product,
    random_times,
    sigmoid,
)

CATEGORIES = ("how_to", "bug", "access", "performance", "billing", "integration")
FIRST_RESPONSE_HOURS = np.array([0.5, 2.0, 8.0, 24.0])  # mean per priority p1..p4
RESOLUTION_DAYS = np.array([0.5, 2.0, 5.0, 8.0])
SURVEY_RESPONSE_RATE = 0.25  # of contacts invited, at average health
COMMENTS = {
    "negative": ("Too many outages lately.", "Hard to get my team to use it.", "Support took too long.",
                 "We are evaluating alternatives.", "Reports are slow."),
    "neutral": ("Does the job.", "Some features are hard to find.", "Fine overall.", "Training would help."),
    "positive": ("Great product, the team loves it.", "Saves us hours every week.", "Support is excellent.",
                 "Automation changed how we work."),
}  # fmt: skip


def build_support_cases(world: World) -> None:
    rng = world.rng
    cells = customer_cells(world)
    seats = core_seats_by_month(world)[cells["a"], cells["m"]]
    z = cells["z"].to_numpy()
    rate = 0.12 * np.sqrt(np.maximum(seats, 1)) * np.exp(-0.5 * z) * cells["share"].to_numpy()
    counts = rng.poisson(rate)
    rows = np.repeat(np.arange(len(cells)), counts)
    n = len(rows)
    a = cells["a"].to_numpy()[rows]
    zr = z[rows]
    created = random_times(rng, cells["lo"].to_numpy()[rows], cells["hi"].to_numpy()[rows])
    weights = np.array([0.05, 0.2, 0.45, 0.3])[None, :] * np.exp(np.outer(-zr, [0.6, 0.3, 0.0, -0.2]))
    cumulative = np.cumsum(weights / weights.sum(axis=1, keepdims=True), axis=1)
    priority_idx = np.minimum((rng.random(n)[:, None] > cumulative).sum(axis=1), 3)
    escalated = rng.random(n) < sigmoid(-2.2 - 1.0 * zr + np.array([1.5, 0.5, 0.0, -0.5])[priority_idx])
    response_s = rng.exponential(FIRST_RESPONSE_HOURS[priority_idx] * 3600).astype(np.int64)
    resolve_s = (
        rng.exponential(RESOLUTION_DAYS[priority_idx] * 86400) * np.where(escalated, 2.0, 1.0)
    ).astype(np.int64)
    first_response = created + response_s.astype("timedelta64[s]")
    resolved = first_response + resolve_s.astype("timedelta64[s]")
    end = np.datetime64(world.window.end_exclusive, "s")
    answered_csat = (rng.random(n) < 0.35) & (resolved < end)
    csat = np.clip(np.round(3.9 + 0.6 * zr - 0.8 * escalated + rng.normal(0, 0.9, n)), 1, 5)
    contact = initial_contact(world, rng, a)
    contact[rng.random(n) < 0.08] = None
    cases = pd.DataFrame(
        {
            "case_id": [f"case_{i + 1:07d}" for i in range(n)],
            "account_id": world.account_ids[a],
            "contact_id": contact,
            "product_id": owned_product(world, rng, a, created),
            "created_at": created,
            "first_response_at": np.where(first_response < end, first_response, np.datetime64("NaT")),
            "resolved_at": np.where(resolved < end, resolved, np.datetime64("NaT")),
            "priority": np.asarray(PRIORITIES, dtype=object)[priority_idx],
            "category": np.asarray(CATEGORIES, dtype=object)[rng.integers(0, len(CATEGORIES), n)],
            "is_escalated": escalated,
            "csat": pd.array(np.where(answered_csat, csat, np.nan), dtype="Int64"),
        }
    )
    world.tables["support_cases"] = cases


def build_survey_responses(world: World) -> None:
    """NPS twice a year, success_check and CSAT quarterly, each sent to the account's contacts; about a
    quarter answer (more when healthy). The invitations go to the ground truth, not the raw files."""
    rng = world.rng
    cells = customer_cells(world)
    n_accounts = world.n_accounts
    offsets = rng.integers(0, 6, n_accounts)
    m, a = cells["m"].to_numpy(), cells["a"].to_numpy()
    phase = (m + offsets[a]) % 6
    waves = []
    for survey_type, phases in (("nps", (0,)), ("success_check", (1, 4)), ("csat", (2, 5))):
        chosen = cells[np.isin(phase, phases)].assign(survey_type=survey_type)
        waves.append(chosen)
    wave = pd.concat(waves).sort_values(["a", "m", "survey_type"], kind="stable").reset_index(drop=True)
    invited = world.accounts["_n_initial_contacts"].to_numpy()[wave["a"].to_numpy()]
    z = wave["z"].to_numpy()
    rate = sigmoid(np.log(SURVEY_RESPONSE_RATE / (1 - SURVEY_RESPONSE_RATE)) + 0.35 * z)
    answered = rng.binomial(invited, rate)
    rows = np.repeat(np.arange(len(wave)), answered)
    n = len(rows)
    wa = wave["a"].to_numpy()[rows]
    sent = random_times(
        rng, wave["lo"].to_numpy(), np.minimum(wave["lo"].to_numpy() + 10, wave["hi"].to_numpy())
    )
    delay = rng.exponential(4 * 86400, n).astype(np.int64).astype("timedelta64[s]")
    hi = wave["hi"].to_numpy().astype("datetime64[s]")[rows]
    responded = np.minimum(sent[rows] + delay, hi - np.timedelta64(1, "s"))
    zr = z[rows]
    types = wave["survey_type"].to_numpy()[rows]
    nps = np.clip(np.round(7.2 + 1.6 * zr + rng.normal(0, 1.6, n)), 0, 10)
    csat = np.clip(np.round(3.8 + 0.6 * zr + rng.normal(0, 0.8, n)), 1, 5)
    success = np.clip(np.round(3.4 + 0.8 * zr + rng.normal(0, 0.8, n)), 1, 5)
    score = np.where(types == "nps", nps, np.where(types == "csat", csat, success)).astype(int)
    share = np.where(types == "nps", score / 10, (score - 1) / 4)
    mood = np.where(share < 0.45, "negative", np.where(share < 0.75, "neutral", "positive"))
    comment = np.array(
        [COMMENTS[k][int(u * len(COMMENTS[k]))] for k, u in zip(mood, rng.random(n), strict=True)]
    )
    comment = np.where(rng.random(n) < 0.3, comment, None)
    responses = pd.DataFrame(
        {
            "response_id": [f"resp_{i + 1:07d}" for i in range(n)],
            "account_id": world.account_ids[wa],
            "contact_id": initial_contact(world, rng, wa),
            "survey_type": types,
            "score": score,
            "responded_at": responded,
            "comment": comment,
        }
    )
    # a contact answers a wave at most once
    responses = responses.assign(_wave=rows).drop_duplicates(["_wave", "contact_id"]).drop(columns="_wave")
    world.tables["survey_responses"] = responses.reset_index(drop=True)
    world.truth["survey_waves"] = pd.DataFrame(
        {
            "account_id": world.account_ids[wave["a"].to_numpy()],
            "survey_type": wave["survey_type"].to_numpy(),
            "sent_at": sent,
            "contacts_invited": invited,
            "responses": np.bincount(rows[responses.index.to_numpy()], minlength=len(wave))
            if n
            else np.zeros(len(wave), int),
        }
    )
