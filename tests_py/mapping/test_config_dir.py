"""The config folder overrides seeds file by file, outside the checkout; `init` writes a starter one."""

from __future__ import annotations

import subprocess
from pathlib import Path

import duckdb
import pytest

from account_health import build
from account_health.config import (
    PROJECT_SEEDS,
    ConfigError,
    init_config,
    prepare_seed_dir,
    project_seeds,
    resolve_config_dir,
    seed_overrides,
)
from account_health.land.mapping import load_mapping
from account_health.paths import PROJECT_DIR, Paths


def _checkout_status() -> str:
    return subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=PROJECT_DIR,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_config_dir_defaults_to_the_data_dir(tmp_path, monkeypatch):
    monkeypatch.delenv("ACCOUNT_HEALTH_CONFIG_DIR", raising=False)
    assert resolve_config_dir(tmp_path / "data") == tmp_path / "data" / "config"
    assert resolve_config_dir(tmp_path / "data", tmp_path / "c") == tmp_path / "c"
    monkeypatch.setenv("ACCOUNT_HEALTH_CONFIG_DIR", str(tmp_path / "env"))
    assert Paths(tmp_path / "data").config_dir == tmp_path / "env"
    assert Paths(tmp_path / "data", tmp_path / "c").config_dir == tmp_path / "c"


def test_init_writes_every_default_seed_a_mapping_and_a_readme(tmp_path):
    result = init_config(tmp_path / "config")
    seeds = project_seeds()
    assert len(seeds) == len(list(PROJECT_SEEDS.rglob("*.csv")))
    assert {Path("catalog/products.csv"), Path("scorecard/health_weights.csv")} <= set(seeds)
    assert sorted(result.written) == sorted([Path("README.md"), Path("sources.yml"), *seeds])
    for relative in seeds:
        assert (tmp_path / "config" / relative).read_bytes() == (PROJECT_SEEDS / relative).read_bytes()
    assert load_mapping(tmp_path / "config" / "sources.yml").tables == {}  # all examples commented out
    readme = (tmp_path / "config" / "README.md").read_text()
    assert "`scorecard/health_weights.csv`" in readme and "`sources.yml`" in readme
    # a starter folder is a valid config folder: every file matches its seed
    assert len(seed_overrides(tmp_path / "config")) == len(seeds)


def test_init_never_overwrites_what_a_company_edited(tmp_path):
    config = tmp_path / "config"
    init_config(config)
    bands = config / "scorecard" / "health_bands.csv"
    bands.write_text("band,min_score,max_score,band_rank,is_at_risk\n")
    (config / "sources.yml").write_text("tables: {}\n")
    again = init_config(config)
    assert again.written == []
    assert Path("scorecard/health_bands.csv") in again.kept
    assert bands.read_text() == "band,min_score,max_score,band_rank,is_at_risk\n"
    assert (config / "sources.yml").read_text() == "tables: {}\n"


def test_a_csv_that_is_no_seed_is_one_line_naming_it(tmp_path):
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "product.csv").write_text("product_id\n")
    with pytest.raises(ConfigError) as caught:
        seed_overrides(tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'catalog' / 'product.csv'}: not a seed of the project")
    (tmp_path / "catalog" / "product.csv").unlink()
    (tmp_path / "products.csv").write_text("product_id\n")
    with pytest.raises(ConfigError, match=r"products.csv: not a seed of the project; did you mean catalog/"):
        seed_overrides(tmp_path)


def test_a_seed_with_other_columns_names_them(tmp_path):
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "products.csv").write_text("product_id,name,bundle_id,is_core_product,price\n")
    with pytest.raises(ConfigError) as caught:
        seed_overrides(tmp_path)
    assert str(caught.value).endswith(
        "columns differ from the seed catalog/products.csv: missing product_name, list_price_per_seat_usd;"
        " unexpected name, price"
    )


def test_other_folders_of_the_config_dir_are_left_alone(tmp_path):
    (tmp_path / "proposals").mkdir()
    (tmp_path / "proposals" / "health_weights.csv").write_text("anything\n")
    assert seed_overrides(tmp_path) == {}


def test_overlay_falls_back_to_the_default_file_by_file(larkspur, tmp_path):
    target = tmp_path / "dbt" / "seeds"
    overrides = prepare_seed_dir(larkspur.config, target)
    assert sorted(map(str, overrides)) == ["catalog/product_features.csv", "catalog/products.csv"]
    assert (target / "catalog" / "products.csv").read_text().splitlines()[1:] == [
        "cloud,Larkspur Cloud,,true,37.50",
        "reports,Larkspur Reports,,false,25.00",
    ]
    persona_rules = (PROJECT_SEEDS / "catalog" / "persona_rules.csv").read_bytes()
    assert (target / "catalog" / "persona_rules.csv").read_bytes() == persona_rules
    assert not list(target.rglob("*.yml"))  # dbt reads the seeds' YAML from the project
    (larkspur.config / "catalog" / "products.csv").unlink()
    prepare_seed_dir(larkspur.config, target)
    default = (PROJECT_SEEDS / "catalog" / "products.csv").read_bytes()
    assert (target / "catalog" / "products.csv").read_bytes() == default


def test_dbt_seeds_the_company_catalog_and_the_checkout_is_untouched(larkspur, tmp_path):
    before = _checkout_status()
    paths = Paths(tmp_path / "data", larkspur.config)
    step = build.invoke(paths, ["seed", "--select", "products", "persona_rules"])
    assert step.success, step.problems
    con = duckdb.connect(str(paths.warehouse_path), read_only=True)
    try:
        products = con.execute(
            "select product_id, is_core_product from config.products order by 1"
        ).fetchall()
        rules = con.execute("select count(*) from config.persona_rules").fetchone()[0]
    finally:
        con.close()
    assert products == [("cloud", True), ("reports", False)]
    assert rules == 5  # the project's default: persona_rules.csv has 5 rules
    assert _checkout_status() == before
