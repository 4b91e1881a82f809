"""`account-health calibrate`: a scorecard proposal learned from the company's own history.

Built on the backtest's split: the latest `backtest_test_months` month-ends whose outcome window is fully
observed are held out; weights and bands are learned only from month-ends whose window closed on or
before the first held-out month-end, so no held-out label leaks in. The proposal (new health_weights
rows with a valid_from, proposed health_bands, and a report of before and after) is written into
`<config dir>/proposals/<valid_from>/` for a person to review. It never applies itself: copying the
files over the scorecard seeds (or the company's config) is the review's decision.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np

from account_health.calibrate import data, fit
from account_health.calibrate.evaluate import Evaluation, OverrideRow, evaluate, override_rows, with_overrides
from account_health.paths import Paths

BAND_RANKS = {"unhealthy": 1, "not_so_healthy": 2, "healthy": 3}


@dataclass(frozen=True)
class Calibration:
    """Everything the proposal says; `write_proposal` turns it into files."""

    as_of: dt.date
    valid_from: dt.date
    horizon_months: int
    train_to: dt.date
    test_from: dt.date
    test_to: dt.date
    train_rows: int
    components: tuple[str, ...]
    weights: dict[str, np.ndarray]  # segment -> weights (sum 1, aligned with components)
    weight_source: dict[str, str]  # segment -> "segment" or "pooled (why)"
    cut: fit.BandCut
    before: Evaluation
    after: Evaluation
    boosted_auc: float | None  # on every fresh component (what the proposal may weigh)
    boosted_auc_today: float | None  # on the components today's scorecard weighs (the backtest's benchmark)
    overrides: list[OverrideRow]
    accounts_today_before: dict[str, int]
    accounts_today_after: dict[str, int]
    current_bands: list[tuple[str, int, float, float]]
    band_rows: list[tuple[str, int, float, float, dt.date, bool]]
    weight_rows: list[tuple[str, str, float, dt.date]]

    @property
    def separable(self) -> bool:
        return self.cut.separable

    @property
    def bands(self) -> list[tuple[str, int, float, float]]:
        return [
            ("unhealthy", 1, 0.0, self.cut.low),
            ("not_so_healthy", 2, self.cut.low, self.cut.high),
            ("healthy", 3, self.cut.high, 100.0),
        ]


def _month_add(day: np.datetime64, months: int) -> np.datetime64:
    """Month-end `months` after (or before, negative) the month-end `day`."""
    month = day.astype("datetime64[M]") + months
    return (month + 1).astype("datetime64[D]") - 1


def _rank(bands: list[tuple[str, int, float, float]], score: np.ndarray) -> np.ndarray:
    """Band rank of each score under seed-style bands (min inclusive, max exclusive, top includes max)."""
    rank = np.full(len(score), np.nan)
    top = max(band[1] for band in bands)
    for _, band_rank, low, high in bands:
        inside = (score >= low) & ((score < high) | ((band_rank == top) & (score <= high)))
        rank = np.where(np.isnan(rank) & inside, band_rank, rank)
    return rank


def _parameter(card: data.Scorecard, name: str, default: str) -> str:
    return card.parameters.get(name, default)


def calibrate(paths: Paths) -> Calibration:
    """Learn weights and bands from the training months of a built warehouse; measure on held-out ones."""
    with data.connect(paths.warehouse_path) as con:
        card = data.read_scorecard(con)
        horizon = int(_parameter(card, "backtest_headline_horizon_months", "6"))
        history = data.read_account_months(con, horizon)
        today = data.read_account_months(con, horizon, last_day_only=True)
    test_months = int(_parameter(card, "backtest_test_months", "6"))
    ridge = float(_parameter(card, "calibration_ridge", "0.05"))
    min_weight = float(_parameter(card, "calibration_min_weight", "0.01"))
    min_churners = int(_parameter(card, "calibration_min_segment_churners", "100"))
    min_share = float(_parameter(card, "calibration_min_band_share", "0.1"))
    min_z = float(_parameter(card, "calibration_min_band_z", "1.96"))

    observed_months = np.unique(history.month_end[history.observed])
    if len(observed_months) <= test_months:
        raise data.CalibrationInputError(
            f"only {len(observed_months)} month-ends with a fully observed {horizon}-month outcome; "
            f"calibration needs more than the {test_months} held out (backtest_test_months)"
        )
    held_out = observed_months[-test_months:]
    train_to = _month_add(held_out[0], -horizon)
    train = history.observed & (history.month_end <= train_to)
    test = np.isin(history.month_end, held_out)
    if history.churned[train].sum() == 0:
        raise data.CalibrationInputError("no churn in the training months: nothing to calibrate against")

    components = history.components
    current = np.array(
        [
            np.mean(
                [
                    card.weights[s].get(c, 0.0) / max(sum(card.weights[s].values()), 1e-12)
                    for s in card.weights
                ]
            )
            for c in components
        ]
    )
    pooled = fit.fit_weights(
        history.scores[train], history.churned[train], current, ridge=ridge, min_weight=min_weight
    )
    weights, source = {}, {}
    for segment in sorted(card.weights):
        rows = train & (history.segment == segment)
        churners = int(history.churned[rows].sum())
        if churners >= min_churners:
            weights[segment] = fit.fit_weights(
                history.scores[rows], history.churned[rows], pooled, ridge=ridge, min_weight=min_weight
            )
            source[segment] = f"segment ({churners} churners in training)"
        else:
            weights[segment] = pooled
            source[segment] = f"pooled ({churners} churners in training < {min_churners})"
        weights[segment] = fit.round_to_sum_one(weights[segment])

    def scored(table: data.AccountMonths) -> np.ndarray:
        score = np.full(len(table), np.nan)
        for segment, segment_weights in weights.items():
            rows = table.segment == segment
            score[rows] = fit.weighted_score(table.scores[rows], segment_weights)
        return np.round(score, 4)

    new_score = scored(history)
    cut = fit.choose_band_cuts(new_score[train], history.churned[train], min_share=min_share, min_z=min_z)
    proposed_bands = [
        ("unhealthy", 1, 0.0, cut.low),
        ("not_so_healthy", 2, cut.low, cut.high),
        ("healthy", 3, cut.high, 100.0),
    ]
    churned, forced = history.churned[test], history.forced_band_rank[test]
    old_rank = _rank(card.bands, history.health_score)
    new_rank = _rank(proposed_bands, new_score)
    before = evaluate(history.health_score[test], old_rank[test], forced, churned)
    after = evaluate(new_score[test], new_rank[test], forced, churned)
    if not after.is_ordered(with_overrides=False):
        # the last gate: bands that run the wrong way on the latest months are merged, never proposed
        cut = _merge_disordered(cut, after)
        proposed_bands = [
            ("unhealthy", 1, 0.0, cut.low),
            ("not_so_healthy", 2, cut.low, cut.high),
            ("healthy", 3, cut.high, 100.0),
        ]
        new_rank = _rank(proposed_bands, new_score)
        after = evaluate(new_score[test], new_rank[test], forced, churned)

    today_new = scored(today)
    today_old_rank = _rank(card.bands, today.health_score)
    today_new_rank = _rank(proposed_bands, today_new)
    overrides = override_rows(
        card.override_bands,
        history.override_rules[test],
        churned,
        old_rank[test],
        new_rank[test],
        forced,
        today.override_rules,
        today_old_rank,
        today_new_rank,
        today.forced_band_rank,
    )

    def counts(rank: np.ndarray) -> dict[str, int]:
        final = with_overrides(rank, today.forced_band_rank)
        return {band: int((final == value).sum()) for band, value in BAND_RANKS.items()}

    return Calibration(
        as_of=card.as_of,
        valid_from=card.as_of + dt.timedelta(days=1),
        horizon_months=horizon,
        train_to=train_to.astype(dt.date),
        test_from=held_out[0].astype(dt.date),
        test_to=held_out[-1].astype(dt.date),
        train_rows=int(train.sum()),
        components=components,
        weights=weights,
        weight_source=source,
        cut=cut,
        before=before,
        after=after,
        boosted_auc=_boosted_auc(history.scores, history, train, test, card),
        boosted_auc_today=_boosted_auc(
            np.where(current > 0, history.scores, np.nan), history, train, test, card
        ),
        overrides=overrides,
        accounts_today_before=counts(today_old_rank),
        accounts_today_after=counts(today_new_rank),
        current_bands=card.bands,
        band_rows=card.band_rows,
        weight_rows=card.weight_rows,
    )


def _merge_disordered(cut: fit.BandCut, held_out: Evaluation) -> fit.BandCut:
    """Merge the bands whose churn runs the wrong way on the held-out months into not_so_healthy."""
    rates = {row.band: row.churn_rate for row in held_out.score_bands}
    low, high = cut.low, cut.high
    unhealthy, middle, healthy = rates["unhealthy"], rates["not_so_healthy"], rates["healthy"]
    if unhealthy is not None and middle is not None and unhealthy <= middle:
        low = 0.0
    if middle is not None and healthy is not None and middle <= healthy:
        high = 100.0
    if low == 0.0 and high != 100.0 and unhealthy is not None and healthy is not None:
        # unhealthy merged: the merged middle band now holds both; compare it with healthy again
        merged = [row for row in held_out.score_bands if row.band in ("unhealthy", "not_so_healthy")]
        rows = sum(row.rows for row in merged)
        if rows and sum(row.churned for row in merged) / rows <= healthy:
            high = 100.0
    described = ", ".join(f"{band} {rate:.1%}" for band, rate in rates.items() if rate is not None)
    return fit.BandCut(
        low,
        high,
        False,
        f"cannot separate on the held-out months (churn {described}): bands that ran the wrong way "
        "were merged into not_so_healthy",
    )


def _boosted_auc(
    features: np.ndarray,
    history: data.AccountMonths,
    train: np.ndarray,
    test: np.ndarray,
    card: data.Scorecard,
) -> float | None:
    """The backtest's benchmark (gradient boosting on the component scores), on the same held-out rows."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    keep = test & ~np.isnan(history.health_score)
    if history.churned[train].all() or not history.churned[train].any():
        return None
    model = HistGradientBoostingClassifier(
        max_iter=int(_parameter(card, "gbm_max_iter", "200")),
        learning_rate=float(_parameter(card, "gbm_learning_rate", "0.05")),
        max_depth=int(_parameter(card, "gbm_max_depth", "3")),
        random_state=int(_parameter(card, "forecast_random_seed", "42")),
    )
    # components never observed in the training months carry nothing to learn from
    usable = ~np.isnan(features[train]).all(axis=0)
    model.fit(features[train][:, usable], history.churned[train])
    probability = model.predict_proba(features[keep][:, usable])[:, 1]
    return fit.auc(probability, history.churned[keep])
