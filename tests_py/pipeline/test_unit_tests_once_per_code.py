"""The dbt unit tests run on a build until they passed on today's code, and again once the code changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from account_health import unit_tested
from account_health.build import UNIT_TESTS_PASSED_EARLIER, BuildResult, build_plan
from account_health.paths import Paths

EXCLUDED = ("--exclude-resource-type", "unit_test")


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "project"
    for name, text in {
        "dbt_project.yml": "name: p\n",
        "models/fct_a.sql": "select 1 as a\n",
        "models/_models.yml": "unit_tests: []\n",
        "macros/m.sql": "{% macro m() %}1{% endmacro %}\n",
        "seeds/weights.csv": "component,weight\na,1\n",
    }.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    monkeypatch.setattr(unit_tested, "PROJECT_DIR", root)
    # not the suite's shared record (tests_py/conftest.py): each data folder its own
    monkeypatch.delenv(unit_tested.RECORD_ENV, raising=False)
    return root


def test_unit_tests_are_left_out_once_they_passed_on_this_code(project: Path, tmp_path: Path) -> None:
    paths = Paths(tmp_path / "data")
    first = build_plan(paths)
    assert first.unit_tests
    assert first.build == ("build",)

    first.passed(paths)
    second = build_plan(paths)
    assert not second.unit_tests
    assert second.build == ("build", *EXCLUDED)

    (project / "seeds" / "weights.csv").write_text("component,weight\na,2\n")  # data, not code
    assert build_plan(paths).build == ("build", *EXCLUDED)

    (project / "models" / "fct_a.sql").write_text("select 2 as a\n")  # code
    assert build_plan(paths).build == ("build",)


def test_a_selected_build_does_not_count_as_passing_every_unit_test(project: Path, tmp_path: Path) -> None:
    paths = Paths(tmp_path / "data")
    build_plan(paths, select=["fct_a"]).passed(paths)
    assert build_plan(paths).unit_tests


def test_a_shared_record_serves_every_data_folder(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    one, other = Paths(tmp_path / "one"), Paths(tmp_path / "other")
    build_plan(one).passed(one)
    assert build_plan(other).unit_tests  # each data folder keeps its own record by default

    monkeypatch.setenv(unit_tested.RECORD_ENV, str(tmp_path / "shared" / "passed.sha256"))
    build_plan(one).passed(one)
    assert not build_plan(other).unit_tests
    assert (tmp_path / "shared" / "passed.sha256").read_text().strip() == unit_tested.code_fingerprint()


def test_the_summary_says_the_unit_tests_were_not_run() -> None:
    result = BuildResult(as_of=date(2026, 10, 31), unit_tests_passed_earlier=True)
    assert result.summary() == UNIT_TESTS_PASSED_EARLIER
