"""Size tiers and the time window of one generated data set.

A tier only sets sizes and intensities; the behaviour (how latent health drives each signal) is the same
at every scale, so a test on `tiny` exercises the same code paths as `large`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Scale:
    """Parameters of one size tier."""

    name: str
    n_accounts: int
    n_months: int
    # multiplies the log-normal seat counts of every segment, to land on the tier's user total
    seat_multiplier: float
    # mean active days per month of an engaged user with propensity 1 (before weekend/holiday thinning)
    active_days_per_month: float
    # mean extra events in an active day beyond the first one
    extra_events_per_day: float
    # share of enterprise / mid_market / smb accounts
    segment_mix: tuple[float, float, float] = (0.1, 0.3, 0.6)
    n_test_accounts: int = 2
    # share of accounts whose customer_since falls inside the window (onboarding accounts)
    new_account_share: float = 0.25


SCALES: dict[str, Scale] = {
    "tiny": Scale(
        name="tiny",
        n_accounts=40,
        n_months=18,
        seat_multiplier=0.7,
        active_days_per_month=6.0,
        extra_events_per_day=1.0,
    ),
    "demo": Scale(
        name="demo",
        n_accounts=300,
        n_months=24,
        seat_multiplier=0.95,
        active_days_per_month=8.0,
        extra_events_per_day=1.6,
    ),
    # one tenth of `large` (its intensities and window, a tenth of its accounts): sized for a 2-core machine
    # in minutes, the bench's tier for growth towards `large` (bench/run.py --tiers medium)
    "medium": Scale(
        name="medium",
        n_accounts=1_000,
        n_months=24,
        seat_multiplier=0.95,
        active_days_per_month=9.0,
        extra_events_per_day=1.8,
    ),
    "large": Scale(
        name="large",
        n_accounts=10_000,
        n_months=24,
        seat_multiplier=0.95,
        active_days_per_month=9.0,
        extra_events_per_day=1.8,
    ),
}


@dataclass(frozen=True)
class Window:
    """The months covered by activity data: `n_months` calendar months ending with the as-of month."""

    as_of: dt.date
    n_months: int

    @property
    def start(self) -> dt.date:
        total = self.as_of.year * 12 + self.as_of.month - 1 - (self.n_months - 1)
        return dt.date(total // 12, total % 12 + 1, 1)

    @property
    def end_exclusive(self) -> dt.date:
        """Nothing is generated on or after this day."""
        return self.as_of + dt.timedelta(days=1)

    @property
    def month_starts(self) -> np.ndarray:
        start = np.datetime64(self.start, "M")
        return (start + np.arange(self.n_months)).astype("datetime64[D]")

    @property
    def month_ends(self) -> np.ndarray:
        """Exclusive end of each month, the last one cut at the day after as-of."""
        ends = (np.datetime64(self.start, "M") + np.arange(1, self.n_months + 1)).astype("datetime64[D]")
        ends[-1] = min(ends[-1], np.datetime64(self.end_exclusive, "D"))
        return ends

    def month_index(self, days: np.ndarray) -> np.ndarray:
        """Index of the window month holding each day (negative before the window)."""
        months = np.asarray(days).astype("datetime64[M]")
        return (months - np.datetime64(self.start, "M")).astype(int)
