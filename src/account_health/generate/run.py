"""`generate`: the order of the steps (which fixes the order of random draws) and the files they write."""

from __future__ import annotations

import dataclasses
import datetime as dt
import tempfile
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

from account_health.contract import GENERATED_TABLES, TABLES
from account_health.generate import accounts, opportunities, revenue, signals, success, support, usage, writer
from account_health.generate.catalog import load_catalog
from account_health.generate.params import SCALES, Window
from account_health.generate.world import World
from account_health.resources import resources


def generate(
    out_dir: Path,
    ground_truth_dir: Path,
    *,
    scale: str = "demo",
    seed: int = 42,
    as_of: dt.date,
    churn_signal: float = 1.0,
    months: int | None = None,
) -> dict[str, int]:
    """Write all raw tables of the contract under `out_dir` and the latent truth under `ground_truth_dir`.

    Returns the rows written per raw table. The same seed, scale and as-of give byte-identical files.
    `churn_signal` scales how much latent health drives churn (1 default, ~0 weak, < 0 inverted): a company
    whose score should not separate churners, to test that calibration says so. `months`: the months of
    history ending with the as-of month instead of the tier's (the bench doubles the history with it).
    """
    if scale not in SCALES:
        raise ValueError(f"unknown scale {scale!r}; choose one of {', '.join(SCALES)}")
    out_dir, ground_truth_dir = Path(out_dir).resolve(), Path(ground_truth_dir).resolve()
    if ground_truth_dir == out_dir or out_dir in ground_truth_dir.parents:
        raise ValueError("the ground truth must not be written inside the raw folder (it would be landed)")
    params = SCALES[scale]
    if months is not None:
        if months < 1:
            raise ValueError(f"months must be at least 1, not {months}")
        params = dataclasses.replace(params, n_months=months)
    world = World(
        scale=params,
        seed=seed,
        window=Window(as_of=as_of, n_months=params.n_months),
        catalog=load_catalog(),
        rng=np.random.default_rng(seed),
        churn_signal=churn_signal,
    )
    accounts.build_accounts(world)
    revenue.build_subscriptions(world)
    accounts.build_contacts(world)
    world.tables["accounts"] = world.accounts
    support.build_support_cases(world)
    support.build_survey_responses(world)
    success.build_assessments(world)
    success.build_activities(world)
    success.build_goals(world)
    signals.build_integrations(world)
    signals.build_referrals(world)
    signals.build_downtime(world)
    signals.build_wallet(world)
    opportunities.build_opportunities(world)

    for name in GENERATED_TABLES:
        writer.reset_dir(out_dir / name)
    writer.reset_dir(ground_truth_dir)
    with tempfile.TemporaryDirectory(prefix="account-health-generate-") as spill:
        settings = resources().duckdb_config() | {"temp_directory": spill, "preserve_insertion_order": True}
        con = duckdb.connect(config=settings)
        con.execute("set enable_progress_bar = false")
        try:
            usage.install_random_macro(con, seed)
            rows = {
                name: writer.write_frame(con, name, frame, out_dir) for name, frame in world.tables.items()
            }
            usage.build_users(con, world)
            rows["users"] = writer.copy_to(
                con,
                f"{writer.typed_select(TABLES['users'], 'users')} order by user_id",
                out_dir / "users" / "users.csv",
                TABLES["users"].file_format,
            )
            rows["usage_events"] = _write_events(con, world, out_dir)
            _write_truth(con, world, ground_truth_dir)
        finally:
            con.close()
    return {name: rows[name] for name in GENERATED_TABLES}


def _write_events(con: duckdb.DuckDBPyConnection, world: World, out_dir: Path) -> int:
    """One Parquet file per month, each written by its own query so memory stays bounded at any scale."""
    table = TABLES["usage_events"]
    total = 0
    for month, month_start in enumerate(world.window.month_starts):
        source = (
            f"(select *, feature || '.' || action as event_name from ({usage.events_query(world, month)}))"
        )
        query = f"{writer.typed_select(table, source)} order by occurred_at, event_id"
        total += writer.copy_to(con, query, usage.event_file(out_dir, month_start), table.file_format)
    return total


def _write_truth(con: duckdb.DuckDBPyConnection, world: World, truth_dir: Path) -> None:
    a_idx, m_idx = np.nonzero(world.customer)
    health = pd.DataFrame(
        {
            "account_id": world.account_ids[a_idx],
            "segment": world.accounts["segment"].to_numpy(dtype=object)[a_idx],
            "is_test": world.accounts["is_test"].to_numpy()[a_idx],
            "month": world.window.month_starts[m_idx].astype("datetime64[s]"),
            "latent_health": np.round(world.health[a_idx, m_idx], 4),
            "health_score": np.round(world.health_score()[a_idx, m_idx], 2),
        }
    )
    writer.write_truth(con, "latent_health", health, truth_dir, "account_id, month")
    outcomes = world.outcomes.drop(columns="_account_idx")
    outcomes["event_date"] = pd.to_datetime(outcomes["event_date"]).astype("datetime64[s]")
    writer.write_truth(con, "outcomes", outcomes, truth_dir, "account_id, event_date, outcome, product_id")
    waves = world.truth["survey_waves"]
    writer.write_truth(con, "survey_waves", waves, truth_dir, "account_id, sent_at, survey_type")
