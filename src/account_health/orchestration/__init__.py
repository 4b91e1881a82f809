"""Dagster orchestration: `dagster dev -m account_health.orchestration.definitions` shows the graph."""
