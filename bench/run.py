"""Time every pipeline step per tier against a floor measured in the same run, with peak RSS per step.

Each step runs as its own `account-health` subprocess (bench/steps.py: wall seconds, peak RSS); each floor
is plain DuckDB on the same rows (bench/floors.py). Per tier:
- generate vs a DuckDB write of the same rows (row counts per file, contract types, same formats),
- land vs a plain DuckDB read of the same files into persistent tables (connect to close),
- full build (as of D) vs one group-by scan of the landed events by account x day + a copy of the marts
  into a new database,
- daily run: the data is generated as of D + 1 and the events of D + 1 held back from the first landing
  (`Bench.hold_back_new_day`); after the full build as of D, the new day's events land (`daily_land`) and
  `account-health build --as-of D+1` runs (`daily_build`, as a share of the full build),
- validate, publish and report: seconds and peak RSS,
- the full and daily builds' node seconds by type and slowest nodes (dbt's run_results.json),
- the CLI's start (`account-health --help`), which every step pays and no floor does,
- rows per step and microseconds per event, so growth from tier to tier is visible.
A step or floor whose first run takes under `--short-seconds` runs `--runs` times (step and floor
alternating) and its median is reported; builds run once (a second full build would not start from the
same state). On `demo`, `bench/calibration.py` checks issue 10's calibration targets after the full build.
Then the landing benchmarks of `bench/landing.py` (issue 9).

Writes bench/results.json and bench/results.md (also printed).
Usage: python -m bench.run [--tiers medium] [--runs 3] [--short-seconds 30] [--work DIR] [--keep]
       [--no-landing] [--history]
The default tier is `medium` (as `make bench`); `--tiers tiny demo` for the small ones, `--tiers large` for
100M events (`--scales` = `--tiers`); `--history` also runs each tier with half its months of history
(generate, land, full build, daily run) and reports how the daily run grows when the history doubles
(target 1.2x).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import duckdb

from account_health.contract import GENERATED_TABLES
from account_health.generate.params import SCALES
from account_health.paths import Paths
from account_health.sql import quote_ident, quote_literal, schema_tables
from bench import floors
from bench.nodes import node_times
from bench.steps import StepRun, run_cli
from bench.table import markdown

AS_OF = date(2026, 10, 31)
NEXT_DAY = AS_OF + timedelta(days=1)  # the daily run's day (its events held back from the first landing)
HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results.json"
RESULTS_MD = HERE / "results.md"


@dataclass(frozen=True)
class NewDay:
    """The events of the day after the as-of date, held back from the first landing."""

    folder: Path
    rows: int


class Bench:
    """One tier's measurements: where its data lives and how many runs a short step gets."""

    def __init__(self, tier: str, work: Path, runs: int, short_seconds: float) -> None:
        self.tier = tier
        self.work = work / tier
        self.paths = Paths(self.work / "data")
        self.runs = runs
        self.short_seconds = short_seconds
        self.spill = self.work / "floor.tmp"
        self.steps: dict[str, dict[str, Any]] = {}  # measured so far, saved after each step

    def record(self, step: str, measured: dict[str, Any]) -> None:
        """Keep one step's figures and write every figure so far to `<tier>/progress.json`: a step that
        fails hours into `large` leaves the earlier ones readable."""
        self.steps[step] = measured
        (self.work / "progress.json").write_text(json.dumps(self.steps, indent=2) + "\n")

    def cli(self, name: str, *args: str) -> StepRun:
        return run_cli(["--data-dir", str(self.paths.data_dir), *args], self.work / "logs" / f"{name}.log")

    def paired(
        self, step: Callable[[int], StepRun], floor: Callable[[], float] | None = None
    ) -> tuple[list[StepRun], list[float]]:
        """Step and floor alternating run by run (a drifting load weighs on both alike); each repeated up
        to `runs` times while its first run was short."""
        steps: list[StepRun] = []
        floor_seconds: list[float] = []
        for run in range(self.runs):
            if run == 0 or steps[0].seconds < self.short_seconds:
                steps.append(step(run))
            if floor is not None and (run == 0 or floor_seconds[0] < self.short_seconds):
                floor_seconds.append(floor())
        return steps, floor_seconds

    def hold_back_new_day(self) -> NewDay:
        """Move the generated events of the day after the as-of date out of the raw folder, into a folder
        landed only before the daily build: the full build then sees the history to D, the daily run one
        new day of events (the other tables land whole: a build as of D reads none of their later rows)."""
        events = self.paths.raw_dir / "usage_events"
        held = self.work / "new_day" / "usage_events"
        held.mkdir(parents=True, exist_ok=True)
        with duckdb.connect() as con:
            rows = sum(_move_later_rows(con, path, held) for path in sorted(events.glob("*.parquet")))
        return NewDay(held.parent, rows)

    def daily(self, new_day: NewDay) -> tuple[StepRun, StepRun]:
        """The daily run after a full build as of D: land the new day's events, build as of D + 1."""
        next_day = NEXT_DAY.isoformat()
        land = self.cli("daily_land", "land", "--from", str(new_day.folder), "--as-of", next_day)
        return land, self.cli("daily_build", "build", "--as-of", next_day)

    def floor_runs(self, floor: Callable[[], float]) -> list[float]:
        """A floor alone (its step ran once), repeated up to `runs` times while its first run was short."""
        seconds = [floor()]
        while len(seconds) < self.runs and seconds[0] < self.short_seconds:
            seconds.append(floor())
        return seconds


