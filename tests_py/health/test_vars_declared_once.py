"""Every dbt var has one default, in dbt_project.yml: models call var('name') without a second argument.

A default inside a model body is a second copy of the setting that silently wins wherever dbt_project.yml
does not declare the var, and drifts from it when only one is changed.
"""

from __future__ import annotations

import re

import yaml

from account_health.paths import PROJECT_DIR

VAR_CALL = re.compile(r"""\bvar\(\s*(['"])(?P<name>\w+)\1\s*(?P<rest>[,)])""")
FOLDERS = ("models", "macros", "tests", "snapshots", "analyses", "python_models")


def _calls() -> list[tuple[str, str, bool]]:
    calls = []
    for folder in FOLDERS:
        for path in sorted((PROJECT_DIR / folder).rglob("*")):
            if path.suffix not in {".sql", ".yml", ".py"}:
                continue
            for match in VAR_CALL.finditer(path.read_text(encoding="utf-8")):
                calls.append((str(path.relative_to(PROJECT_DIR)), match["name"], match["rest"] == ","))
    return calls


def test_no_var_is_defaulted_in_a_model_body() -> None:
    defaulted = sorted({f"{path}: {name}" for path, name, has_default in _calls() if has_default})
    assert not defaulted, f"var defaults outside dbt_project.yml: {defaulted}"


def test_every_var_used_is_declared_in_dbt_project() -> None:
    declared = set(yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())["vars"])
    undeclared = sorted({f"{path}: {name}" for path, name, _ in _calls() if name not in declared})
    assert not undeclared, f"vars without a default in dbt_project.yml: {undeclared}"
