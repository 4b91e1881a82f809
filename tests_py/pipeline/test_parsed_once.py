"""dbt parses the project once per process (account_health.parsed_project): a second data folder reuses the
parse with its own seeds, and a changed project file is parsed again."""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb

from account_health.build import dbt_environment, invoke
from account_health.parsed_project import parsed_manifest
from account_health.paths import PROJECT_DIR, Paths

WEIGHTS = Path("scorecard") / "health_weights.csv"


def _weights_sum(paths: Paths) -> float:
    with duckdb.connect(str(paths.warehouse_path), read_only=True) as con:
        return con.execute("select sum(weight) from config.health_weights").fetchone()[0]


def test_a_second_data_folder_reuses_the_parse_with_its_own_seeds(tmp_path: Path) -> None:
    first, second = Paths(tmp_path / "first"), Paths(tmp_path / "second")
    # the second company weighs its first component 10 more than the project's default
    rows = list(csv.reader((PROJECT_DIR / "seeds" / WEIGHTS).open(newline="")))
    weight = rows[0].index("weight")
    rows[1][weight] = str(float(rows[1][weight]) + 10)
    (second.config_dir / WEIGHTS).parent.mkdir(parents=True)
    with (second.config_dir / WEIGHTS).open("w", newline="") as handle:
        csv.writer(handle).writerows(rows)

    assert invoke(first, ["seed"]).success
    assert invoke(second, ["seed"]).success

    # no parse ran in the second folder (a parse saves itself there), and each folder got its own seeds
    assert not (second.data_dir / "dbt" / "target" / "partial_parse.msgpack").exists()
    assert _weights_sum(second) == _weights_sum(first) + 10


def test_a_changed_project_file_is_parsed_again(tmp_path: Path) -> None:
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    (project / "dbt_project.yml").write_text("name: p\nversion: '1.0'\nconfig-version: 2\nprofile: p\n")
    (project / "profiles.yml").write_text(
        "p:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n"
        "      path: \"{{ env_var('ACCOUNT_HEALTH_WAREHOUSE') }}\"\n"
    )
    model = project / "models" / "m.sql"
    model.write_text("select 1 as x\n")
    options = ["--project-dir", str(project), "--profiles-dir", str(project)]
    options += ["--target-path", str(tmp_path / "target"), "--log-path", str(tmp_path / "logs")]
    env = {"ACCOUNT_HEALTH_WAREHOUSE": str(tmp_path / "w.duckdb")}

    with dbt_environment(env):
        parsed = parsed_manifest(project, options, env)
        again = parsed_manifest(project, options, env)
        model.write_text("select 22 as x\n")
        changed = parsed_manifest(project, options, env)

    assert parsed is not None and again is parsed
    assert changed is not None and changed is not parsed
    assert changed.nodes["model.p.m"].raw_code.strip() == "select 22 as x"
