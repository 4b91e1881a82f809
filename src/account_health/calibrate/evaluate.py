"""Before/after measures on held-out account-months: AUC, churn rate and lift per band, overrides."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from account_health.calibrate.fit import auc

BAND_NAMES = {1: "unhealthy", 2: "not_so_healthy", 3: "healthy"}


@dataclass(frozen=True)
class BandRow:
    band: str
    rows: int
    churned: int
    churn_rate: float | None
    lift: float | None


@dataclass(frozen=True)
class Evaluation:
    """How one scorecard did on a set of account-months."""

    rows: int
    churned: int
    auc: float | None
    score_bands: list[BandRow] = field(default_factory=list)  # bands from the score alone
    bands: list[BandRow] = field(default_factory=list)  # after overrides (what a CSM sees)

    def rate(self, band: str, *, with_overrides: bool = True) -> float | None:
        for row in self.bands if with_overrides else self.score_bands:
            if row.band == band:
                return row.churn_rate
        return None

    def is_ordered(self, *, with_overrides: bool = True) -> bool:
        """Churn falls from band to band (empty bands skipped): the bands run the right way."""
        rates = [
            row.churn_rate for row in (self.bands if with_overrides else self.score_bands) if row.rows > 0
        ]
        return all(a > b for a, b in itertools.pairwise(rates))


def band_rows(rank: np.ndarray, churned: np.ndarray) -> list[BandRow]:
    overall = float(churned.mean()) if len(churned) else None
    rows = []
    for value, name in BAND_NAMES.items():
        members = rank == value
        count = int(members.sum())
        churn = int(churned[members].sum())
        rate = churn / count if count else None
        rows.append(
            BandRow(name, count, churn, rate, rate / overall if rate is not None and overall else None)
        )
    return rows


def with_overrides(score_rank: np.ndarray, forced_rank: np.ndarray) -> np.ndarray:
    """An override lowers a band, never raises it."""
    return np.where(np.isnan(forced_rank), score_rank, np.fmin(score_rank, forced_rank))


def evaluate(
    score: np.ndarray, score_rank: np.ndarray, forced_rank: np.ndarray, churned: np.ndarray
) -> Evaluation:
    keep = ~np.isnan(score)
    score, score_rank, forced_rank, churned = score[keep], score_rank[keep], forced_rank[keep], churned[keep]
    return Evaluation(
        rows=len(score),
        churned=int(churned.sum()),
        auc=auc(100 - score, churned),
        score_bands=band_rows(score_rank, churned),
        bands=band_rows(with_overrides(score_rank, forced_rank), churned),
    )


@dataclass(frozen=True)
class OverrideRow:
    """One override rule (or all of them) on the held-out rows and today's customers."""

    rule_id: str
    rows_fired: int
    churn_rate: float | None
    lift: float | None
    rows_moved_before: int  # held-out rows whose band it lowered under today's bands
    rows_moved_after: int  # ... under the proposed bands
    accounts_moved_today_before: int
    accounts_moved_today_after: int


def override_rows(
    rules: dict[str, int],
    fired: np.ndarray,
    churned: np.ndarray,
    rank_before: np.ndarray,
    rank_after: np.ndarray,
    forced_rank: np.ndarray,
    today_fired: np.ndarray,
    today_before: np.ndarray,
    today_after: np.ndarray,
    today_forced_rank: np.ndarray,
) -> list[OverrideRow]:
    """Lift of each rule (churn rate where it fires / overall) and how many rows and accounts it moves."""
    overall = float(churned.mean()) if len(churned) else None

    def fires(values: np.ndarray, rule: str | None) -> np.ndarray:
        return np.array(
            [bool(v) and (rule is None or rule in str(v).split(", ")) for v in values], dtype=bool
        )

    result = []
    for rule in [*sorted(rules), None]:
        # a rule forces its own band; "any override" the worst band forced on the row
        forced = forced_rank if rule is None else rules[rule]
        forced_now = today_forced_rank if rule is None else rules[rule]
        here, now = fires(fired, rule), fires(today_fired, rule)
        if rule is not None and not here.any() and not now.any():
            continue
        count = int(here.sum())
        rate = float(churned[here].mean()) if count else None
        result.append(
            OverrideRow(
                rule_id=rule or "any override",
                rows_fired=count,
                churn_rate=rate,
                lift=rate / overall if rate is not None and overall else None,
                rows_moved_before=int((here & (rank_before > forced)).sum()),
                rows_moved_after=int((here & (rank_after > forced)).sum()),
                accounts_moved_today_before=int((now & (today_before > forced_now)).sum()),
                accounts_moved_today_after=int((now & (today_after > forced_now)).sum()),
            )
        )
    return result
