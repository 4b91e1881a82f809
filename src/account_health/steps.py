"""Whether a step of a run passed, and what to say when it did not: one answer for every caller.

The CLI, the pipeline and Dagster run the same steps (land, build, validate). Each turns the step's report
into a `StepOutcome` here and fails in its own way only at the very end: the CLI prints the problems and
exits 1, the pipeline raises `PipelineError`, Dagster raises `dg.Failure` or fails the asset check. So a
rejected file, a failed dbt node or a failed expectation is judged and worded once.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

#: A failed build lists at most this many dbt nodes in its one-line message (the CLI prints them all).
BUILD_PROBLEMS_SHOWN = 20


@dataclass(frozen=True)
class StepOutcome:
    """One step's verdict: `passed`, and when not, the problems in words a person can act on."""

    step: str
    passed: bool
    problems: tuple[str, ...] = ()
    #: What `message` says when the step failed without naming a problem.
    fallback: str = ""
    #: How many problems `message` lists (None: all of them).
    shown: int | None = None

    @property
    def message(self) -> str:
        return "; ".join(self.problems[: self.shown]) or self.fallback

    @property
    def failure(self) -> str:
        """The one line every caller shows for a failed step: "<step> failed: <message>"."""
        return failure_line(self.step, self.message)


def failure_line(step: str, message: str) -> str:
    return f"{step} failed: {message}"


def misplaced_problem(count: int) -> str:
    return (
        f"{count} misplaced folders or files were not landed (see the warnings); move them into a table "
        "folder, or pass --ignore-unknown-folders"
    )


def landed(report: Any, *, misplaced_fails: bool = False) -> StepOutcome:
    """Landing passed when no file was rejected and the run did not stop (`LandReport.ok`).

    `misplaced_fails`: folders and files outside a table folder fail the step too (`land`, `run` and `demo`,
    unless --ignore-unknown-folders: a typo in a table folder's name would skip a whole table).
    """
    problems: list[str] = []
    if not report.ok:
        problems += [f"rejected {result.message}" for result in report.files if result.status == "rejected"]
        if report.failure:
            problems.append(report.failure)
    misplaced_files = getattr(report, "misplaced", None) or []  # a test's stand-in may have none
    misplaced = misplaced_fails and bool(misplaced_files)
    if misplaced:
        problems.append(misplaced_problem(len(misplaced_files)))
    return StepOutcome(
        "land",
        passed=bool(report.ok) and not misplaced,
        problems=tuple(problems),
        fallback="landing reported a failure",
    )


def built(result: Any) -> StepOutcome:
    """The build passed when source freshness and every dbt node passed (`BuildResult.success`)."""
    return StepOutcome(
        "build",
        passed=bool(result.success),
        problems=tuple(result.problems),
        fallback="dbt failed",
        shown=BUILD_PROBLEMS_SHOWN,
    )


def validated(report: Any) -> StepOutcome:
    """The quality gate passed when no expectation failed (`ValidationReport.ok`, or a test's stand-in)."""
    return StepOutcome(
        "validate",
        passed=bool(report.ok),
        problems=tuple(str(failure) for failure in report.failures),
        fallback=str(report),
    )
