"""Run dbt in-process: `dbt seed`, `dbt build` and `dbt source freshness` against one data folder.

dbt runs through `dbtRunner` rather than a subprocess so results come back as objects (no log parsing) and
so a progress callback can follow each node. The target and log folders live inside the data folder, not
the checkout: two data folders can build in parallel and a read-only checkout still works.
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from account_health import unit_tested
from account_health.parsed_project import parse_options, parsed_manifest, raise_interrupt
from account_health.paths import PROJECT_DIR, Paths

if TYPE_CHECKING:
    from account_health.provided import SourcesProvided

#: Called once per finished dbt node with (resource_type, node name, status).
NodeCallback = Callable[[str, str, str], None]

#: dbt's in-process runner keeps global state (flags, adapters); two invocations at once in one process
#: would trample each other, so they are serialised.
_DBT_LOCK = threading.Lock()

RESOURCE_KINDS = ("model", "test", "seed", "snapshot", "unit_test")
UNIT_TESTS_PASSED_EARLIER = "unit tests not run (passed on this code in an earlier build)"
PASSED = {"success", "pass"}
FAILED = {"fail"}
ERRORED = {"error", "runtime error"}
WARNED = {"warn"}
SKIPPED = {"skipped", "no-op"}


class BuildError(RuntimeError):
    """A dbt step failed; the message names the step and the failing nodes."""

    def __init__(self, message: str, result: BuildResult | None = None) -> None:
        super().__init__(message)
        self.result = result


@dataclass
class NodeCounts:
    passed: int = 0
    failed: int = 0
    warned: int = 0
    errored: int = 0
    skipped: int = 0

    @property
    def total(self) -> int:
        return self.passed + self.failed + self.warned + self.errored + self.skipped

    def add(self, status: str) -> None:
        if status in PASSED:
            self.passed += 1
        elif status in FAILED:
            self.failed += 1
        elif status in WARNED:
            self.warned += 1
        elif status in ERRORED:
            self.errored += 1
        else:
            self.skipped += 1


@dataclass
class StepResult:
    """One dbt command: its counts per resource type and the nodes that did not pass."""

    command: str
    success: bool
    elapsed: float
    counts: dict[str, NodeCounts] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    error: str | None = None
    #: A build as of an earlier date that adds a slice of the history (account_health.history_slices)
    catch_up_as_of: date | None = None


@dataclass
class BuildResult:
    """The outcome of a build: every dbt step run, summed counts per resource type, elapsed seconds."""

    as_of: date
    steps: list[StepResult] = field(default_factory=list)
    elapsed: float = 0.0
    #: Raw tables never landed: their freshness is not checked and their components are missing.
    not_provided: tuple[str, ...] = ()
    #: Provided, but with no rows yet (only empty files landed): counts over them are 0, no freshness.
    provided_empty: tuple[str, ...] = ()
    #: The unit tests were left out: an earlier build of this data folder passed them on today's code.
    unit_tests_passed_earlier: bool = False

    @property
    def success(self) -> bool:
        return bool(self.steps) and all(step.success for step in self.steps)

    @property
    def caught_up_as_of(self) -> list[date]:
        """The as-of dates of the slices built before the build as of `as_of`, in order."""
        return [step.catch_up_as_of for step in self.steps if step.catch_up_as_of is not None]

    def counts(self, kind: str) -> NodeCounts:
        """Counts for one resource type (model, test, seed, snapshot, unit_test, source) over the steps
        of the build as of `as_of` (a catch-up slice builds the same nodes: not counted twice)."""
        total = NodeCounts()
        for step in self.steps:
            if step.catch_up_as_of is not None:
                continue
            step_counts = step.counts.get(kind)
            if step_counts is None:
                continue
            for name in ("passed", "failed", "warned", "errored", "skipped"):
                setattr(total, name, getattr(total, name) + getattr(step_counts, name))
        return total

    @property
    def models(self) -> NodeCounts:
        return self.counts("model")

    @property
    def tests(self) -> NodeCounts:
        return self.counts("test")

    @property
    def unit_tests(self) -> NodeCounts:
        return self.counts("unit_test")

    @property
    def seeds(self) -> NodeCounts:
        return self.counts("seed")

    @property
    def snapshots(self) -> NodeCounts:
        return self.counts("snapshot")

    @property
    def problems(self) -> list[str]:
        return [problem for step in self.steps for problem in step.problems]

    def not_provided_note(self) -> str:
        """One line for the run summary: what was never landed, and what that means (not an error)."""
        note = "every source provided"
        if self.not_provided:
            note = (
                f"{', '.join(self.not_provided)} (freshness not checked; their components are missing, "
                "not scored 0)"
            )
        if self.provided_empty:
            note += f"; provided but empty: {', '.join(self.provided_empty)}"
        return note

    def summary(self) -> str:
        parts = []
        for kind in RESOURCE_KINDS:
            counts = self.counts(kind)
            if counts.total:
                parts.append(f"{kind}s {counts.passed}/{counts.total} passed")
            elif kind == "unit_test" and self.unit_tests_passed_earlier:
                parts.append(UNIT_TESTS_PASSED_EARLIER)
        if self.caught_up_as_of:
            dates = ", ".join(day.isoformat() for day in self.caught_up_as_of)
            parts.append(
                f"history built in {len(self.caught_up_as_of) + 1} slices (as of {dates}, then {self.as_of})"
            )
        return ", ".join(parts) or "nothing built"


def dbt_dirs(paths: Paths) -> tuple[Path, Path]:
    """Target and log folders of dbt for this data folder."""
    base = paths.data_dir / "dbt"
    return base / "target", base / "logs"


@contextlib.contextmanager
def dbt_environment(values: dict[str, str]) -> Iterator[None]:
    """Set environment variables for the duration of an in-process dbt call, then restore them.

    Dagster's dbt resource runs dbt in a subprocess that inherits them, so it uses this too."""
    saved = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


