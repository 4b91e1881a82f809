"""Landing: source files -> schema `raw` of the warehouse, enforcing the raw contract (DESIGN §2).

from account_health.land import land
report = land(paths.raw_dir, paths.warehouse_path, quality_dir=paths.quality_dir, as_of=as_of)
report.ok  # False when a file was rejected: the CLI exits non-zero
"""

from account_health.land.load import land
from account_health.land.report import FileResult, LandReport
from account_health.land.schema import ensure_raw_schema

__all__ = ["FileResult", "LandReport", "ensure_raw_schema", "land"]
