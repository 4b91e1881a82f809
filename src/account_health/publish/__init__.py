"""Publish the marts to the serving database BI tools read: write, audit, swap atomically, roll back."""

from account_health.publish.core import (
    PAUSE_ENV,
    PublishError,
    PublishResult,
    RollbackResult,
    TableSnapshot,
    clean_stale,
    publish,
    read_manifest,
    rollback,
    table_checksum,
)

__all__ = [
    "PAUSE_ENV",
    "PublishError",
    "PublishResult",
    "RollbackResult",
    "TableSnapshot",
    "clean_stale",
    "publish",
    "read_manifest",
    "rollback",
    "table_checksum",
]