#: The environment variable that carries the run's as-of date to dbt (macros/as_of_date.sql: why not a var).
AS_OF_ENV = "ACCOUNT_HEALTH_AS_OF"


def as_of_env(as_of: date | None) -> dict[str, str]:
    """The environment of a dbt call for `as_of` (none: the project's default date)."""
    return {AS_OF_ENV: as_of.isoformat()} if as_of is not None else {}


def dbt_args(paths: Paths, command: Sequence[str]) -> list[str]:
    """The full argument list of one dbt invocation for this data folder."""
    target_dir, log_dir = dbt_dirs(paths)
    args = [
        *command,
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target_dir),
        "--log-path",
        str(log_dir),
    ]
    return args


def invoke(
    paths: Paths,
    command: Sequence[str],
    *,
    as_of: date | None = None,
    on_node: NodeCallback | None = None,
    quiet: bool = True,
) -> StepResult:
    """Run one dbt command in-process and count its node results per resource type."""
    from dbt.cli.main import dbtRunner

    paths.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    callbacks = [_node_callback(on_node)] if on_node else []
    args = dbt_args(paths, command)
    if quiet:
        args = ["--quiet", "--no-use-colors", *args]
    env = {**paths.dbt_env(), **as_of_env(as_of), "GX_ANALYTICS_ENABLED": "false"}
    started = time.perf_counter()
    with _DBT_LOCK, dbt_environment(env):
        try:
            manifest = parsed_manifest(PROJECT_DIR, dbt_args(paths, parse_options(command)), env)
            outcome = dbtRunner(manifest=manifest, callbacks=callbacks).invoke(args)
        finally:
            _release_warehouse()
    step = StepResult(
        command=" ".join(command),
        success=bool(outcome.success),
        elapsed=time.perf_counter() - started,
    )
    if outcome.exception is not None:
        step.error = f"{type(outcome.exception).__name__}: {outcome.exception}"
        step.problems.append(f"dbt {step.command}: {step.error}")
    for node_result in _node_results(outcome.result):
        kind, name, status, message = node_result
        step.counts.setdefault(kind, NodeCounts()).add(status)
        if status not in PASSED | SKIPPED:
            step.problems.append(f"{kind} {name}: {status}" + (f" ({message})" if message else ""))
    return step


def _release_warehouse() -> None:
    """Close the DuckDB connection dbt-duckdb keeps cached in the process after a command.

    dbt-duckdb holds the warehouse open read-write between invocations; publish (same process) then cannot
    attach it read-only ("Unique file handle conflict") and other processes cannot open it at all.
    """
    from dbt.adapters.duckdb.connections import DuckDBConnectionManager

    environment = DuckDBConnectionManager._ENV
    if environment is not None and getattr(environment, "conn", None) is not None:
        environment.close()
    DuckDBConnectionManager._ENV = None


