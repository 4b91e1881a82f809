"""Where things live. Every path is absolute, so nothing depends on the working directory."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Paths:
    """The data folders of one installation; tests point `data_dir` at a temporary folder."""

    data_dir: Path

    @classmethod
    def default(cls) -> Paths:
        return cls(Path(os.environ.get("ACCOUNT_HEALTH_DATA_DIR", PROJECT_DIR / "data")).resolve())

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

    def dbt_env(self) -> dict[str, str]:
        """Environment for dbt: the warehouse path profiles.yml reads, telemetry off."""
        return {
            "ACCOUNT_HEALTH_WAREHOUSE": str(self.warehouse_path),
            "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
            "DO_NOT_TRACK": "1",
        }
