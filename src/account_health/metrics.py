"""The headline metrics through the semantic layer: MetricFlow over the warehouse dbt built.

The definitions live once, in `models/semantic/_semantic__models.yml`; dbt writes them into
`semantic_manifest.json` in the build's target folder, so this reads the definitions the warehouse was
built with, not whatever the checkout holds now. MetricFlow plans the SQL; it runs on a read-only DuckDB
connection to the warehouse (the `mf` CLI runs the same SQL through dbt's adapter, which opens the file
for writing and first checks PyPI for a newer `mf`). Nothing here reaches the network: MetricFlow's
telemetry only writes to the Python log.
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
from metricflow.data_table.mf_table import MetricFlowDataTable
from metricflow.engine.metricflow_engine import MetricFlowEngine, MetricFlowQueryRequest
from metricflow.protocols.sql_client import SqlEngine
from metricflow.sql.render.duckdb_renderer import DuckDbSqlPlanRenderer
from metricflow.validation.data_warehouse_model_validator import DataWarehouseModelValidator
from metricflow_semantic_interfaces.protocols.semantic_manifest import SemanticManifest
from metricflow_semantic_interfaces.validations.semantic_manifest_validator import SemanticManifestValidator
from metricflow_semantic_interfaces.validations.validator_helpers import SemanticManifestValidationResults
from metricflow_semantics.model.dbt_manifest_parser import parse_manifest_from_dbt_generated_manifest
from metricflow_semantics.model.semantic_manifest_lookup import SemanticManifestLookup
from metricflow_semantics.sql.sql_bind_parameters import SqlBindParameterSet

from account_health.build import dbt_dirs
from account_health.paths import Paths

SEMANTIC_MANIFEST = "semantic_manifest.json"
# what `account-health metrics` shows when no metric is named, by semantic model: each family groups by
# its own dimensions (retention by segment, health by band, segment or CSM)
HEADLINE_FAMILIES = (("nrr", "grr", "logo_retention"), ("accounts", "arr", "arr_at_risk"))
HEADLINE_METRICS = tuple(metric for family in HEADLINE_FAMILIES for metric in family)
GRAINS = ("day", "week", "month", "quarter", "year")
# short names a CS leader types for a dimension: `--by band`, `--by csm`
BY_ALIASES = {"band": "health_band", "csm": "csm_owner"}
_NO_PARAMETERS = SqlBindParameterSet()

Cell = int | float | str | bool | decimal.Decimal | datetime.date | datetime.datetime | None


class MetricsError(Exception):
    """A metrics query that cannot run: no build yet, the warehouse busy, an unknown metric or group-by."""


@dataclass(frozen=True)
class MetricsTable:
    """One query's answer: column names, rows (as DuckDB returns them) and the SQL MetricFlow wrote."""

    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    sql: str