def _node_results(result: Any) -> Iterator[tuple[str, str, str, str]]:
    for node_result in getattr(result, "results", None) or []:
        node = getattr(node_result, "node", None)
        kind = str(getattr(node, "resource_type", "unknown"))
        if kind == "source":
            name = f"{node.source_name}.{node.name}"
        else:
            name = getattr(node, "name", None) or getattr(node_result, "unique_id", "?")
        status = str(node_result.status)
        yield kind, name, status, _short(getattr(node_result, "message", None) or "")


def _short(message: str, limit: int = 600) -> str:
    """dbt messages can be whole tracebacks: keep the first line and the last ones, where the cause is."""
    lines = [line.strip() for line in message.strip().splitlines() if line.strip()]
    text = " | ".join(lines)
    if len(text) <= limit:
        return text
    return f"{lines[0]} | ... | {' | '.join(lines[-3:])}"[: limit * 2]


def _node_callback(on_node: NodeCallback) -> Callable[[Any], None]:
    """Each finished node as (kind, name, status); at the start of a dbt command, ("total", "", count)."""

    def callback(event: Any) -> None:
        if event.info.name == "ConcurrencyLine":
            on_node("total", "", str(event.data.node_count))
            return
        if event.info.name != "NodeFinished":
            return
        node_info = event.data.node_info
        kind = node_info.resource_type
        on_node(kind, node_info.node_name, node_info.node_status)

    return callback


#: Why a build stops before `dbt build` (dbt's own output names the stale tables).
FRESHNESS_FAILED = "dbt source freshness failed: raw data is older than allowed"


@dataclass(frozen=True)
class BuildPlan:
    """The dbt commands of one build, in the order they run; a failed command stops the ones after it.

    Source freshness comes first, and only for the tables the company provided that hold rows
    (`account_health.provided`): a table never landed is "not provided", not stale. The warn and error
    thresholds live in the sources YAML, and an error stops the run before anything is built on stale
    data. `dbt build` includes the seeds, so there is no separate `dbt seed`. Before any of it, the seeds
    are checked (`account_health.seedcheck`, a second): a seed mistake stops the build named by file,
    line and column. A history too long for one build is built in slices first (`catch_up`: one `dbt
    build` per earlier as-of date, seeds, models and data tests; `account_health.history_slices`), after
    freshness and before the build as of the run's date. `build()` below and Dagster's dbt asset both run
    this plan, each with its own dbt runner.
    """

    sources: SourcesProvided
    freshness: tuple[str, ...] | None
    build: tuple[str, ...]
    #: The as-of dates of the slices built before `build`, oldest first; empty: the build does it all
    catch_up: tuple[date, ...] = ()
    #: The nodes `build` selects (none: all)
    select: tuple[str, ...] = ()
    #: False when this data folder's builds already passed the unit tests on today's code
    #: (account_health.unit_tested): `dbt build` then leaves them out
    unit_tests: bool = True
    #: `account-health check` on the seeds the build would read: any problem stops it before dbt starts
    seed_problems: tuple[str, ...] = ()

    def passed(self, paths: Paths) -> None:
        """Call after the plan's `dbt build` succeeded: a whole build that ran the unit tests records it."""
        if self.unit_tests and "--select" not in self.build:
            unit_tested.record_passed(paths)

    @property
    def catch_up_build(self) -> tuple[str, ...]:
        """A slice's `dbt build`: the build's nodes without the unit tests (the build as of the run's date
        runs them once) and the snapshot (it records the bands of each build, and a slice is not one)."""
        excluded = ("--exclude-resource-type", "unit_test", "--exclude-resource-type", "snapshot")
        return ("build", *_selection(self.select), *excluded)

    @property
    def blocked(self) -> tuple[str, list[str]] | None:
        """Why the build must not start (a one-line error and the problems it names), or None."""
        if self.seed_problems:
            return f"{len(self.seed_problems)} problems in the seeds (account-health check)", list(
                self.seed_problems
            )
        if self.sources.interrupted:
            return (
                "a landing stopped before its commit left rows in raw: run `account-health land` again, "
                "which removes them first",
                list(self.sources.interrupted),
            )
        return None


def _selection(select: Sequence[str]) -> tuple[str, ...]:
    """The `dbt build` options of a partial build: it runs the tests whose every parent it builds (a test
    over other models too would read tables it did not build). None for a whole build."""
    return ("--select", *select, "--indirect-selection", "cautious") if select else ()


