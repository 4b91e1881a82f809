"""The numbers behind a calibration: weights that keep the score a weighted mean, cuts between bands,
and the measures a reviewer compares (AUC, churn rate and lift per band). Pure numpy/scipy on the small
account-month table; nothing here reads the warehouse.

The score a warehouse computes is the weighted mean of the components available that day:
    score = sum_i w_i x_i m_i / sum_i w_i m_i     (x: component score 0..100, m: 1 when fresh)
so weights are fitted in exactly that form, non-negative (a better component never lowers the score)
and normalised to sum to 1. They maximise the likelihood of a one-variable logistic model of churn on
the score, with a ridge pull towards a reference (the pooled weights for a segment) so small segments
do not chase noise.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize
from scipy.special import expit
from scipy.stats import rankdata


def auc(risk: np.ndarray, outcome: np.ndarray) -> float | None:
    """Mann-Whitney AUC: P(risk of a random positive > a random negative), ties half; None if one class."""
    risk, outcome = np.asarray(risk, dtype=float), np.asarray(outcome, dtype=bool)
    positives = int(outcome.sum())
    negatives = len(outcome) - positives
    if positives == 0 or negatives == 0:
        return None
    ranks = rankdata(risk)
    return float((ranks[outcome].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def weighted_score(scores: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """The warehouse's score for each row: weighted mean over the fresh components; nan when none weighs."""
    fresh = ~np.isnan(scores)
    filled = np.where(fresh, scores, 0.0)
    denominator = fresh.astype(float) @ weights
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(
            denominator > 0, (filled @ weights) / np.where(denominator > 0, denominator, 1), np.nan
        )


