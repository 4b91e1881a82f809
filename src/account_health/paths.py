"""Where things live. Every path is absolute, so nothing depends on the working directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Paths:
    """The data folders of one installation; tests point `data_dir` at a temporary folder.

    `config_option`: the `--config-dir` given, if any; `config_dir` resolves it (account_health.config).
    """

    data_dir: Path
    config_option: Path | None = None

    @classmethod
    def default(cls) -> Paths:
        return cls(Path(os.environ.get("ACCOUNT_HEALTH_DATA_DIR", PROJECT_DIR / "data")).resolve())

    def with_config(self, config_dir: Path | None) -> Paths:
        return Paths(self.data_dir, config_dir.resolve() if config_dir else self.config_option)

    @property
    def raw_dir(self) -> Path:
        """Generated (or your own) source files, one folder or file per raw table."""
        return self.data_dir / "raw"

    @property
    def ground_truth_dir(self) -> Path:
        """The generator's latent truth; never landed, read only by evaluation code."""
        return self.data_dir / "ground_truth"

    @property
    def warehouse_path(self) -> Path:
        """The build database: raw schema, dbt schemas, quarantine. BI never reads this."""
        return self.data_dir / "warehouse" / "account_health.duckdb"

    @property
    def quality_dir(self) -> Path:
        """Great Expectations results (JSON) and Data Docs."""
        return self.data_dir / "quality"

    @property
    def serving_dir(self) -> Path:
        return self.data_dir / "serving"

    @property
    def serving_path(self) -> Path:
        """The database BI tools open read-only: marts only, replaced atomically."""
        return self.serving_dir / "account_health.duckdb"

    @property
    def serving_parquet_dir(self) -> Path:
        return self.serving_dir / "parquet"

    @property
    def report_dir(self) -> Path:
        return self.data_dir / "report"

    @property
    def config_dir(self) -> Path:
        """The company's configuration: sources.yml and seed overrides (`--config-dir`, env, default)."""
        from account_health.config import resolve_config_dir

        return resolve_config_dir(self.data_dir, self.config_option)

    @property
    def sources_mapping_path(self) -> Path:
        """The source mapping landing applies when it exists."""
        return self.config_dir / "sources.yml"

    @property
    def seed_dir(self) -> Path:
        """The seeds dbt reads: the project's, overlaid with the config folder's (rebuilt per dbt call)."""
        return self.data_dir / "dbt" / "seeds"

    def dbt_env(self, seed_dir: Path | None = None) -> dict[str, str]:
        """Environment for dbt: the warehouse path profiles.yml reads, the seed folder, telemetry off.

        Writes the seed folder first (the project's seeds with the config folder's laid over them), so
        every dbt command of this data folder sees the company's configuration: `seed_dir`, default the
        data folder's (the Spark build writes its own beside its other files).
        """
        from account_health.config import SEED_PATH_ENV, prepare_seed_dir
        from account_health.resources import resources

        seed_dir = seed_dir or self.seed_dir
        prepare_seed_dir(self.config_dir, seed_dir)
        return {
            "ACCOUNT_HEALTH_WAREHOUSE": str(self.warehouse_path),
            SEED_PATH_ENV: str(seed_dir),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
            **resources().env(),
        }
