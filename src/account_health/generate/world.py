"""The state shared by the generator's steps: sizes, the window, the latent health and what follows from it.

Each step reads what earlier steps put here and adds its own tables, so the order of random draws (and so
the output) is fixed by the order of steps in `run.generate`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from account_health.generate.catalog import Catalog
from account_health.generate.params import Scale, Window


@dataclass
class World:
    scale: Scale
    seed: int
    window: Window
    catalog: Catalog
    rng: np.random.Generator
    # how strongly latent health drives churn at renewal (1 default; ~0 weak; < 0 inverted)
    churn_signal: float = 1.0
    accounts: pd.DataFrame = field(default_factory=pd.DataFrame)
    # latent health z (standard-normal-ish, higher = healthier), accounts x window months
    health: np.ndarray = field(default_factory=lambda: np.empty((0, 0)))
    # account is a customer for at least part of the month
    customer: np.ndarray = field(default_factory=lambda: np.empty((0, 0), dtype=bool))
    # day the account stopped being a customer (NaT = still a customer at as-of)
    churn_date: np.ndarray = field(default_factory=lambda: np.empty(0, dtype="datetime64[D]"))
    subscriptions: pd.DataFrame = field(default_factory=pd.DataFrame)
    outcomes: pd.DataFrame = field(default_factory=pd.DataFrame)
    contacts: pd.DataFrame = field(default_factory=pd.DataFrame)
    tables: dict[str, pd.DataFrame] = field(default_factory=dict)
    # ground truth frames (never written to the raw folder)
    truth: dict[str, pd.DataFrame] = field(default_factory=dict)

    @property
    def n_accounts(self) -> int:
        return len(self.accounts)

    @property
    def account_ids(self) -> np.ndarray:
        """Cached: steps index it once per generated row."""
        cached = self.__dict__.get("_account_ids")
        if cached is None or len(cached) != len(self.accounts):
            cached = self.accounts["account_id"].to_numpy(dtype=object)
            self.__dict__["_account_ids"] = cached
        return cached

    def health_score(self) -> np.ndarray:
        """Latent health on a 0-100 scale, as written to the ground truth."""
        return 100.0 / (1.0 + np.exp(-self.health))


def random_times(rng: np.random.Generator, start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """One uniform timestamp (second precision) in [start, end) per pair; start/end are datetime64."""
    start_s = np.asarray(start).astype("datetime64[s]")
    span = (np.asarray(end).astype("datetime64[s]") - start_s).astype(np.int64)
    offset = np.floor(rng.random(len(start_s)) * np.maximum(span, 1)).astype(np.int64)
    return start_s + offset.astype("timedelta64[s]")


def sigmoid(x: np.ndarray | float) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.asarray(x, dtype=float)))


def customer_cells(world: World) -> pd.DataFrame:
    """One row per account and month in which the account is a customer, with the days [lo, hi) it was one."""
    a_idx, m_idx = np.nonzero(world.customer)
    since = world.accounts["customer_since"].to_numpy().astype("datetime64[D]")
    stop = np.where(
        np.isnat(world.churn_date), np.datetime64(world.window.end_exclusive, "D"), world.churn_date
    )
    lo = np.maximum(world.window.month_starts[m_idx], since[a_idx])
    hi = np.minimum(world.window.month_ends[m_idx], stop[a_idx])
    month_days = (world.window.month_ends - world.window.month_starts).astype(int)
    return (
        pd.DataFrame(
            {
                "a": a_idx,
                "m": m_idx,
                "lo": lo,
                "hi": hi,
                "share": (hi - lo).astype(int) / 30.4,
                "full_share": (hi - lo).astype(int) / month_days[m_idx],
                "z": world.health[a_idx, m_idx],
            }
        )
        .query("hi > lo")
        .reset_index(drop=True)
    )


def initial_contact(world: World, rng: np.random.Generator, account_idx: np.ndarray) -> np.ndarray:
    """A random contact that existed when the account signed (contacts 1..n_initial of the account)."""
    n_initial = world.accounts["_n_initial_contacts"].to_numpy()[account_idx]
    ordinal = 1 + np.floor(rng.random(len(account_idx)) * n_initial).astype(int)
    ids = world.account_ids[account_idx]
    return np.array([f"{a}-c{o:03d}" for a, o in zip(ids, ordinal, strict=True)], dtype=object)


def owned_product(
    world: World, rng: np.random.Generator, account_idx: np.ndarray, at: np.ndarray
) -> np.ndarray:
    """A product the account holds a subscription for at each time (core weighted double); None if none."""
    subs = world.subscriptions
    end = pd.to_datetime(subs["end_date"]).fillna(pd.Timestamp(world.window.end_exclusive))
    rows = pd.DataFrame(
        {
            "account_idx": subs["_account_idx"].to_numpy(),
            "product_id": subs["product_id"].to_numpy(),
            "start": pd.to_datetime(subs["start_date"]).to_numpy().astype("datetime64[s]"),
            "end": end.to_numpy().astype("datetime64[s]"),
        }
    )
    queries = pd.DataFrame(
        {
            "q": np.arange(len(account_idx)),
            "account_idx": account_idx,
            "at": np.asarray(at).astype("datetime64[s]"),
        }
    )
    merged = queries.merge(rows, on="account_idx", how="inner", sort=False)
    merged = merged[(merged["start"] <= merged["at"]) & (merged["at"] < merged["end"])]
    merged = merged.drop_duplicates(["q", "product_id"]).sort_values(["q", "product_id"], kind="stable")
    weight = np.where(merged["product_id"].to_numpy() == world.catalog.core.product_id, 2.0, 1.0)
    merged = merged.assign(key=rng.random(len(merged)) ** (1.0 / weight))
    best = merged.sort_values(["q", "key"], kind="stable").groupby("q").tail(1)
    result = np.full(len(account_idx), None, dtype=object)
    result[best["q"].to_numpy()] = best["product_id"].to_numpy()
    return result