def build_plan(
    paths: Paths, *, select: Sequence[str] = (), freshness: bool = True, as_of: date | None = None
) -> BuildPlan:
    """What `build` runs for this data folder now: freshness depends on what was landed; the slices of
    history (when `as_of` is given) on what was built."""
    from account_health.history_slices import catch_up_dates
    from account_health.provided import sources_provided
    from account_health.seedcheck import check

    sources = sources_provided(paths.warehouse_path)
    selectors = sources.freshness_selectors()
    unit_tests = not unit_tested.passed_on_current_code(paths)
    return BuildPlan(
        seed_problems=tuple(str(problem) for problem in check(paths.config_dir).problems),
        sources=sources,
        # one --select value: dagster-dbt moves extra positional selectors away from it; dbt splits it
        freshness=("source", "freshness", "--select", " ".join(selectors))
        if freshness and selectors
        else None,
        build=(
            "build",
            *_selection(select),
            *([] if unit_tests else ["--exclude-resource-type", "unit_test"]),
        ),
        unit_tests=unit_tests,
        catch_up=catch_up_dates(paths.warehouse_path, as_of) if as_of is not None else (),
        select=tuple(select),
    )


def build(
    paths: Paths,
    as_of: date,
    *,
    select: Sequence[str] = (),
    freshness: bool = True,
    on_node: NodeCallback | None = None,
) -> BuildResult:
    """Run the `BuildPlan`: source freshness of the provided tables, then `dbt build` (seeds, models,
    snapshots, data tests, and the unit tests unless they already passed on this code). Tables never
    landed are listed in `not_provided`. Raises nothing: the caller reads `success`.
    """
    started = time.perf_counter()
    plan = build_plan(paths, select=select, freshness=freshness, as_of=as_of)
    result = BuildResult(
        as_of=as_of,
        not_provided=plan.sources.not_provided,
        provided_empty=plan.sources.empty,
        unit_tests_passed_earlier=not plan.unit_tests,
    )
    if plan.blocked:
        error, problems = plan.blocked
        result.elapsed = time.perf_counter() - started
        result.steps.append(StepResult("check", False, result.elapsed, problems=problems, error=error))
        return result
    runs = [
        *([(plan.freshness, None)] if plan.freshness else []),
        *((plan.catch_up_build, day) for day in plan.catch_up),
        (plan.build, None),
    ]
    for command, catch_up_as_of in runs:
        result.steps.append(invoke(paths, command, as_of=catch_up_as_of or as_of, on_node=on_node))
        result.steps[-1].catch_up_as_of = catch_up_as_of
        if not result.steps[-1].success:
            break
    else:
        plan.passed(paths)
    result.elapsed = time.perf_counter() - started
    return result


def parse(paths: Paths, target_dir: Path | None = None) -> Path:
    """Parse the project (no database needed) and return the path of the manifest it wrote.

    Parsing never touches the warehouse: the profile's path points at a file in the target folder that
    dbt does not open, so it cannot depend on who holds the warehouse. An interrupt during the parse
    (SIGINT, or SIGTERM once Dagster's in-process executor has mapped it to KeyboardInterrupt) is raised
    as such: dbtRunner catches every BaseException and used to report it as "dbt parse failed:" with
    the interrupt's empty message.
    """
    from dbt.cli.main import dbtRunner

    default_target, default_logs = dbt_dirs(paths)
    target = target_dir or default_target
    log_dir = target / "logs" if target_dir else default_logs
    args = [
        "--quiet",
        "parse",
        "--project-dir",
        str(PROJECT_DIR),
        "--profiles-dir",
        str(PROJECT_DIR),
        "--target-path",
        str(target),
        "--log-path",
        str(log_dir),
    ]
    env = {**paths.dbt_env(), "ACCOUNT_HEALTH_WAREHOUSE": str(target / "parse-only.duckdb")}
    with _DBT_LOCK, dbt_environment(env):
        try:
            outcome = dbtRunner().invoke(args)
        finally:
            _release_warehouse()
    raise_interrupt(outcome)
    error = outcome.exception
    if not outcome.success:
        detail = f"{type(error).__name__}: {error}" if error is not None else "no exception reported"
        raise BuildError(f"dbt parse failed: {detail} (dbt log: {log_dir / 'dbt.log'})")
    return target / "manifest.json"
