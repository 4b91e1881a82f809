"""`account-health check`: the seeds and sources.yml checked in seconds, each problem named by file and line.

The checks come from the seeds' YAML and the seeds-only singular tests, so these cases break a copy of the
project's seeds in the config folder the way a person editing them in a spreadsheet would.
"""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from account_health.build import build
from account_health.cli import app
from account_health.config import PROJECT_SEEDS, project_seeds
from account_health.paths import Paths
from account_health.seedcheck import check


def _config(tmp_path: Path, *seeds: str) -> Path:
    config = tmp_path / "config"
    for seed in seeds:
        (config / seed).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(PROJECT_SEEDS / seed, config / seed)
    return config


def _edit(path: Path, line: int, old: str, new: str) -> None:
    lines = path.read_text().splitlines(keepends=True)
    assert old in lines[line - 1], lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    path.write_text("".join(lines))


def _check(config: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(app, ["--config-dir", str(config), "check"], terminal_width=400)
    return result.exit_code, [line for line in result.output.splitlines() if line]


def test_the_projects_own_seeds_pass(tmp_path: Path) -> None:
    code, lines = _check(tmp_path)
    assert code == 0, lines
    assert lines[-1].startswith(f"{len(project_seeds())} seeds and sources.yml checked (")
    assert lines[-1].endswith("checks): no problems")


def test_each_seed_mistake_is_one_line_naming_file_line_and_column(tmp_path: Path) -> None:
    config = _config(
        tmp_path,
        "scorecard/health_components.csv",
        "scorecard/health_weights.csv",
        "scorecard/health_bands.csv",
        "scorecard/override_rules.csv",
    )
    scorecard = config / "scorecard"
    _edit(scorecard / "health_components.csv", 2, ",0.5,0.9,", ",forty,0.9,")
    _edit(scorecard / "health_weights.csv", 3, "activated_user_rate,2,", "activated_user_rate,-2,")
    _edit(scorecard / "health_weights.csv", 5, "active_integrations", "active_integration")
    _edit(scorecard / "health_bands.csv", 3, ",40,70,", ",45,70,")
    _edit(scorecard / "override_rules.csv", 2, ",unhealthy", ",red")

    code, lines = _check(config)

    assert code == 1
    assert lines[:-1] == [
        f"{scorecard / 'health_components.csv'}:2: red_threshold: 'forty' is not a valid double",
        f"{scorecard / 'health_weights.csv'}:5: component_id: 'active_integration' not a component_id "
        "of health_components",
        f"{scorecard / 'health_weights.csv'}:3: weight: -2.0 out of range (>= 0)",
        f"{scorecard / 'override_rules.csv'}:2: forced_band: 'red' not a band of health_bands",
        f"{scorecard / 'health_bands.csv'}: 1 rows break: Each version of the bands covers 0 to 100 "
        "without a gap or an overlap: in rank order, the first band starts at 0, each band starts where "
        "the one below it ends, and the top band ends at 100. "
        "(tests/scorecard/assert_health_bands_cover_0_to_100.sql) "
        "First: not_so_healthy, 2020-01-01, 45.0, 70.0",
    ]
    assert lines[-1] == f"error: 5 problems in the seeds or the config folder {config}"


def test_typed_parameters_are_checked_by_type_format_and_row_count(tmp_path: Path) -> None:
    """The parameters seeds are one row with a typed column per parameter: a value of the wrong type, a
    list that is not pipe-separated and a second row are each one problem, named by file (and line)."""
    config = _config(tmp_path, "revenue/revenue_parameters.csv", "scorecard/scorecard_parameters.csv")
    _edit(config / "scorecard" / "scorecard_parameters.csv", 2, "14,", "two weeks,")
    revenue = config / "revenue" / "revenue_parameters.csv"
    _edit(revenue, 2, ",3|6|12,", ",3;6;12,")
    revenue.write_text(revenue.read_text() + revenue.read_text().splitlines()[1] + "\n")
    code, lines = _check(config)
    assert code == 1
    scorecard = config / "scorecard" / "scorecard_parameters.csv"
    assert f"{scorecard}:2: customer_grace_days: 'two weeks' is not a valid integer" in lines
    assert (
        f"{revenue}: 2 rows: a parameters seed has exactly one row of values, one column per parameter"
        in lines
    )
    assert any(
        line.startswith(f"{revenue}:2: breaks regexp_extract(backtest_horizons_months") for line in lines
    )
    assert any(
        line.startswith(f"{revenue}:3: breaks regexp_extract(backtest_horizons_months") for line in lines
    )


def test_minimum_evidence_is_typed_parameters_too(tmp_path: Path) -> None:
    """minimum_evidence is one typed row like the other parameters seeds: a count that is not an integer, a
    second row and a forecast range upside down are each one problem naming the file (and line)."""
    mistyped = (
        _config(tmp_path / "mistyped", "quality/minimum_evidence.csv") / "quality" / "minimum_evidence.csv"
    )
    _edit(mistyped, 2, "5,30,", "five,30,")
    code, lines = _check(mistyped.parent.parent)
    assert code == 1
    assert f"{mistyped}:2: min_components_used: 'five' is not a valid integer" in lines

    evidence = (
        _config(tmp_path / "two_rows", "quality/minimum_evidence.csv") / "quality" / "minimum_evidence.csv"
    )
    _edit(evidence, 2, ",0.5,1.5", ",1.5,0.5")
    evidence.write_text(evidence.read_text() + "5,30,30,0.5,1.5\n")
    code, lines = _check(evidence.parent.parent)
    assert code == 1
    assert (
        f"{evidence}: 2 rows: a parameters seed has exactly one row of values, one column per parameter"
        in lines
    )
    assert f"{evidence}:2: breaks forecast_min_nrr_rate <= forecast_max_nrr_rate" in lines


def test_a_seed_file_with_other_columns_and_a_mistyped_table_in_sources_yml(tmp_path: Path) -> None:
    config = _config(tmp_path)
    (config / "scorecard").mkdir(parents=True)
    (config / "scorecard" / "health_bands.csv").write_text("band,low,high\nunhealthy,0,40\n")
    # the command refuses such a config folder up front (exit 2, like every command); check() says the same
    assert [str(problem) for problem in check(config).problems] == [
        f"{config}: {config / 'scorecard' / 'health_bands.csv'}: columns differ from the seed "
        "scorecard/health_bands.csv: missing band_rank, min_score, max_score, is_at_risk, valid_from; "
        "unexpected low, high"
    ]

    (config / "scorecard" / "health_bands.csv").unlink()
    (config / "sources.yml").write_text('tables:\n  acounts:\n    files: "*.csv"\n')
    code, lines = _check(config)
    assert code == 1
    assert lines[0].startswith(
        f"{config / 'sources.yml'}: line 2: tables.acounts: unknown table (raw tables: "
    )


@pytest.mark.parametrize("row", ["smb,nps_365d,,2027-01-01", "smb,nps_365d,3,31/12/2027"])
def test_a_build_with_a_seed_mistake_stops_before_dbt_with_the_named_problem(
    tmp_path: Path, row: str
) -> None:
    config = _config(tmp_path, "scorecard/health_weights.csv")
    weights = config / "scorecard" / "health_weights.csv"
    weights.write_text(weights.read_text() + row + "\n")
    line = len(weights.read_text().splitlines())
    paths = Paths(tmp_path / "data", config_option=config)

    result = build(paths, date(2026, 10, 31))

    assert not result.success
    assert [step.command for step in result.steps] == ["check"]
    column, message = (
        ("weight", "empty (a value is required)")
        if ",," in row
        else (
            "valid_from",
            "'31/12/2027' is not a valid date",
        )
    )
    assert result.problems == [f"{weights}:{line}: {column}: {message}"]
    assert not paths.warehouse_path.exists()
