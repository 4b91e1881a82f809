"""Machine-readable summaries of `run --json` and `validate --json`: plain JSON a scheduler or a script reads.

The shape is stable: `ok`, and for a failed run the step that failed and its one-line message; counts per
step; the published tables and their row counts. Only what the steps already report, nothing recomputed.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from account_health import pipeline


def validation_summary(report: Any) -> dict[str, Any]:
    """`validate --json`: ok, the expectation counts, each failure as one line, where Data Docs are."""
    return {
        "ok": bool(report.ok),
        "counts": dataclasses.asdict(report.counts),
        "failures": [str(failure) for failure in report.failures],
        "notes": list(report.notes),
        "data_docs": str(report.docs_path) if report.docs_path else None,
        "seconds": round(report.elapsed, 3),
    }


def _build(build: Any) -> dict[str, Any]:
    return {
        "ok": build.success,
        "summary": build.summary(),
        "not_provided": list(build.not_provided),
        "provided_empty": list(build.provided_empty),
        "counts": {
            kind: dataclasses.asdict(build.counts(kind))
            for kind in ("model", "test", "unit_test", "seed", "snapshot", "source")
            if build.counts(kind).total
        },
        "unit_tests_passed_earlier": build.unit_tests_passed_earlier,
        "problems": build.problems,
    }


def _land(land: Any) -> dict[str, Any]:
    return {
        "ok": bool(land.ok),
        "files": len(land.files),
        "rejected": [
            {"file": str(result.path), "table": result.table, "message": result.message}
            for result in land.files
            if result.status == "rejected"
        ],
        "warnings": list(land.warnings),
        "failure": land.failure,
    }


def run_summary(summary: pipeline.RunSummary, error: pipeline.PipelineError | None = None) -> dict[str, Any]:
    """`run --json` / `demo --json`: what each step did; on a failure, which step and why."""
    return {
        "ok": error is None,
        "failed_step": error.step if error else None,
        "message": str(error) if error else None,
        "serving_changed": error is None and summary.published is not None,
        "as_of": summary.as_of.isoformat() if summary.as_of else None,
        "as_of_rule": summary.as_of_rule,
        "rows": {
            "generated": sum(summary.generated.values()) if summary.generated else None,
            "landed": summary.rows_landed,
            "quarantined": summary.rows_quarantined,
        },
        "land": _land(summary.land) if summary.land is not None else None,
        "build": _build(summary.build) if summary.build is not None else None,
        "validation": validation_summary(summary.validation) if summary.validation is not None else None,
        "published": {
            "serving_database": str(summary.published.serving_path),
            "parquet": str(summary.published.parquet_dir),
            "tables": summary.published.row_counts,
        }
        if summary.published is not None
        else None,
        "report": str(summary.report.path) if summary.report is not None else None,
        "seconds": {step: round(seconds, 3) for step, seconds in summary.timings.items()},
    }
