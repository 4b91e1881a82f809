"""The bench's daily run: the events after the as-of date are held back from the first landing, exactly."""

from __future__ import annotations

from pathlib import Path

import duckdb
from bench.run import AS_OF, Bench


def _write_events(path: Path, days: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    values = ", ".join(f"('E{i}', timestamp '{day} 12:00:00')" for i, day in enumerate(days))
    duckdb.sql(
        f"copy (select * from (values {values}) as t(event_id, occurred_at)) to '{path}' (format parquet)"
    )


def _events(folder: Path) -> list[tuple[str, str]]:
    rows = duckdb.sql(f"select event_id, occurred_at::date::varchar from read_parquet('{folder}/*.parquet')")
    return sorted(rows.fetchall())


def test_the_new_day_moves_out_of_the_raw_folder_and_nothing_else(tmp_path: Path) -> None:
    assert AS_OF.isoformat() == "2026-10-31"
    bench = Bench("tiny", tmp_path, runs=1, short_seconds=0)
    events = bench.paths.raw_dir / "usage_events"
    _write_events(events / "usage_events_2026_10.parquet", ["2026-10-01", "2026-10-31"])
    _write_events(events / "usage_events_2026_11.parquet", ["2026-11-01", "2026-11-01"])
    # a file mixing both sides of the as-of date keeps its earlier rows
    _write_events(events / "late.parquet", ["2026-10-30", "2026-11-01"])

    new_day = bench.hold_back_new_day()

    assert new_day.rows == 3
    assert sorted(path.name for path in events.iterdir()) == ["late.parquet", "usage_events_2026_10.parquet"]
    assert _events(events) == [("E0", "2026-10-01"), ("E0", "2026-10-30"), ("E1", "2026-10-31")]
    held = new_day.folder / "usage_events"
    assert sorted(path.name for path in held.iterdir()) == ["late.parquet", "usage_events_2026_11.parquet"]
    assert _events(held) == [("E0", "2026-11-01"), ("E1", "2026-11-01"), ("E1", "2026-11-01")]
