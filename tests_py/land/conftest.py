"""Fixtures for landing tests (the helpers live in land_helpers.py so test modules can import them)."""

from land_helpers import lake, write_parquet

__all__ = ["lake", "write_parquet"]
