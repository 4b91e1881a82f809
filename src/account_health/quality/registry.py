"""What the staging and mart gates check: one `ModelSuite` per dbt model, declared as data.

A suite names its model and layer and declares its expectations (keys, not-null columns, ranges, value sets,
patterns, row-count change, band drift); `quality.gate` turns each declaration into Great Expectations
expectations at validation time. Keeping the declarations free of GX objects means this module imports in
milliseconds and the registry can be read (by tests, docs, the CLI) without starting GX.

The expected columns are not declared here: they are read from the model's YAML (`_<dir>__models.yml`), so the
suite follows the documented contract of the model as its owner changes it, and a column that appears in the
table without documentation (or disappears from it) fails the schema expectation.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

from account_health.paths import PROJECT_DIR
from account_health.quality.raw import Range
from account_health.sql import relation

__all__ = ["BandDrift", "ModelSuite", "Pattern", "Range", "ValueSet", "all_suites", "documented_columns"]


@dataclass(frozen=True)
class ValueSet:
    """`column` takes only `values`, plus the values of `seed_column` in seed table `config.<seed>` when a
    seed is named (so the set follows the configuration, e.g. the health bands); `fallback` stands in for the
    seed's values when the seed table is not in the warehouse."""

    column: str
    values: tuple[str, ...] = ()
    seed: str | None = None
    seed_column: str | None = None
    fallback: tuple[str, ...] = ()


@dataclass(frozen=True)
class Pattern:
    """Every non-null value of `column` fully matches the regular expression `regex`."""

    column: str
    regex: str


@dataclass(frozen=True)
class BandDrift:
    """Share of accounts per band on the latest `date_column`, compared with the last published run."""

    band_column: str = "health_band"
    date_column: str = "score_date"
    entity_column: str = "account_id"


@dataclass(frozen=True)
class ModelSuite:
    """The expectations on one dbt model (a table or view in schema `layer` of the warehouse).

    `required`: a missing table is a failure; otherwise the suite is skipped with a note (marts that other
    work has not built yet). `row_count_change`: compare the row count with the last published run (marts
    only: staging is never published).
    """

    layer: str
    model: str
    key: tuple[str, ...] = ()
    not_null: tuple[str, ...] = ()
    ranges: tuple[Range, ...] = ()
    value_sets: tuple[ValueSet, ...] = ()
    patterns: tuple[Pattern, ...] = ()
    #: Ranges for every column whose name ends with `Range.column` (e.g. all `_score` columns of a wide fact).
    ranges_by_suffix: tuple[Range, ...] = ()
    required: bool = True
    row_count_change: bool = False
    band_drift: BandDrift | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def name(self) -> str:
        return f"{self.layer}__{self.model}"

    def ranges_for(self, columns: list[str]) -> tuple[Range, ...]:
        """The declared ranges plus the suffix ranges expanded over `columns` (declared ones win)."""
        declared = {bound.column for bound in self.ranges}
        expanded = tuple(
            Range(column, rule.min_value, rule.max_value, rule.when_column, rule.when_value)
            for rule in self.ranges_by_suffix
            for column in columns
            if column.endswith(rule.column) and column not in declared
        )
        return (*self.ranges, *expanded)

    @property
    def relation(self) -> str:
        return relation(self.layer, self.model)


@cache
def documented_columns(models_dir: Path = PROJECT_DIR / "models") -> dict[str, tuple[str, ...]]:
    """Model name -> its column names as documented in the `_*__models.yml` files under `models_dir`."""
    columns: dict[str, tuple[str, ...]] = {}
    for path in sorted(models_dir.rglob("_*.yml")):
        document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for model in document.get("models") or []:
            names = tuple(column["name"] for column in model.get("columns") or [] if "name" in column)
            if names:
                columns[model["name"]] = names
    return columns


def rates(*columns: str) -> tuple[Range, ...]:
    """0-1 ranges for rate columns."""
    return tuple(Range(column, 0, 1) for column in columns)


def scores(*columns: str) -> tuple[Range, ...]:
    """0-100 ranges for score columns."""
    return tuple(Range(column, 0, 100) for column in columns)


def non_negative(*columns: str) -> tuple[Range, ...]:
    return tuple(Range(column, 0) for column in columns)


def all_suites() -> list[ModelSuite]:
    """Every staging and mart suite, staging first (the order results are reported in)."""
    from account_health.quality import marts, staging

    return [*staging.SUITES, *marts.SUITES]
