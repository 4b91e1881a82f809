"""One run for an as-of date: (generate) -> land -> dbt build -> validate -> publish -> report.

Each gate stops the run with a PipelineError naming the step and what failed, judged and worded by
account_health.steps (as the CLI's single commands and Dagster do). Publish is the last step and
only runs when every gate before it passed, so a failed run leaves the serving database as it was.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from account_health import build as dbt_build
from account_health import steps
from account_health.as_of import latest_activity_date
from account_health.config import ConfigError, check_config_dir
from account_health.land.mapping import MappingError, load_optional
from account_health.paths import Paths
from account_health.publish import PublishError, PublishResult, publish
from account_health.report import ReportResult, build_report
from account_health.steps import StepOutcome

STEPS = ("generate", "land", "build", "validate", "publish", "report")


@dataclass(frozen=True)
class Progress:
    """A progress event: a step starts or ends, or dbt finishes one node inside the build step."""

    step: str
    # "start", "done", "skip", "node", "total" (nodes in the dbt command starting, in `detail`), "info" (a
    # line worth printing, e.g. the as-of date) or "warning"
    # (a landing warning: an unknown folder, a file outside a table folder)
    phase: str
    detail: str = ""


ProgressCallback = Callable[[Progress], None]


class PipelineError(RuntimeError):
    """A step failed; the serving database was not touched."""

    def __init__(self, step: str, message: str, summary: RunSummary) -> None:
        super().__init__(steps.failure_line(step, message))
        self.step = step
        self.summary = summary

    @classmethod
    def check(cls, outcome: StepOutcome, summary: RunSummary) -> None:
        """Raise for a step that did not pass (account_health.steps judged it)."""
        if not outcome.passed:
            raise cls(outcome.step, outcome.message, summary)


@dataclass
class RunSummary:
    as_of: date | None  # None until landing when the as-of date comes from the landed data
    as_of_rule: str = "given"
    generated: dict[str, int] | None = None
    land: Any = None  # account_health.land.LandReport
    build: dbt_build.BuildResult | None = None
    validation: Any = None  # account_health.quality.ValidationReport, when that module provides one
    validation_available: bool = False
    published: PublishResult | None = None
    report: ReportResult | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def elapsed(self) -> float:
        return sum(self.timings.values())

    @property
    def rows_landed(self) -> int:
        return int(getattr(self.land, "rows_loaded", 0) or 0)

    @property
    def rows_quarantined(self) -> int:
        return int(getattr(self.land, "rows_quarantined", 0) or 0)

    @property
    def serving_path(self) -> str | None:
        return str(self.published.serving_path) if self.published else None


def quality_validator() -> Callable[[Paths], Any]:
    """The Great Expectations gate; imported on use because Great Expectations takes seconds to import."""
    from account_health.quality import validate

    return validate


def run(
    paths: Paths,
    as_of: date | None,
    *,
    generate_scale: str | None = None,
    seed: int = 42,
    progress: ProgressCallback | None = None,
    source_dir: Path | None = None,
    mapping_path: Path | None = None,
    ignore_unknown_folders: bool = False,
) -> RunSummary:
    """Run every step for `as_of`; raise PipelineError at the first failing gate.

    `as_of` None: the latest activity date in the landed data (account_health.as_of); landing then
    quarantines only timestamps after today. `source_dir`: land from there instead of `<data dir>/raw`.
    The source mapping (`mapping_path`, else `<config dir>/sources.yml` if present) and the config
    folder are checked before any step: a MappingError or ConfigError is raised, nothing has changed.
    Landing's warnings are emitted as "warning" events; a rejected file, or a misplaced folder or file
    (unless `ignore_unknown_folders`), stops the run after landing, as `account-health land` does.
    """
    summary = RunSummary(as_of=as_of)
    emit = progress or (lambda event: None)
    mapping = load_optional(mapping_path or paths.sources_mapping_path)
    check_config_dir(paths.config_dir, explicit=False)
    if generate_scale is not None and as_of is None:
        raise ValueError("generating data needs an explicit as-of date")

    def timed(step: str) -> _Timer:
        return _Timer(step, summary, emit)

    raw_present = paths.raw_dir.exists() and any(paths.raw_dir.iterdir())
    if generate_scale is not None and not raw_present:
        from account_health.generate import generate

        with timed("generate"):
            summary.generated = generate(
                paths.raw_dir, paths.ground_truth_dir, scale=generate_scale, seed=seed, as_of=as_of
            )
    else:
        emit(Progress("generate", "skip", "raw files present" if raw_present else "no scale given"))
    source = source_dir or paths.raw_dir
    if not source.exists():
        raise PipelineError("land", f"no raw files at {source}", summary)

    from account_health.land import LandingError, land

    try:
        with timed("land"):
            summary.land = land(
                source,
                paths.warehouse_path,
                quality_dir=paths.quality_dir,
                # nothing can have happened after today: the cut-off when the as-of date is not given
                as_of=as_of or date.today(),
                mapping=mapping,
            )
    except LandingError as error:  # the warehouse is held by another process: one line, no traceback
        raise PipelineError("land", str(error), summary) from None
    for warning in getattr(summary.land, "warnings", None) or []:  # a test's stand-in may have none
        emit(Progress("land", "warning", warning))
    PipelineError.check(steps.landed(summary.land, misplaced_fails=not ignore_unknown_folders), summary)
    if as_of is None:
        as_of = latest_activity_date(paths.warehouse_path)
        if as_of is None:
            raise PipelineError("land", "no activity in the landed data: nothing to score", summary)
        summary.as_of, summary.as_of_rule = as_of, "the latest activity date in the landed data"
        emit(Progress("land", "info", f"as-of {as_of}: {summary.as_of_rule} (--as-of to choose)"))

    with timed("build"):
        summary.build = dbt_build.build(
            paths,
            as_of,
            on_node=lambda kind, name, status: emit(
                Progress("build", "total", status)
                if kind == "total"
                else Progress("build", "node", f"{kind} {name}")
            ),
        )
    PipelineError.check(steps.built(summary.build), summary)

    validate = quality_validator()
    summary.validation_available = True
    with timed("validate"):
        summary.validation = validate(paths)
    PipelineError.check(steps.validated(summary.validation), summary)

    with timed("publish"):
        try:
            summary.published = publish(paths, as_of)
        except PublishError as error:
            raise PipelineError("publish", str(error), summary) from error

    # The report reads the serving database, so it shows exactly what BI sees after this publish.
    with timed("report"):
        summary.report = build_report(paths)
    return summary


class _Timer:
    def __init__(self, step: str, summary: RunSummary, emit: ProgressCallback) -> None:
        self.step = step
        self.summary = summary
        self.emit = emit

    def __enter__(self) -> _Timer:
        self.started = time.perf_counter()
        self.emit(Progress(self.step, "start"))
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: object) -> None:
        self.summary.timings[self.step] = time.perf_counter() - self.started
        passed_on = PipelineError | PublishError | MappingError | ConfigError  # wrong input: exit 2
        if isinstance(exc, Exception) and not isinstance(exc, passed_on):
            # An unexpected error inside a step still names the step; the traceback stays chained.
            raise PipelineError(self.step, f"{type(exc).__name__}: {exc}", self.summary) from exc
        if exc is None:
            self.emit(Progress(self.step, "done"))
