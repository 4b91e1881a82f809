"""Time generate, land and build per scale against baselines measured in the same run, on the same files.

Absolute seconds depend on the machine; the ratios do not much, so they are what to watch:
- generate vs writing the same number of event rows as Parquet straight from DuckDB (`range()`),
- land vs a plain DuckDB `create table as select * from read_*()` of the same raw files (no contract,
  no quarantine, no lineage),
- build vs one `count(*)` scan of the landed usage events (a lower bound for touching the big table).
On the demo scale, `bench/calibration.py` then checks issue 10's calibration targets on the held-out months.
Then the landing benchmarks of `bench/landing.py` (issue 9): 2,000 one-row files, and a 1M-row file against
a plain DuckDB read of it, each the median of three runs with the raw Great Expectations gate on.

Writes bench/results.json. Usage: python -m bench.run [--scales tiny demo] [--keep] [--no-landing]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path
from typing import Any

import duckdb

from account_health.build import build
from account_health.paths import Paths

AS_OF = date(2026, 10, 31)
READERS = {".csv": "read_csv", ".json": "read_json", ".parquet": "read_parquet"}
RESULTS = Path(__file__).resolve().parent / "results.json"


def _timed(function, *args, **kwargs) -> tuple[Any, float]:
    started = time.perf_counter()
    value = function(*args, **kwargs)
    return value, time.perf_counter() - started


def baseline_generate(folder: Path, rows: int) -> float:
    """Write `rows` synthetic event rows to Parquet with DuckDB alone."""
    folder.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(
        "copy (select range as event_id, range % 1000 as user_id, 'feature_' || (range % 40) as feature, "
        "timestamp '2025-01-01' + to_seconds(range % 60000000) as occurred_at from range(?)) "
        f"to '{folder / 'events.parquet'}' (format parquet)",
        [rows],
    )
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def baseline_land(raw_dir: Path, database: Path) -> float:
    """Load every raw file with a plain DuckDB read, no contract checks."""
    con = duckdb.connect(str(database))
    started = time.perf_counter()
    for table_dir in sorted(path for path in raw_dir.iterdir() if path.is_dir()):
        files = sorted(path for path in table_dir.iterdir() if path.suffix in READERS)
        if not files:
            continue
        reader = READERS[files[0].suffix]
        file_list = ", ".join(f"'{path}'" for path in files if path.suffix == files[0].suffix)
        con.execute(f'create table "{table_dir.name}" as select * from {reader}([{file_list}])')
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def baseline_build(warehouse: Path) -> float:
    con = duckdb.connect(str(warehouse), read_only=True)
    started = time.perf_counter()
    con.execute("select count(*) from raw.usage_events").fetchone()
    elapsed = time.perf_counter() - started
    con.close()
    return elapsed


def bench_scale(scale: str, work: Path) -> dict[str, Any]:
    from account_health.generate import generate
    from account_health.land import land

    paths = Paths(work / scale / "data")
    rows, generate_seconds = _timed(
        generate, paths.raw_dir, paths.ground_truth_dir, scale=scale, seed=42, as_of=AS_OF
    )
    report, land_seconds = _timed(land, paths.raw_dir, paths.warehouse_path, quality_dir=paths.quality_dir)
    result, build_seconds = _timed(build, paths, AS_OF)
    baselines = {
        "generate": baseline_generate(work / scale / "baseline_generate", rows.get("usage_events", 0)),
        "land": baseline_land(paths.raw_dir, work / scale / "baseline.duckdb"),
        "build": baseline_build(paths.warehouse_path),
    }
    seconds = {"generate": generate_seconds, "land": land_seconds, "build": build_seconds}
    calibration = {}
    if scale == "demo" and result.success:
        from bench.calibration import bench_calibration

        calibration = {"calibration": bench_calibration(paths)}
    return {
        "rows_generated": rows,
        "rows_landed": report.rows_loaded,
        "rows_quarantined": report.rows_quarantined,
        "build_success": result.success,
        "build_summary": result.summary(),
        "seconds": {step: round(value, 3) for step, value in seconds.items()},
        "baseline_seconds": {step: round(value, 4) for step, value in baselines.items()},
        "ratio_to_baseline": {
            step: round(seconds[step] / baselines[step], 1) if baselines[step] > 0 else None
            for step in seconds
        },
        **calibration,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", nargs="+", default=["tiny", "demo"])
    parser.add_argument("--keep", action="store_true", help="keep the generated data folders")
    parser.add_argument("--no-landing", action="store_true", help="skip the landing benchmarks")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="account-health-bench-"))
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "duckdb": duckdb.__version__,
        "scales": {},
    }
    try:
        for scale in args.scales:
            results["scales"][scale] = bench_scale(scale, work)
            print(scale, json.dumps(results["scales"][scale]["seconds"]))
        if not args.no_landing:
            from bench.landing import bench_landing

            results["landing"] = bench_landing(work / "landing")
            print("landing", json.dumps(results["landing"]))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {RESULTS}")


if __name__ == "__main__":
    main()
