"""The component_sources seed as sets: which components a removed table must make missing."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from account_health.paths import PROJECT_DIR

SEED = PROJECT_DIR / "seeds" / "scorecard" / "component_sources.csv"


@dataclass(frozen=True)
class ComponentSources:
    required: dict[str, frozenset[str]]
    optional: dict[str, frozenset[str]]  # role one_of: any one is enough
    refining: dict[str, frozenset[str]]  # role refines: changes how, not whether

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
            if not (self.required[component] | self.optional[component] | self.refining[component]) & removed
        }


def read_component_sources() -> ComponentSources:
    roles: dict[str, dict[str, set[str]]] = {"required": {}, "one_of": {}, "refines": {}}
    with SEED.open() as handle:
        for row in csv.DictReader(handle):
            for by_component in roles.values():
                by_component.setdefault(row["component_id"], set())
            roles[row["role"]][row["component_id"]].add(row["table_name"])
    frozen = {
        role: {key: frozenset(value) for key, value in by_component.items()}
        for role, by_component in roles.items()
    }
    return ComponentSources(
        required=frozen["required"], optional=frozen["one_of"], refining=frozen["refines"]
    )
