"""The NRR forecast on a three-account history worked out by hand."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

M0, M1, M2, M3, M4 = (dt.date(2025, 1, 31), dt.date(2025, 2, 28), dt.date(2025, 3, 31), dt.date(2025, 4, 30),
                      dt.date(2025, 5, 31))  # fmt: skip

PARAMS = {
    "forecast_learn_horizons_months": "2",
    "forecast_min_history_windows": "1",
    "forecast_min_accounts_per_cell": "1",
    "forecast_bootstrap_draws": "200",
    "forecast_interval_lower_quantile": "0.1",
    "forecast_interval_upper_quantile": "0.9",
    "at_risk_bands": "unhealthy",
}


def _panel() -> pd.DataFrame:
    # (account, month_end, mrr, band). Windows closed by M2 (2-month windows): only those from M0.
    rows = [
        ("A", M0, 100, "healthy"), ("A", M1, 100, "healthy"), ("A", M2, 120, "healthy"),
        ("A", M3, 120, "healthy"), ("A", M4, 60, "healthy"),
        ("B", M0, 100, "healthy"), ("B", M1, 100, "healthy"), ("B", M2, 0, "unscored"),
        ("B", M3, 0, "unscored"), ("B", M4, 0, "unscored"),
        ("C", M0, 200, "unhealthy"), ("C", M1, 150, "unhealthy"), ("C", M2, 100, "unhealthy"),
        ("C", M3, 100, "unhealthy"), ("C", M4, 100, "unhealthy"),
        ("D", M2, 80, "healthy"), ("D", M3, 80, "healthy"), ("D", M4, 0, "unscored"),
    ]  # fmt: skip
    frame = pd.DataFrame(rows, columns=["account_id", "month_end", "ending_mrr", "health_band"])
    frame["segment"] = "smb"
    frame["ending_mrr"] = frame["ending_mrr"].astype(float)
    return frame


def test_forecast_by_hand(forecast_model) -> None:
    rows, learn, window_count = forecast_model.forecast(_panel(), M2, 2, PARAMS, np.random.default_rng(1))
    # History (2-month windows closed by M2): A 100 -> 120, B 100 -> 0 (healthy), C 200 -> 100 (unhealthy).
    assert (learn, window_count) == (2, 3)
    by_key = rows.set_index(["segment", "health_band"])
    healthy = by_key.loc[("smb", "healthy")]
    # healthy: start 200; churn 100/200 = 0.5, contraction 0, expansion 20/200 = 0.1
    assert (healthy["churn_rate"], healthy["contraction_rate"], healthy["expansion_rate"]) == pytest.approx(
        (0.5, 0.0, 0.1)
    )
    unhealthy = by_key.loc[("smb", "unhealthy")]
    assert (unhealthy["churn_rate"], unhealthy["contraction_rate"]) == pytest.approx((0.0, 0.5))
    total = by_key.loc[("smb", "all")]
    # Paying at M2: A 120 + D 80 healthy (factor 1 - 0.5 + 0.1 = 0.6), C 100 unhealthy (factor 0.5).
    # NRR = (200 * 0.6 + 100 * 0.5) / 300 = 170 / 300; GRR = (200 * 0.5 + 100 * 0.5) / 300 = 0.5.
    assert total["current_mrr"] == 300
    assert total["nrr_forecast_rate"] == pytest.approx(170 / 300)
    assert total["grr_forecast_rate"] == pytest.approx(0.5)
    # At risk: C, 100 MRR, expected loss 100 * (1 - 0.5) = 50 -> 50 / 300 NRR points at stake.
    assert (total["at_risk_mrr"], total["at_risk_expected_loss_mrr"]) == pytest.approx((100, 50))
    assert total["nrr_at_stake_rate"] == pytest.approx(50 / 300)
    assert total["nrr_lower_rate"] <= total["nrr_forecast_rate"] <= total["nrr_upper_rate"]
    # The unhealthy cell has one history window (ratio 0.5): no spread.
    assert unhealthy["nrr_lower_rate"] == unhealthy["nrr_upper_rate"] == pytest.approx(0.5)


def test_shorter_learn_window_is_compounded(forecast_model) -> None:
    params = {**PARAMS, "forecast_learn_horizons_months": "1"}
    rows, learn, _ = forecast_model.forecast(_panel(), M2, 2, params, np.random.default_rng(1))
    unhealthy = rows.set_index(["segment", "health_band"]).loc[("smb", "unhealthy")]
    # 1-month windows closed by M2 for C: 200 -> 150, 150 -> 100: contraction (50 + 50) / 350 = 2/7;
    # two months: (1 - 2/7) ** 2.
    assert learn == 1
    assert unhealthy["nrr_forecast_rate"] == pytest.approx((1 - 2 / 7) ** 2)


def test_actual_retention_matches_the_mart_formula(forecast_model) -> None:
    actual = forecast_model.actual_retention(_panel(), M2, M4).set_index("segment")
    # Paying at M2: A 120, C 100, D 80 = 300. At M4: A 60, C 100, D 0 -> NRR 160/300;
    # GRR caps: min(60,120) + min(100,100) + 0 = 160 -> 160/300.
    assert actual.loc["all", "actual_nrr_rate"] == pytest.approx(160 / 300)
    assert actual.loc["all", "actual_grr_rate"] == pytest.approx(160 / 300)


def test_month_ends_are_shifted_to_the_last_day_of_the_target_month() -> None:
    """Worked by hand: leap February, year ends, a mid-month day, backwards; one value per row at once."""
    from account_health.analysis.forecast import month_ends_shifted

    days = pd.Series(
        [dt.date(2024, 1, 31), dt.date(2023, 12, 31), dt.date(2025, 3, 15), dt.date(2025, 1, 31)]
    )
    assert month_ends_shifted(days, 1) == [
        dt.date(2024, 2, 29), dt.date(2024, 1, 31), dt.date(2025, 4, 30), dt.date(2025, 2, 28)
    ]  # fmt: skip
    assert month_ends_shifted(days, -13) == [
        dt.date(2022, 12, 31), dt.date(2022, 11, 30), dt.date(2024, 2, 29), dt.date(2023, 12, 31)
    ]  # fmt: skip
    assert month_ends_shifted(pd.Series([], dtype=object), 2) == []
