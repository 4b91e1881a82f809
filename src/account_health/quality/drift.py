"""What the gate compares with the last publish (row counts, band shares), and the thresholds it uses.

Both comparisons become metrics in a table's one-row `__metrics` frame, with bounds from the seed
`config.quality_thresholds`; each is skipped with a note when there is nothing to compare with (no
threshold, no previous publish, the table not in it).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from account_health.quality.warehouse import table_exists
from account_health.sql import quote_ident, quote_literal

if TYPE_CHECKING:
    from account_health.quality.registry import BandDrift, ModelSuite

THRESHOLDS_TABLE = "quality_thresholds"
ROW_COUNT_CHANGE = "max_row_count_change_pct"
BAND_DRIFT = "max_band_share_drift"
MAX_ROWS = "max_rows_in_memory"

Note = Callable[[str], None]


@dataclass(frozen=True)
class Thresholds:
    """Rows of config.quality_thresholds: (threshold_id, model or None) -> value."""

    values: dict[tuple[str, str | None], float]

    def get(self, threshold_id: str, model: str | None = None) -> float | None:
        if (threshold_id, model) in self.values:
            return self.values[(threshold_id, model)]
        return self.values.get((threshold_id, None))


def load_thresholds(con: duckdb.DuckDBPyConnection) -> Thresholds | None:
    """The thresholds seed, or None when it has not been built into the warehouse."""
    if not table_exists(con, "config", THRESHOLDS_TABLE):
        return None
    rows = con.execute(
        f"select threshold_id, nullif(trim(model_name), ''), threshold_value from config.{THRESHOLDS_TABLE}"
    ).fetchall()
    return Thresholds({(str(tid), model): float(value) for tid, model, value in rows if value is not None})


def previous_row_counts(serving_dir: Path) -> dict[str, int] | None:
    """Row counts of the last published run, from the serving manifest the publish step writes."""
    manifest_path = serving_dir / "manifest.json"
    if not manifest_path.exists():
        return None
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return {name: int(table["rows"]) for name, table in (manifest.get("tables") or {}).items()}


@dataclass
class MetricsFrame:
    """The one-row metrics frame of a table and, per metric column, what it means and its bounds."""

    values: dict[str, float] = field(default_factory=dict)
    meaning: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    bounds: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)

    def add(
        self,
        name: str,
        value: float,
        expectation: str,
        column: str | None,
        low: float | None,
        high: float | None,
    ) -> None:
        self.values[name] = value
        self.meaning[name] = (expectation, column)
        self.bounds[name] = (low, high)


def row_count_change(
    suite: ModelSuite,
    row_count: int,
    limit: float | None,
    previous_rows: dict[str, int] | None,
    metrics: MetricsFrame,
    note: Note,
) -> None:
    """The change in % of the row count since the last publish, within +-`limit`."""
    if not suite.row_count_change:
        return
    if limit is None:
        note("row-count change skipped: no threshold")
        return
    if previous_rows is None:
        note("row-count change skipped: no previous publish")
        return
    previous = previous_rows.get(suite.model)
    if previous is None:
        note("row-count change skipped: the table was not in the last publish")
        return
    if previous == 0:
        note("row-count change skipped: the last publish had 0 rows")
        return
    change = (row_count - previous) / previous * 100
    metrics.add(
        "row_count_change_pct",
        round(change, 4),
        "row_count_change_vs_last_publish",
        f"{previous} -> {row_count} rows",
        -limit,
        limit,
    )


def band_shares(con: duckdb.DuckDBPyConnection, relation: str, drift: BandDrift) -> dict[str, float]:
    """Share of entities per band on the latest day of `relation`."""
    band, day, entity = (
        quote_ident(drift.band_column),
        quote_ident(drift.date_column),
        quote_ident(drift.entity_column),
    )
    rows = con.execute(
        f"with latest as (select * from {relation} where {day} = (select max({day}) from {relation})) "
        f"select {band}::varchar, count(distinct {entity}) * 1.0 / "
        f"(select count(distinct {entity}) from latest where {band} is not null) "
        f"from latest where {band} is not null group by 1 order by 1"
    ).fetchall()
    return {str(name): float(share) for name, share in rows}


def band_drift(
    con: duckdb.DuckDBPyConnection,
    suite: ModelSuite,
    columns: list[str],
    limit: float | None,
    serving: Path,
    metrics: MetricsFrame,
    note: Note,
) -> None:
    """Per band, the change of its share on the latest day since the last publish, within +-`limit`."""
    drift = suite.band_drift
    assert drift is not None
    missing = [c for c in (drift.band_column, drift.date_column, drift.entity_column) if c not in columns]
    if missing:
        note(f"band drift skipped: no column {', '.join(missing)}")
        return
    if limit is None:
        note("band drift skipped: no threshold")
        return
    if not serving.exists():
        note("band drift skipped: no previous publish")
        return
    current = band_shares(con, suite.relation, drift)
    if not current:
        note("band drift skipped: no account has a band on the latest day")
        return
    try:
        con.execute(f"attach {quote_literal(serving)} as published (read_only)")
    except duckdb.Error as error:
        note(f"band drift skipped: cannot open the serving database ({error})")
        return
    try:
        if not table_exists(con, "main", suite.model, catalog="published"):
            note("band drift skipped: the table was not in the last publish")
            return
        previous = band_shares(con, f"published.main.{quote_ident(suite.model)}", drift)
    finally:
        con.execute("detach published")
    if not previous:
        note("band drift skipped: no account had a band in the last publish")
        return
    for band in sorted(set(current) | set(previous)):
        change = current.get(band, 0.0) - previous.get(band, 0.0)
        metrics.add(
            f"band_share_change__{band}",
            round(change, 6),
            "band_share_drift_vs_last_publish",
            f"{drift.band_column}={band} ({previous.get(band, 0.0):.3f} -> {current.get(band, 0.0):.3f})",
            -limit,
            limit,
        )