def fit_weights(
    scores: np.ndarray,
    churned: np.ndarray,
    reference: np.ndarray,
    *,
    ridge: float,
    min_weight: float,
) -> np.ndarray:
    """Non-negative weights summing to 1 that best explain churn through the weighted-mean score.

    Components never fresh in these rows keep weight 0. Weights below `min_weight` after the fit are
    dropped (set to 0) and the rest renormalised, so the proposal lists only components that matter.
    """
    fresh = ~np.isnan(scores)
    usable = fresh.any(axis=0)
    x = np.where(fresh, scores, 0.0)[:, usable] / 100.0
    m = fresh[:, usable].astype(float)
    y = churned.astype(float)
    rows = m.sum(axis=1) > 0
    x, m, y = x[rows], m[rows], y[rows]
    n, k = x.shape
    ref = reference[usable] / max(reference[usable].sum(), 1e-12)
    floor = 1e-6

    def loss_and_grad(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, a, b = theta[:k], theta[k], theta[k + 1]
        denominator = m @ w
        s = (x @ w) / denominator
        p = expit(a + b * s)
        eps = 1e-12
        loss = -np.mean(y * np.log(p + eps) + (1 - y) * np.log(1 - p + eps))
        residual = (p - y) / n
        r = residual * b / denominator
        grad_w = x.T @ r - m.T @ (r * s)
        total = w.sum()
        u = w / total
        gap = u - ref
        loss += ridge * float(gap @ gap) + (total - 1.0) ** 2
        grad_w += 2 * ridge / total * (gap - float(gap @ u)) + 2 * (total - 1.0)
        return float(loss), np.concatenate([grad_w, [residual.sum(), (residual * s).sum()]])

    start_rate = min(max(y.mean(), 1e-3), 1 - 1e-3)
    theta0 = np.concatenate(
        [
            np.maximum(ref, 1e-3) / np.maximum(ref, 1e-3).sum(),
            [np.log(start_rate / (1 - start_rate)) + 1.5, -3.0],
        ]
    )
    bounds = [(floor, None)] * k + [(None, None), (None, None)]
    result = minimize(
        loss_and_grad, theta0, jac=True, method="L-BFGS-B", bounds=bounds, options={"maxiter": 500}
    )
    w = result.x[:k]
    w = w / w.sum()
    # a negative slope means a higher score churns less; with none, the fit found no direction
    if result.x[k + 1] >= 0:
        w = ref.copy()
    w[w < min_weight] = 0.0
    if w.sum() == 0:
        w = ref.copy()
    full = np.zeros(len(reference))
    full[usable] = w / w.sum()
    return full


def round_to_sum_one(weights: np.ndarray, decimals: int = 4) -> np.ndarray:
    """Round weights to `decimals` places so they still add up to exactly 1 (largest remainder)."""
    unit = 10**decimals
    scaled = weights / weights.sum() * unit
    floored = np.floor(scaled)
    short = round(float(unit - floored.sum()))
    order = np.argsort(-(scaled - floored), kind="stable")
    floored[order[:short]] += 1
    return floored / unit


@dataclass(frozen=True)
class BandCut:
    """Proposed cuts: unhealthy below `low`, not_so_healthy from `low` below `high`, healthy from `high`."""

    low: float
    high: float
    separable: bool
    note: str


def _two_proportion_z(c1: int, n1: int, c2: int, n2: int) -> float:
    if n1 == 0 or n2 == 0:
        return 0.0
    pooled = (c1 + c2) / (n1 + n2)
    spread = np.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return 0.0 if spread == 0 else (c1 / n1 - c2 / n2) / spread


def choose_band_cuts(score: np.ndarray, churned: np.ndarray, *, min_share: float, min_z: float) -> BandCut:
    """Two integer cuts that best explain churn with three bands whose rates fall as the score rises.

    Every pair of cuts 1 <= low < high <= 100 leaving each band at least `min_share` of the rows is
    tried; the pair with the highest binomial likelihood of a three-step churn curve wins, among
    those whose churn rate falls from band to band. Adjacent bands must also differ by `min_z` (a
    two-proportion z test): where they do not, the bands cannot be told apart and are merged into
    not_so_healthy, and the note says so (a band that does not separate must not look like one).
    """
    keep = ~np.isnan(score)
    score, churned = score[keep], churned[keep].astype(int)
    n = len(score)
    if n == 0:
        return BandCut(0.0, 100.0, False, "no scored rows to learn bands from")
    bins = np.clip(np.floor(score), 0, 100).astype(int)
    rows_at = np.bincount(bins, minlength=101)
    churn_at = np.bincount(bins, weights=churned, minlength=101)
    # cum[t] = rows (churners) with score < t
    rows_below = np.concatenate([[0], np.cumsum(rows_at)])
    churn_below = np.concatenate([[0], np.cumsum(churn_at)])

    def log_likelihood(c: float, r: float) -> float:
        if r == 0 or c == 0 or c == r:
            return 0.0
        p = c / r
        return c * np.log(p) + (r - c) * np.log(1 - p)

    best: tuple[float, int, int] | None = None
    for low in range(1, 100):
        r1, c1 = rows_below[low], churn_below[low]
        if r1 < min_share * n:
            continue
        for high in range(low + 1, 101):
            r2, c2 = rows_below[high] - r1, churn_below[high] - c1
            r3, c3 = n - rows_below[high], churn_below[-1] - churn_below[high]
            if r2 < min_share * n or r3 < min_share * n:
                continue
            if not (c1 / r1 > c2 / r2 > c3 / r3):
                continue
            value = log_likelihood(c1, r1) + log_likelihood(c2, r2) + log_likelihood(c3, r3)
            if best is None or value > best[0]:
                best = (value, low, high)
    if best is None:
        return BandCut(
            0.0, 100.0, False, "cannot separate: no cuts give churn rates falling from band to band"
        )
    _, low, high = best
    r1, c1 = rows_below[low], churn_below[low]
    r2, c2 = rows_below[high] - r1, churn_below[high] - c1
    r3, c3 = n - rows_below[high], churn_below[-1] - churn_below[high]
    z_low = _two_proportion_z(int(c1), int(r1), int(c2), int(r2))
    z_high = _two_proportion_z(int(c2), int(r2), int(c3), int(r3))
    if z_low < min_z and z_high < min_z:
        return BandCut(
            0.0,
            100.0,
            False,
            f"cannot separate: adjacent bands differ by z {z_low:.1f} and {z_high:.1f} < {min_z}",
        )
    if z_low < min_z:
        return BandCut(
            0.0, float(high), False, f"unhealthy merged into not_so_healthy: z {z_low:.1f} < {min_z}"
        )
    if z_high < min_z:
        return BandCut(
            float(low), 100.0, False, f"healthy merged into not_so_healthy: z {z_high:.1f} < {min_z}"
        )
    return BandCut(float(low), float(high), True, "")


def band_of(score: np.ndarray, cut: BandCut) -> np.ndarray:
    """Band ranks 1..3 (nan where no score): unhealthy < low <= not_so_healthy < high <= healthy."""
    rank = np.where(score < cut.low, 1.0, np.where(score < cut.high, 2.0, 3.0))
    return np.where(np.isnan(score), np.nan, rank)
