"""Helpers for landing tests: write small source files by hand, land them, query the warehouse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from account_health.land import LandReport, land

AS_OF = dt.date(2026, 10, 31)

ACCOUNTS_HEADER = (
    "account_id,account_name,parent_account_id,segment,industry,region,employee_count,customer_since,"
    "csm_owner,is_test"
)
SUBSCRIPTIONS_HEADER = "subscription_id,account_id,product_id,seats,mrr,start_date,end_date"


def account_row(account_id: str, **overrides: str) -> str:
    values = {
        "account_id": account_id,
        "account_name": f"Company {account_id}",
        "parent_account_id": "",
        "segment": "smb",
        "industry": "software",
        "region": "emea",
        "employee_count": "50",
        "customer_since": "2024-01-15",
        "csm_owner": "csm_1",
        "is_test": "false",
    }
    values.update(overrides)
    return ",".join(values.values())


class Lake:
    """A raw folder and a warehouse in tmp_path."""

    def __init__(self, root: Path) -> None:
        self.raw = root / "raw"
        self.warehouse = root / "warehouse" / "account_health.duckdb"
        self.quality = root / "quality"
        self.raw.mkdir(parents=True)

    def write(self, relative: str, content: str | bytes) -> Path:
        path = self.raw / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
        return path

    def land(self, *, gx: bool = False, as_of: dt.date | None = AS_OF, docs: bool = False) -> LandReport:
        report = land(
            self.raw, self.warehouse, quality_dir=self.quality if gx else None, as_of=as_of, docs=docs
        )
        for result in report.files:
            assert result.rows_read == result.rows_loaded + result.rows_quarantined, result
        return report

    def query(self, sql: str, params: list | None = None) -> list[tuple]:
        with duckdb.connect(str(self.warehouse), read_only=True) as con:
            return con.execute(sql, params or []).fetchall()

    def count(self, table: str) -> int:
        return self.query(f"select count(*) from raw.{table}")[0][0]

    def quarantine(self, table: str | None = None) -> list[tuple[int, str]]:
        where = "where table_name = ?" if table else ""
        return [
            (row[0], row[1])
            for row in self.query(
                f"select row_number, reason from raw._quarantine {where} order by source_file, row_number",
                [table] if table else [],
            )
        ]


@pytest.fixture
def lake(tmp_path: Path) -> Lake:
    return Lake(tmp_path)


@pytest.fixture
def write_parquet(tmp_path: Path) -> Callable[[Path, str], None]:
    """Write the result of a DuckDB query to a Parquet file."""

    def _write(path: Path, select_sql: str) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        with duckdb.connect() as con:
            con.execute(f"copy ({select_sql}) to '{path}' (format parquet)")

    return _write