class _ReadOnlyDuckDbClient:
    """MetricFlow's SqlClient on a read-only DuckDB connection: readers never block a build's lock."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self._con = con
        self.last_rows: list[tuple[Cell, ...]] = []

    @property
    def sql_engine_type(self) -> SqlEngine:
        return SqlEngine.DUCKDB

    @property
    def sql_plan_renderer(self) -> DuckDbSqlPlanRenderer:
        return DuckDbSqlPlanRenderer()

    def query(
        self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = _NO_PARAMETERS
    ) -> MetricFlowDataTable:
        result = self._con.execute(stmt, dict(sql_bind_parameter_set.param_dict) or None)
        columns = [column[0] for column in result.description]
        # kept as DuckDB typed them (int, Decimal, date): MetricFlow's table turns ints into Decimals
        self.last_rows = result.fetchall()
        return MetricFlowDataTable.create_from_rows(column_names=columns, rows=self.last_rows)

    def execute(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = _NO_PARAMETERS) -> None:
        self._con.execute(stmt, dict(sql_bind_parameter_set.param_dict) or None)

    def dry_run(self, stmt: str, sql_bind_parameter_set: SqlBindParameterSet = _NO_PARAMETERS) -> None:
        self._con.execute(f"explain {stmt}", dict(sql_bind_parameter_set.param_dict) or None)

    def close(self) -> None:
        self._con.close()

    def render_bind_parameter_key(self, bind_parameter_key: str) -> str:
        return f"${bind_parameter_key}"


def semantic_manifest_path(paths: Paths) -> Path:
    """Where the build wrote the semantic manifest of this data folder."""
    target_dir, _ = dbt_dirs(paths)
    return target_dir / SEMANTIC_MANIFEST


def load_semantic_manifest(paths: Paths) -> SemanticManifest:
    path = semantic_manifest_path(paths)
    if not path.exists():
        raise MetricsError(f"no semantic manifest at {path}: run `account-health run` first")
    return parse_manifest_from_dbt_generated_manifest(manifest_json_string=path.read_text(encoding="utf-8"))


class MetricsSession:
    """One MetricFlow engine and one warehouse connection, for any number of queries."""

    def __init__(self, manifest: SemanticManifest, client: _ReadOnlyDuckDbClient) -> None:
        self.manifest = manifest
        self._client = client
        self._engine = MetricFlowEngine(
            semantic_manifest_lookup=SemanticManifestLookup(manifest), sql_client=client
        )

    def metric_names(self) -> list[str]:
        return sorted(metric.name for metric in self.manifest.metrics)

    def group_by_names(self, metrics: Sequence[str]) -> set[str]:
        """The dimensions every one of `metrics` can be grouped by (`revenue_retention__segment`, ...)."""
        return {
            dimension.dunder_name for dimension in self._engine.simple_dimensions_for_metrics(list(metrics))
        }

    def resolve_group_by(self, by: str, metrics: Sequence[str]) -> str:
        """A full group-by name from a short one: `band` -> `account_health__health_band`."""
        name = BY_ALIASES.get(by, by)
        available = self.group_by_names(metrics)
        matches = sorted(full for full in available if full == name or full.endswith(f"__{name}"))
        if len(matches) == 1:
            return matches[0]
        choices = ", ".join(sorted(available - {"metric_time__day"})) or "none"
        what = "is ambiguous" if matches else "is not a dimension of"
        raise MetricsError(f"--by {by} {what} {', '.join(metrics)}; they can be grouped by: {choices}")

    def query(
        self,
        metrics: Sequence[str],
        group_by: Sequence[str] = (),
        where: Sequence[str] = (),
        order_by: Sequence[str] = (),
    ) -> MetricsTable:
        """`mf query --metrics ... --group-by ... --where ... --order ...`, answered in this process."""
        unknown = sorted(set(metrics) - set(self.metric_names()))
        if unknown:
            known = ", ".join(self.metric_names())
            raise MetricsError(f"unknown metric {', '.join(unknown)}; the metrics are {known}")
        request = MetricFlowQueryRequest.create(
            metric_names=list(metrics),
            group_by_names=list(group_by),
            where_constraints=list(where) or None,
            order_by_names=list(order_by) or list(group_by) or None,
        )
        try:
            result = self._engine.query(request)
        except (duckdb.Error, ValueError, LookupError) as error:
            raise MetricsError(str(error).strip().splitlines()[0]) from error
        assert result.result_df is not None
        return MetricsTable(
            columns=tuple(result.result_df.column_names), rows=tuple(self._client.last_rows), sql=result.sql
        )

    def validate(self) -> SemanticManifestValidationResults:
        """What `mf validate-configs` checks: the manifest's semantics, then every semantic model, dimension,
        entity and metric dry-run against the warehouse."""
        results = [SemanticManifestValidator[SemanticManifest]().validate_semantic_manifest(self.manifest)]
        warehouse = DataWarehouseModelValidator(sql_client=self._client)
        for check in (
            warehouse.validate_semantic_models,
            warehouse.validate_dimensions,
            warehouse.validate_entities,
            warehouse.validate_simple_metrics,
            warehouse.validate_metrics,
        ):
            results.append(check(self.manifest))
        return SemanticManifestValidationResults.merge(results)


def format_cell(value: Cell) -> str:
    """How the CLI prints a cell: ratios to 4 places, money with thousands, times as dates."""
    if value is None:
        return "-"
    if isinstance(value, datetime.datetime):
        return value.date().isoformat()
    if isinstance(value, float):
        return f"{value:.4f}"
    if isinstance(value, decimal.Decimal):
        return f"{value:,.2f}"
    return str(value)


@contextmanager
def metrics_session(paths: Paths) -> Iterator[MetricsSession]:
    """Open the semantic layer of a built data folder; the warehouse is opened read-only."""
    manifest = load_semantic_manifest(paths)
    if not paths.warehouse_path.exists():
        raise MetricsError(f"no warehouse at {paths.warehouse_path}: run `account-health run` first")
    try:
        con = duckdb.connect(str(paths.warehouse_path), read_only=True)
    except duckdb.IOException as error:
        raise MetricsError(f"the warehouse is busy (a build holds it): {error}".splitlines()[0]) from error
    client = _ReadOnlyDuckDbClient(con)
    try:
        yield MetricsSession(manifest, client)
    finally:
        client.close()
