"""Landing: source files -> schema `raw` of the warehouse, enforcing the raw contract.

The contract and its reasons: contract.py and DECISIONLOG.md#raw-contract.

from account_health.land import land
report = land(paths.raw_dir, paths.warehouse_path, quality_dir=paths.quality_dir, as_of=as_of)
report.ok  # False when a file was rejected or the disk filled up: the CLI exits non-zero
report.misplaced  # folders and files not landed because they are not in a table folder (CLI: exit 1)
# raises WarehouseBusy (CLI: exit 3) when another process holds the warehouse
"""

from account_health.land.errors import LandingError, WarehouseBusy
from account_health.land.load import SourceTransform, land
from account_health.land.report import FileResult, LandReport
from account_health.land.schema import ensure_raw_schema

__all__ = [
    "FileResult",
    "LandReport",
    "LandingError",
    "SourceTransform",
    "WarehouseBusy",
    "ensure_raw_schema",
    "land",
]
