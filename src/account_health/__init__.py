"""account-health: an open-source customer-health warehouse on DuckDB and dbt."""

__version__ = "0.1.0"