def _move_later_rows(con: duckdb.DuckDBPyConnection, path: Path, held: Path) -> int:
    """Move the events after the as-of date of one Parquet file into a file of the same name in `held`."""
    source = f"read_parquet({quote_literal(path)})"
    later = f"cast(occurred_at as date) > {quote_literal(AS_OF.isoformat())}::date"
    count = con.execute(f"select count(*) from {source} where {later}").fetchone()[0]
    if count:
        keep = path.with_suffix(".keep")
        con.execute(f"copy (from {source} where {later}) to {quote_literal(held / path.name)}")
        # a copy returns the rows it wrote
        kept = con.execute(
            f"copy (from {source} where not ({later})) to {quote_literal(keep)} (format parquet)"
        ).fetchone()[0]
        if kept:
            keep.replace(path)
        else:  # the file held only later days
            keep.unlink()
            path.unlink()
    return count


def _measured(runs: list[StepRun], rows: int | None, events: int) -> dict[str, Any]:
    seconds = statistics.median(run.seconds for run in runs)
    return {
        "seconds": round(seconds, 3),
        "runs": [round(run.seconds, 3) for run in runs],
        "peak_rss_bytes": max(run.peak_rss_bytes for run in runs),
        "rows": rows,
        "us_per_event": round(seconds / events * 1e6, 3) if events else None,
    }


def _with_floor(measured: dict[str, Any], what: str, seconds: list[float], **parts: Any) -> dict[str, Any]:
    floor = statistics.median(seconds)
    measured["floor"] = {"what": what, "seconds": round(floor, 3), "runs": [round(s, 3) for s in seconds]}
    measured["floor"].update(parts)
    measured["ratio"] = round(measured["seconds"] / floor, 2) if floor > 0 else None
    return measured


