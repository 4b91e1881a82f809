"""Engines other than DuckDB that the dbt project builds on (issue 13): `spark`."""
