"""What the staging and mart gate found, and the run summary it writes beside the GX results."""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from account_health.quality.gx_runner import SuiteOutcome


@dataclass(frozen=True)
class QualityFailure:
    """One failed expectation on one table, or a table/config that could not be checked at all."""

    layer: str
    table: str
    expectation: str
    column: str | None
    detail: str

    def __str__(self) -> str:
        where = f" on {self.column}" if self.column else ""
        return f"{self.layer}.{self.table}: {self.expectation}{where}: {self.detail}"


@dataclass
class ValidationCounts:
    tables_validated: int = 0
    tables_skipped: int = 0
    tables_sampled: int = 0
    suites: int = 0
    expectations: int = 0
    expectations_failed: int = 0


@dataclass
class ValidationReport:
    """What the gate found. `ok` is False when any expectation failed or a required table is missing."""

    run_id: str
    failures: list[QualityFailure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: ValidationCounts = field(default_factory=ValidationCounts)
    outcomes: list[SuiteOutcome] = field(default_factory=list)
    result_paths: list[Path] = field(default_factory=list)
    summary_path: Path | None = None
    docs_path: Path | None = None
    elapsed: float = 0.0
    seconds_by_table: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        counts = self.counts
        head = (
            f"{counts.tables_validated} tables, {counts.expectations} expectations, "
            f"{counts.expectations_failed} failed, {counts.tables_skipped} skipped"
        )
        if self.ok:
            return f"quality gate passed: {head}"
        return f"quality gate failed: {head}: " + "; ".join(str(failure) for failure in self.failures)


def write_summary(quality_dir: Path, report: ValidationReport) -> Path:
    """`<quality_dir>/validation/<run id>.json` and `latest.json`: counts, failures, notes, result files."""
    folder = quality_dir / "validation"
    folder.mkdir(parents=True, exist_ok=True)
    payload = {
        "run_id": report.run_id,
        "ok": report.ok,
        "elapsed_seconds": round(report.elapsed, 3),
        "counts": asdict(report.counts),
        "failures": [asdict(failure) for failure in report.failures],
        "notes": report.notes,
        "results": [str(path) for path in report.result_paths],
        "seconds_by_table": {name: round(value, 3) for name, value in report.seconds_by_table.items()},
    }
    text = json.dumps(payload, indent=2, default=_json_default)
    path = folder / f"{report.run_id}.json"
    path.write_text(text, encoding="utf-8")
    (folder / "latest.json").write_text(text, encoding="utf-8")
    return path


def _json_default(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return str(value)
