"""Data-quality gates (Great Expectations) for the raw, staging and mart layers.

`validate(paths)` runs the staging and mart suites (quality/gate.py) and returns a `ValidationReport`; the
pipeline blocks publish when it is not `ok`. This package imports nothing heavy itself, so that
`import account_health.quality` stays cheap: Great Expectations alone takes seconds to import, and is
imported only when a gate actually runs.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from account_health.paths import Paths
    from account_health.quality.gate import QualityFailure, ValidationReport

__all__ = ["QualityFailure", "ValidationReport", "validate"]


def validate(paths: Paths) -> ValidationReport:
    """Run the staging and mart quality suites on `paths.warehouse_path` (read-only); see quality.gate."""
    from account_health.quality.gate import validate as run_gate

    return run_gate(paths)


def __getattr__(name: str) -> Any:
    if name in ("ValidationReport", "QualityFailure"):
        from account_health.quality import gate

        return getattr(gate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
