"""Landing benchmarks (issue 9): cost per file and cost per row, with the raw Great Expectations gate on.

- many small files: `--files` one-row CSV files of `accounts` (default 2,000), landed in one run; the target
  is under 60 s on 2 cores (validation scales with rows, not files).
- one big file: a `--rows`-row CSV of `usage_events` (default 1,000,000) landed, against a plain DuckDB
  `create table as select * from read_csv(...)` of the same file into a persistent table of a new database
  (timed from the connect to the close, as landing is); the target is a ratio of the medians under 2.
  Landing and the plain read alternate run by run; the median of the per-run ratios is reported too
  (steadier when the machine's load drifts).

Each measurement is the median of `--runs` runs (default 3), each into a fresh warehouse and quality folder.
Usage: python -m bench.landing [--files 2000] [--rows 1000000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

from account_health.land import land

ACCOUNTS_HEADER = (
    "account_id,account_name,parent_account_id,segment,industry,region,employee_count,customer_since,"
    "csm_owner,is_test\n"
)


def write_small_files(raw_dir: Path, count: int) -> None:
    folder = raw_dir / "accounts"
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(count):
        row = f"A{index:05d},Company {index},,smb,software,emea,{index % 500},2024-01-15,csm_1,false\n"
        (folder / f"account_{index:05d}.csv").write_text(ACCOUNTS_HEADER + row, encoding="utf-8")


def write_big_file(raw_dir: Path, rows: int) -> Path:
    """A usage_events CSV in the generator's shape (ids, a feature, an event name, a timestamp)."""
    path = raw_dir / "usage_events" / "events.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute(
            f"""
            copy (
                select
                    'E' || range as event_id,
                    'U' || (range % 5000) as user_id,
                    'A' || (range % 300) as account_id,
                    'p_core' as product_id,
                    'feature_' || (range % 40) as feature,
                    'click' as event_name,
                    timestamp '2025-01-01' + to_seconds(range % 25000000) as occurred_at,
                    'S' || (range // 20) as session_id
                from range({int(rows)})
            ) to '{path}' (format csv, header true)
            """
        )
    return path


def _land_once(raw_dir: Path, target: Path) -> tuple[float, Any]:
    started = time.perf_counter()
    report = land(raw_dir, target / "warehouse.duckdb", quality_dir=target / "quality")
    seconds = time.perf_counter() - started
    assert report.ok, [result.message for result in report.rejected]
    shutil.rmtree(target, ignore_errors=True)
    return seconds, report


def _median_land(raw_dir: Path, work: Path, runs: int) -> tuple[float, Any]:
    seconds, report = [], None
    for run in range(runs):
        elapsed, report = _land_once(raw_dir, work / f"run{run}")
        seconds.append(elapsed)
    return statistics.median(seconds), report


def _plain_read_once(path: Path, database: Path) -> float:
    """The floor: a plain typed, sniffed read into a persistent table of a new database, from the connect
    to the close (its checkpoint), as landing is timed: both leave the rows on disk."""
    started = time.perf_counter()
    with duckdb.connect(str(database)) as con:
        con.execute("create table events as select * from read_csv(?)", [str(path)])
    seconds = time.perf_counter() - started
    database.unlink()
    return seconds


def _paired_big_file(
    raw_dir: Path, path: Path, work: Path, runs: int
) -> tuple[list[float], list[float], Any]:
    """Landing and the plain read of the same file, alternated run by run, so that a shared machine's load
    drifting during the benchmark weighs on both alike."""
    land_seconds, plain_seconds, report = [], [], None
    for run in range(runs):
        elapsed, report = _land_once(raw_dir, work / f"run{run}")
        land_seconds.append(elapsed)
        plain_seconds.append(_plain_read_once(path, work / f"plain{run}.duckdb"))
    return land_seconds, plain_seconds, report


def bench_landing(work: Path, *, files: int = 2000, rows: int = 1_000_000, runs: int = 3) -> dict[str, Any]:
    small_dir = work / "small" / "raw"
    write_small_files(small_dir, files)
    small_seconds, small_report = _median_land(small_dir, work / "small", runs)
    big_dir = work / "big" / "raw"
    big_file = write_big_file(big_dir, rows)
    land_runs, plain_runs, big_report = _paired_big_file(big_dir, big_file, work / "big", runs)
    big_seconds, plain_seconds = statistics.median(land_runs), statistics.median(plain_runs)
    return {
        "runs": runs,
        "small_files": {
            "files": files,
            "rows_loaded": small_report.rows_loaded,
            "gx_runs": small_report.gx_runs,
            "median_seconds": round(small_seconds, 2),
            "target_seconds": 60,
        },
        "big_file": {
            "rows": rows,
            "bytes": big_file.stat().st_size,
            "rows_loaded": big_report.rows_loaded,
            "median_land_seconds": round(big_seconds, 2),
            "median_plain_read_seconds": round(plain_seconds, 2),
            "ratio": round(big_seconds / plain_seconds, 2),
            "median_ratio_of_pairs": round(
                statistics.median(land / plain for land, plain in zip(land_runs, plain_runs, strict=True)), 2
            ),
            "land_seconds": [round(seconds, 2) for seconds in land_runs],
            "plain_read_seconds": [round(seconds, 2) for seconds in plain_runs],
            "target_ratio": 2,
        },
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="account-health-bench-landing-"))
    try:
        print(json.dumps(bench_landing(work, files=args.files, rows=args.rows, runs=args.runs), indent=2))
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