def _landed_rows(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        present = set(schema_tables(con, "raw"))
        return sum(
            con.execute(f"select count(*) from raw.{quote_ident(name)}").fetchone()[0]
            for name in GENERATED_TABLES
            if name in present
        )


def _landed_events(warehouse: Path) -> int:
    """Events in the warehouse (after the daily run's landing: the history and the new day)."""
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute("select count(*) from raw.usage_events").fetchone()[0]


def bench_tier(bench: Bench) -> dict[str, Any]:
    day, next_day = AS_OF.isoformat(), NEXT_DAY.isoformat()
    paths = bench.paths
    if bench.work.exists():
        shutil.rmtree(bench.work)
    bench.work.mkdir(parents=True)
    steps = bench.steps

    start_runs, _ = bench.paired(lambda run: bench.cli(f"cli_start_{run}", "--help"))

    # generate, then its floor: as many synthetic rows per file, same formats (counted once, untimed)
    rows_by_file: dict[Path, int] = {}

    def generate(run: int) -> StepRun:
        measured = bench.cli(f"generate_{run}", "generate", "--scale", bench.tier, "--as-of", next_day)
        if not rows_by_file:
            rows_by_file.update(floors.file_rows(paths.raw_dir))
        return measured

    def generate_floor() -> float:
        out = bench.work / "floor_generate"
        seconds = floors.generate_floor(rows_by_file, out, bench.spill)
        shutil.rmtree(out)
        return seconds

    generate_runs, generate_floors = bench.paired(generate, generate_floor)
    new_day = bench.hold_back_new_day()
    events = sum(rows for path, rows in rows_by_file.items() if path.parent.name == "usage_events")
    generated = sum(rows_by_file.values())
    bench.record("cli_start", _measured(start_runs, None, 0))  # no cost per event: paid once per step
    bench.record(
        "generate",
        _with_floor(
            _measured(generate_runs, generated, events),
            f"DuckDB write of the same {generated:,} rows, same formats",
            generate_floors,
        ),
    )

    # land: the first run into the tier's data folder (built on next), repeats into a scratch folder
    def land(run: int) -> StepRun:
        target = paths.data_dir if run == 0 else bench.work / "land_repeat"
        measured = run_cli(
            ["--data-dir", str(target), "land", "--from", str(paths.raw_dir), "--as-of", next_day],
            bench.work / "logs" / f"land_{run}.log",
        )
        if run:
            shutil.rmtree(target)
        return measured

    land_runs, land_floors = bench.paired(
        land, lambda: floors.land_floor(paths.raw_dir, bench.work / "floor_land.duckdb", bench.spill)
    )
    bench.record(
        "land",
        _with_floor(
            _measured(land_runs, _landed_rows(paths.warehouse_path), events),
            "plain DuckDB read of the same files into tables",
            land_floors,
        ),
    )

    build_run = bench.cli("build", "build", "--as-of", day)
    build_nodes = node_times(paths)
    marts = floors.mart_tables(paths.warehouse_path)
    mart_rows = sum(marts.values())
    group_by = bench.floor_runs(
        lambda: floors.group_by_floor(paths.warehouse_path, bench.work / "floor_group.duckdb", bench.spill)
    )
    mart_write = bench.floor_runs(
        lambda: floors.mart_write_floor(
            paths.warehouse_path, list(marts), bench.work / "floor_marts.duckdb", bench.spill
        )
    )
    group_by_seconds, write_seconds = statistics.median(group_by), statistics.median(mart_write)
    bench.record(
        "build",
        _with_floor(
            _measured([build_run], mart_rows, events),
            f"group-by of the events by account x day {group_by_seconds:.2f} s + copy of the "
            f"{mart_rows:,} mart rows {write_seconds:.2f} s",
            [group_by_seconds + write_seconds],
            group_by_seconds=round(group_by_seconds, 3),
            group_by_runs=[round(s, 3) for s in group_by],
            mart_write_seconds=round(write_seconds, 3),
            mart_write_runs=[round(s, 3) for s in mart_write],
            marts=marts,
        )
        | {"nodes": build_nodes},
    )

    calibration = {}
    if bench.tier == "demo":
        from bench.calibration import bench_calibration

        calibration = {"calibration": bench_calibration(paths)}

    validate_runs, _ = bench.paired(lambda run: bench.cli(f"validate_{run}", "validate"))
    bench.record("validate", _measured(validate_runs, None, events))
    publish_runs, _ = bench.paired(lambda run: bench.cli(f"publish_{run}", "publish", "--as-of", day))
    bench.record("publish", _measured(publish_runs, mart_rows, events))
    report_runs, _ = bench.paired(lambda run: bench.cli(f"report_{run}", "report"))
    bench.record("report", _measured(report_runs, None, events))

    daily_land, daily_run = bench.daily(new_day)
    bench.record("daily_land", _measured([daily_land], new_day.rows, events))
    bench.record(
        "daily_build",
        _with_floor(
            _measured([daily_run], sum(floors.mart_tables(paths.warehouse_path).values()), events),
            "the full build",
            [build_run.seconds],
        )
        | {"nodes": node_times(paths)},
    )
    order = [
        "cli_start",
        "generate",
        "land",
        "build",
        "daily_land",
        "daily_build",
        "validate",
        "publish",
        "report",
    ]
    return {
        "as_of": day,
        "daily_as_of": next_day,
        "new_day_events": new_day.rows,
        "events": events,
        "rows": {"generated": generated, "landed": steps["land"]["rows"], "marts": mart_rows},
        "steps": {step: steps[step] for step in order},
        **calibration,
    }


def bench_history(bench: Bench, months: int) -> dict[str, Any]:
    """The tier with `months` of history: generate, land, full build as of D, then the daily run (the new
    day's events landed, build as of D + 1). Each runs once; no floors, validate or publish."""
    day, next_day = AS_OF.isoformat(), NEXT_DAY.isoformat()
    if bench.work.exists():
        shutil.rmtree(bench.work)
    bench.work.mkdir(parents=True)
    generate_args = ["generate", "--scale", bench.tier, "--as-of", next_day, "--months", str(months)]
    bench.cli("generate", *generate_args)
    new_day = bench.hold_back_new_day()
    bench.cli("land", "land", "--from", str(bench.paths.raw_dir), "--as-of", next_day)
    build = bench.cli("build", "build", "--as-of", day)
    daily_land, daily_build = bench.daily(new_day)
    return {
        "months": months,
        "events": _landed_events(bench.paths.warehouse_path),
        "build_seconds": round(build.seconds, 3),
        "daily_land_seconds": round(daily_land.seconds, 3),
        "daily_build_seconds": round(daily_build.seconds, 3),
        "daily_share": round(daily_build.seconds / build.seconds, 3),
    }


def history_doubling(short: dict[str, Any], tier: dict[str, Any], months: int) -> dict[str, Any]:
    """The daily run with the tier's history against the same with half of it."""
    steps = tier["steps"]
    full = {
        "months": months,
        "events": tier["events"],
        "build_seconds": steps["build"]["seconds"],
        "daily_land_seconds": steps["daily_land"]["seconds"],
        "daily_build_seconds": steps["daily_build"]["seconds"],
        "daily_share": steps["daily_build"]["ratio"],
    }
    return {
        "half": short,
        "full": full,
        "daily_build_ratio": round(full["daily_build_seconds"] / short["daily_build_seconds"], 2),
        "build_ratio": round(full["build_seconds"] / short["build_seconds"], 2),
        "target_daily_build_ratio": 1.2,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tiers", "--scales", nargs="+", default=["medium"], dest="tiers")
    parser.add_argument("--runs", type=int, default=3, help="runs of a short step or floor (median)")
    parser.add_argument("--short-seconds", type=float, default=30.0, help="a first run under this repeats")
    parser.add_argument("--work", type=Path, help="data folder of the bench (default: a new temporary one)")
    parser.add_argument("--keep", action="store_true", help="keep the generated data folders")
    parser.add_argument("--no-landing", action="store_true", help="skip the landing benchmarks")
    parser.add_argument(
        "--history",
        action="store_true",
        help="also run each tier with half its months of history: how the daily run grows with history",
    )
    args = parser.parse_args()
    work = args.work.resolve() if args.work else Path(tempfile.mkdtemp(prefix="account-health-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    results: dict[str, Any] = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "duckdb": duckdb.__version__,
        "runs": args.runs,
        "short_seconds": args.short_seconds,
        "tiers": {},
    }
    for tier in args.tiers:
        bench = Bench(tier, work, args.runs, args.short_seconds)
        results["tiers"][tier] = bench_tier(bench)
        print(tier, json.dumps({s: m["seconds"] for s, m in results["tiers"][tier]["steps"].items()}))
        if not args.keep:
            shutil.rmtree(bench.work)
        if args.history:
            months = SCALES[tier].n_months
            half = Bench(tier, work / f"history_{months // 2}m", args.runs, args.short_seconds)
            short = bench_history(half, months // 2)
            results["tiers"][tier]["history"] = history_doubling(short, results["tiers"][tier], months)
            print(tier, "history", json.dumps(results["tiers"][tier]["history"]))
            if not args.keep:
                shutil.rmtree(half.work.parent)
    if not args.no_landing:
        from bench.landing import bench_landing

        results["landing"] = bench_landing(work / "landing")
    if not args.keep:
        # only what the bench wrote (a failed step leaves its tier's folder and logs/ to read)
        shutil.rmtree(work / "landing", ignore_errors=True)
        if args.work is None:
            shutil.rmtree(work, ignore_errors=True)
    RESULTS.write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    RESULTS_MD.write_text(table)
    print(table)
    print(f"wrote {RESULTS} and {RESULTS_MD}")


if __name__ == "__main__":
    main()
