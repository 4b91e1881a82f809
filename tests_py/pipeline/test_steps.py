"""One verdict per step (account_health.steps) for the CLI, the pipeline and Dagster, on stand-in reports."""

from __future__ import annotations

import ast
from pathlib import Path
from types import SimpleNamespace

from account_health import steps
from account_health.land.report import FileResult, LandReport
from account_health.paths import PROJECT_DIR


def _report(*statuses: str, failure: str | None = None, misplaced: tuple[str, ...] = ()) -> LandReport:
    files = [
        FileResult(
            Path(f"/raw/accounts/{index}.csv"), "accounts", status, message=f"accounts/{index}.csv: bad"
        )
        for index, status in enumerate(statuses)
    ]
    return LandReport(files=files, failure=failure, misplaced=list(misplaced))


def test_a_rejected_file_fails_landing_naming_the_file():
    outcome = steps.landed(_report("loaded", "rejected"))
    assert not outcome.passed
    assert outcome.failure == "land failed: rejected accounts/1.csv: bad"


def test_a_stopped_run_fails_landing_with_its_one_line():
    outcome = steps.landed(_report("loaded", failure="disk full while writing"))
    assert (outcome.passed, outcome.problems) == (False, ("disk full while writing",))


def test_misplaced_files_fail_only_when_the_caller_says_so():
    report = _report("loaded", misplaced=("Acounts",))
    assert steps.landed(report).passed
    outcome = steps.landed(report, misplaced_fails=True)
    assert not outcome.passed
    assert outcome.problems == (steps.misplaced_problem(1),)


def test_a_failed_build_lists_at_most_twenty_nodes_in_its_message():
    problems = [f"model m{index}: error" for index in range(30)]
    outcome = steps.built(SimpleNamespace(success=False, problems=problems))
    assert not outcome.passed
    assert len(outcome.problems) == 30
    assert outcome.message == "; ".join(problems[:20])
    assert steps.built(SimpleNamespace(success=False, problems=[])).message == "dbt failed"


def test_a_failed_gate_names_every_failure():
    outcome = steps.validated(SimpleNamespace(ok=False, failures=["marts.a: x", "marts.b: y"]))
    assert outcome.failure == "validate failed: marts.a: x; marts.b: y"
    assert steps.validated(SimpleNamespace(ok=True, failures=[])).passed


def test_the_orchestration_imports_no_private_helper_of_the_package():
    source = PROJECT_DIR / "src" / "account_health" / "orchestration" / "definitions.py"
    tree = ast.parse(source.read_text(encoding="utf-8"))
    package_modules = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("account_health")
        for alias in node.names
    }
    private = [
        f"{node.value.id}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in package_modules
        and node.attr.startswith("_")
    ]
    imported = [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("account_health")
        for alias in node.names
        if alias.name.startswith("_")
    ]
    assert private + imported == []
