"""The component_sources seed as sets: which components a removed table must make missing."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from account_health.paths import PROJECT_DIR

SEED = PROJECT_DIR / "seeds" / "scorecard" / "component_sources.csv"


@dataclass(frozen=True)
class ComponentSources:
    required: dict[str, frozenset[str]]
    optional: dict[str, frozenset[str]]

    def missing_without(self, removed: set[str]) -> set[str]:
        """Components that must be missing when the `removed` tables were never provided."""
        return {
            component
            for component in self.required
            if self.required[component] & removed
            or (self.optional[component] and self.optional[component] <= removed)
        }

    def untouched_by(self, removed: set[str]) -> set[str]:
        """Components that list none of the `removed` tables: their values must not change."""
        return {
            component
            for component in self.required
            if not (self.required[component] | self.optional[component]) & removed
        }


def read_component_sources() -> ComponentSources:
    required: dict[str, set[str]] = {}
    optional: dict[str, set[str]] = {}
    with SEED.open() as handle:
        for row in csv.DictReader(handle):
            required.setdefault(row["component_id"], set())
            optional.setdefault(row["component_id"], set())
            target = required if row["is_required"] == "true" else optional
            target[row["component_id"]].add(row["table_name"])
    return ComponentSources(
        required={key: frozenset(value) for key, value in required.items()},
        optional={key: frozenset(value) for key, value in optional.items()},
    )
