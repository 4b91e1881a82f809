"""The staging and mart quality gate: run every registered suite on the warehouse, before publish.

For each `ModelSuite` (quality/registry.py) the gate
1. opens the warehouse READ-ONLY (GX's SQL datasource is broken on DuckDB, so GX validates pandas frames),
2. fetches the table into pandas when it has at most `max_rows_in_memory` rows, else a reservoir sample of
   that many rows, and runs the row-level suite on it (schema, keys, nulls, ranges, value sets, patterns),
3. computes one row of metrics in SQL and runs a second, `__metrics` suite on it: the row-count change against
   the last published run (serving manifest), the band-share drift against the published daily health fact,
   and, for sampled tables, the whole-table null counts, key duplicates, min/max and out-of-set counts, so a
   sample never hides a bad row.
Thresholds are rows of the seed `config.quality_thresholds`, read at validation time.

Results: `<quality_dir>/<layer>/<model>[__metrics]__<run id>.json` (GX results), a run summary in
`<quality_dir>/validation/<run id>.json` (and `latest.json`), and Data Docs in `<quality_dir>/data_docs/`.
"""

from __future__ import annotations

import json
import math
import time
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb

from account_health.paths import Paths
from account_health.quality.registry import ModelSuite, ValueSet, all_suites, documented_columns
from account_health.sql import quote_ident, quote_literal

if TYPE_CHECKING:
    import pandas as pd

    from account_health.quality.gx_runner import GxRunner, SuiteOutcome

THRESHOLDS_TABLE = "quality_thresholds"
ROW_COUNT_CHANGE = "max_row_count_change_pct"
BAND_DRIFT = "max_band_share_drift"
MAX_ROWS = "max_rows_in_memory"
#: Used only while the thresholds seed is missing (which is itself reported as a failure).
DEFAULT_MAX_ROWS = 100_000
SAMPLE_SEED = 42


@dataclass(frozen=True)
class QualityFailure:
    """One failed expectation on one table, or a table/config that could not be checked at all."""

    layer: str
    table: str
    expectation: str
    column: str | None
    detail: str

    def __str__(self) -> str:
        where = f" on {self.column}" if self.column else ""
        return f"{self.layer}.{self.table}: {self.expectation}{where}: {self.detail}"


@dataclass
class ValidationCounts:
    tables_validated: int = 0
    tables_skipped: int = 0
    tables_sampled: int = 0
    suites: int = 0
    expectations: int = 0
    expectations_failed: int = 0


@dataclass
class ValidationReport:
    """What the gate found. `ok` is False when any expectation failed or a required table is missing."""

    run_id: str
    failures: list[QualityFailure] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    counts: ValidationCounts = field(default_factory=ValidationCounts)
    outcomes: list[SuiteOutcome] = field(default_factory=list)
    result_paths: list[Path] = field(default_factory=list)
    summary_path: Path | None = None
    docs_path: Path | None = None
    elapsed: float = 0.0
    seconds_by_table: dict[str, float] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.failures

    def summary(self) -> str:
        counts = self.counts
        head = (
            f"{counts.tables_validated} tables, {counts.expectations} expectations, "
            f"{counts.expectations_failed} failed, {counts.tables_skipped} skipped"
        )
        if self.ok:
            return f"quality gate passed: {head}"
        return f"quality gate failed: {head}: " + "; ".join(str(failure) for failure in self.failures)


@dataclass(frozen=True)
class Thresholds:
    """Rows of config.quality_thresholds: (threshold_id, model or None) -> value."""

    values: dict[tuple[str, str | None], float]

    def get(self, threshold_id: str, model: str | None = None) -> float | None:
        if (threshold_id, model) in self.values:
            return self.values[(threshold_id, model)]
        return self.values.get((threshold_id, None))


def load_thresholds(con: duckdb.DuckDBPyConnection) -> Thresholds | None:
    """The thresholds seed, or None when it has not been built into the warehouse."""
    if not _exists(con, "config", THRESHOLDS_TABLE):
        return None
    rows = con.execute(
        f"select threshold_id, nullif(trim(model_name), ''), threshold_value from config.{THRESHOLDS_TABLE}"
    ).fetchall()
    return Thresholds({(str(tid), model): float(value) for tid, model, value in rows if value is not None})


def _exists(con: duckdb.DuckDBPyConnection, schema: str, table: str, catalog: str | None = None) -> bool:
    catalog_sql = "table_catalog = ?" if catalog else "table_catalog = current_database()"
    params = [catalog] if catalog else []
    return bool(
        con.execute(
            f"select count(*) from information_schema.tables where {catalog_sql} "
            "and table_schema = ? and table_name = ?",
            [*params, schema, table],
        ).fetchone()[0]
    )


def _columns(con: duckdb.DuckDBPyConnection, relation: str) -> list[str]:
    return [row[0] for row in con.execute(f"describe select * from {relation}").fetchall()]


def resolve_values(con: duckdb.DuckDBPyConnection, value_set: ValueSet) -> tuple[list[str], str | None]:
    """The accepted values of a ValueSet (with its seed's values when present) and a note when the seed was
    missing and the fallback used."""
    values = list(value_set.values)
    note = None
    if value_set.seed and value_set.seed_column:
        if _exists(con, "config", value_set.seed):
            rows = con.execute(
                f"select distinct {quote_ident(value_set.seed_column)}::varchar "
                f"from config.{quote_ident(value_set.seed)} "
                f"where {quote_ident(value_set.seed_column)} is not null order by 1"
            ).fetchall()
            values += [row[0] for row in rows]
        else:
            values += list(value_set.fallback)
            note = f"config.{value_set.seed} missing: {value_set.column} checked against {value_set.fallback}"
    return sorted(set(values)), note


def _previous_row_counts(paths: Paths) -> dict[str, int] | None:
    """Row counts of the last published run, from the serving manifest the publish step writes."""
    manifest_path = paths.serving_dir / "manifest.json"
    if not manifest_path.exists():
        return None
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    return {name: int(table["rows"]) for name, table in (manifest.get("tables") or {}).items()}


@dataclass
class _Metrics:
    """The one-row metrics frame of a table and, per metric column, what it means and its bounds."""

    values: dict[str, float] = field(default_factory=dict)
    meaning: dict[str, tuple[str, str | None]] = field(default_factory=dict)
    bounds: dict[str, tuple[float | None, float | None]] = field(default_factory=dict)

    def add(
        self,
        name: str,
        value: float,
        expectation: str,
        column: str | None,
        low: float | None,
        high: float | None,
    ) -> None:
        self.values[name] = value
        self.meaning[name] = (expectation, column)
        self.bounds[name] = (low, high)


class Gate:
    """One validation run over a read-only warehouse connection."""

    def __init__(self, paths: Paths, con: duckdb.DuckDBPyConnection, runner: GxRunner, run_id: str) -> None:
        self.paths = paths
        self.con = con
        self.runner = runner
        self.run_id = run_id
        self.report = ValidationReport(run_id=run_id)
        self.thresholds = load_thresholds(con)
        if self.thresholds is None:
            self._fail(
                "config",
                THRESHOLDS_TABLE,
                "table_exists",
                None,
                "the thresholds seed is not in the warehouse: run dbt build (seeds) first",
            )
        self.previous_rows = _previous_row_counts(paths)
        self.documented = documented_columns()

    # ----------------------------------------------------------------------------------------------
    def _fail(self, layer: str, table: str, expectation: str, column: str | None, detail: str) -> None:
        self.report.failures.append(QualityFailure(layer, table, expectation, column, detail))

    def _note(self, suite: ModelSuite, text: str) -> None:
        self.report.notes.append(f"{suite.layer}.{suite.model}: {text}")

    def _threshold(self, threshold_id: str, model: str) -> float | None:
        return self.thresholds.get(threshold_id, model) if self.thresholds else None

    # ----------------------------------------------------------------------------------------------
    def run_suite(self, suite: ModelSuite) -> None:
        started = time.perf_counter()
        if not _exists(self.con, suite.layer, suite.model):
            if suite.required:
                self._fail(
                    suite.layer, suite.model, "table_exists", None, "table is missing from the warehouse"
                )
            else:
                self.report.counts.tables_skipped += 1
                self._note(suite, "not built yet: suite skipped")
            return
        columns = _columns(self.con, suite.relation)
        documented = self.documented.get(suite.model)
        expectations = self._row_expectations(suite, columns, documented)
        row_count = self.con.execute(f"select count(*) from {suite.relation}").fetchone()[0]
        limit = int(self._threshold(MAX_ROWS, suite.model) or DEFAULT_MAX_ROWS)
        sampled = row_count > limit
        if sampled:
            self.report.counts.tables_sampled += 1
            df = self.con.execute(
                f"select * from {suite.relation} "
                f"using sample reservoir({limit} rows) repeatable ({SAMPLE_SEED})"
            ).df()
            self._note(suite, f"{row_count} rows: GX checked a sample of {limit}, whole-table metrics in SQL")
        else:
            df = self.con.execute(f"select * from {suite.relation}").df()
        self._validate(suite, expectations, df, suite.name, suite.model)
        metrics = self._metrics(suite, columns, row_count, sampled)
        self._validate_metrics(suite, metrics)
        self.report.counts.tables_validated += 1
        self.report.seconds_by_table[f"{suite.layer}.{suite.model}"] = time.perf_counter() - started

    def _row_expectations(
        self, suite: ModelSuite, columns: list[str], documented: tuple[str, ...] | None
    ) -> list[Any]:
        import great_expectations.expectations as gxe
        from great_expectations.expectations.row_conditions import Column as Col

        present = set(columns)

        def usable(column: str) -> bool:
            # An undocumented model is still being built: check only the declared columns it already has.
            if documented is None and column not in present:
                self._note(suite, f"column {column} not in the table (model undocumented): its check skipped")
                return False
            return True

        expectations: list[Any] = []
        if documented is not None:
            expectations.append(
                gxe.ExpectTableColumnsToMatchSet(column_set=list(documented), exact_match=True)
            )
        else:
            self._note(suite, "no YAML columns: schema expectation skipped")
        key = [column for column in suite.key if usable(column)]
        expectations += [gxe.ExpectColumnValuesToNotBeNull(column=column) for column in key]
        if len(key) == 1:
            expectations.append(gxe.ExpectColumnValuesToBeUnique(column=key[0]))
        elif len(key) > 1:
            expectations.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=key))
        expectations += [
            gxe.ExpectColumnValuesToNotBeNull(column=column) for column in suite.not_null if usable(column)
        ]
        for bound in suite.ranges_for(columns):
            if not usable(bound.column):
                continue
            kwargs: dict[str, Any] = {"column": bound.column}
            if bound.min_value is not None:
                kwargs["min_value"] = bound.min_value
            if bound.max_value is not None:
                kwargs["max_value"] = bound.max_value
            if bound.when_column is not None:
                kwargs["row_condition"] = Col(name=bound.when_column) == bound.when_value
            expectations.append(gxe.ExpectColumnValuesToBeBetween(**kwargs))
        for value_set in suite.value_sets:
            if not usable(value_set.column):
                continue
            values, note = resolve_values(self.con, value_set)
            if note:
                self._note(suite, note)
            expectations.append(gxe.ExpectColumnValuesToBeInSet(column=value_set.column, value_set=values))
        expectations += [
            gxe.ExpectColumnValuesToMatchRegex(column=pattern.column, regex=f"^(?:{pattern.regex})$")
            for pattern in suite.patterns
            if usable(pattern.column)
        ]
        return expectations

    def _metrics(self, suite: ModelSuite, columns: list[str], row_count: int, sampled: bool) -> _Metrics:
        metrics = _Metrics()
        metrics.add("row_count", float(row_count), "row_count", None, 0, None)
        self._row_count_change(suite, row_count, metrics)
        if suite.band_drift is not None:
            self._band_drift(suite, columns, metrics)
        if sampled:
            self._whole_table_metrics(suite, columns, metrics)
        return metrics

    def _row_count_change(self, suite: ModelSuite, row_count: int, metrics: _Metrics) -> None:
        if not suite.row_count_change:
            return
        limit = self._threshold(ROW_COUNT_CHANGE, suite.model)
        if limit is None:
            self._note(suite, "row-count change skipped: no threshold")
            return
        if self.previous_rows is None:
            self._note(suite, "row-count change skipped: no previous publish")
            return
        previous = self.previous_rows.get(suite.model)
        if previous is None:
            self._note(suite, "row-count change skipped: the table was not in the last publish")
            return
        if previous == 0:
            self._note(suite, "row-count change skipped: the last publish had 0 rows")
            return
        change = (row_count - previous) / previous * 100
        metrics.add(
            "row_count_change_pct",
            round(change, 4),
            "row_count_change_vs_last_publish",
            f"{previous} -> {row_count} rows",
            -limit,
            limit,
        )

    def _band_shares(self, relation: str, drift: Any) -> dict[str, float]:
        band, day, entity = (
            quote_ident(drift.band_column),
            quote_ident(drift.date_column),
            quote_ident(drift.entity_column),
        )
        rows = self.con.execute(
            f"with latest as (select * from {relation} where {day} = (select max({day}) from {relation})) "
            f"select {band}::varchar, count(distinct {entity}) * 1.0 / "
            f"(select count(distinct {entity}) from latest where {band} is not null) "
            f"from latest where {band} is not null group by 1 order by 1"
        ).fetchall()
        return {str(name): float(share) for name, share in rows}

    def _band_drift(self, suite: ModelSuite, columns: list[str], metrics: _Metrics) -> None:
        drift = suite.band_drift
        assert drift is not None
        limit = self._threshold(BAND_DRIFT, suite.model)
        missing = [c for c in (drift.band_column, drift.date_column, drift.entity_column) if c not in columns]
        if missing:
            self._note(suite, f"band drift skipped: no column {', '.join(missing)}")
            return
        if limit is None:
            self._note(suite, "band drift skipped: no threshold")
            return
        serving = self.paths.serving_path
        if not serving.exists():
            self._note(suite, "band drift skipped: no previous publish")
            return
        current = self._band_shares(suite.relation, drift)
        if not current:
            self._note(suite, "band drift skipped: no account has a band on the latest day")
            return
        try:
            self.con.execute(f"attach {quote_literal(str(serving))} as published (read_only)")
        except duckdb.Error as error:
            self._note(suite, f"band drift skipped: cannot open the serving database ({error})")
            return
        try:
            if not _exists(self.con, "main", suite.model, catalog="published"):
                self._note(suite, "band drift skipped: the table was not in the last publish")
                return
            previous = self._band_shares(f"published.main.{quote_ident(suite.model)}", drift)
        finally:
            self.con.execute("detach published")
        if not previous:
            self._note(suite, "band drift skipped: no account had a band in the last publish")
            return
        for band in sorted(set(current) | set(previous)):
            change = current.get(band, 0.0) - previous.get(band, 0.0)
            metrics.add(
                f"band_share_change__{band}",
                round(change, 6),
                "band_share_drift_vs_last_publish",
                f"{drift.band_column}={band} ({previous.get(band, 0.0):.3f} -> {current.get(band, 0.0):.3f})",
                -limit,
                limit,
            )

    def _whole_table_metrics(self, suite: ModelSuite, columns: list[str], metrics: _Metrics) -> None:
        """Null counts, key duplicates, min/max, out-of-set and pattern counts over the whole table in SQL."""
        present = set(columns)
        selects: list[str] = []
        params: list[Any] = []
        specs: list[tuple[str, str, str | None, float | None, float | None]] = []

        def add(
            sql: str, name: str, expectation: str, column: str | None, low: float | None, high: float | None
        ):
            selects.append(f"({sql})::double as {quote_ident(name)}")
            specs.append((name, expectation, column, low, high))

        for column in dict.fromkeys([*suite.key, *suite.not_null]):
            if column in present:
                add(
                    f"count(*) filter (where {quote_ident(column)} is null)",
                    f"null_count__{column}",
                    "expect_column_values_to_not_be_null (whole table)",
                    column,
                    0,
                    0,
                )
        for index, bound in enumerate(suite.ranges_for(columns)):
            if bound.column not in present:
                continue
            condition = ""
            if bound.when_column:
                condition = (
                    f" filter (where {quote_ident(bound.when_column)} = {quote_literal(bound.when_value)})"
                )
            col = quote_ident(bound.column)
            if bound.min_value is not None:
                add(
                    f"coalesce(min({col}){condition}, {bound.min_value})",
                    f"min__{bound.column}__{index}",
                    "expect_column_values_to_be_between (whole table)",
                    bound.column,
                    bound.min_value,
                    None,
                )
            if bound.max_value is not None:
                add(
                    f"coalesce(max({col}){condition}, {bound.max_value})",
                    f"max__{bound.column}__{index}",
                    "expect_column_values_to_be_between (whole table)",
                    bound.column,
                    None,
                    bound.max_value,
                )
        for value_set in suite.value_sets:
            if value_set.column not in present:
                continue
            values, _ = resolve_values(self.con, value_set)
            col = quote_ident(value_set.column)
            selects.append(
                f"(count(*) filter (where {col} is not null "
                f"and not list_contains(?::varchar[], {col}::varchar)))"
                f"::double as {quote_ident('outside_set__' + value_set.column)}"
            )
            params.append(values)
            specs.append(
                (
                    f"outside_set__{value_set.column}",
                    "expect_column_values_to_be_in_set (whole table)",
                    value_set.column,
                    0,
                    0,
                )
            )
        for pattern in suite.patterns:
            if pattern.column not in present:
                continue
            col = quote_ident(pattern.column)
            selects.append(
                f"(count(*) filter (where {col} is not null and not regexp_full_match({col}::varchar, ?)))"
                f"::double as {quote_ident('not_matching__' + pattern.column)}"
            )
            params.append(pattern.regex)
            specs.append(
                (
                    f"not_matching__{pattern.column}",
                    "expect_column_values_to_match_regex (whole table)",
                    pattern.column,
                    0,
                    0,
                )
            )
        if selects:
            row = self.con.execute(f"select {', '.join(selects)} from {suite.relation}", params).fetchone()
            for (name, expectation, column, low, high), value in zip(specs, row, strict=True):
                metrics.add(name, float(value), expectation, column, low, high)
        key = [column for column in suite.key if column in present]
        if key:
            key_sql = ", ".join(quote_ident(column) for column in key)
            duplicates = self.con.execute(
                f"select count(*) from (select {key_sql} from {suite.relation} "
                "group by all having count(*) > 1)"
            ).fetchone()[0]
            metrics.add(
                "duplicate_keys",
                float(duplicates),
                "expect_compound_columns_to_be_unique (whole table)",
                ", ".join(key),
                0,
                0,
            )

    # ----------------------------------------------------------------------------------------------
    def _validate(
        self, suite: ModelSuite, expectations: list[Any], df: pd.DataFrame, name: str, table: str
    ) -> None:
        import great_expectations as gx

        gx_suite = gx.ExpectationSuite(name=name)
        for expectation in expectations:
            gx_suite.add_expectation(expectation)
        outcome = self.runner.validate_dataframe(
            gx_suite, df, layer=suite.layer, batch_name=f"{name}__{self.run_id}"
        )
        self._record(suite, outcome, translate=None)

    def _validate_metrics(self, suite: ModelSuite, metrics: _Metrics) -> None:
        import great_expectations as gx
        import great_expectations.expectations as gxe
        import pandas as pd

        name = f"{suite.name}__metrics"
        gx_suite = gx.ExpectationSuite(name=name)
        for column, (low, high) in metrics.bounds.items():
            kwargs: dict[str, Any] = {"column": column}
            if low is not None:
                kwargs["min_value"] = low
            if high is not None:
                kwargs["max_value"] = high
            gx_suite.add_expectation(gxe.ExpectColumnMaxToBeBetween(**kwargs))
        df = pd.DataFrame([metrics.values])
        outcome = self.runner.validate_dataframe(
            gx_suite, df, layer=suite.layer, batch_name=f"{name}__{self.run_id}"
        )
        self._record(suite, outcome, translate=metrics.meaning)

    def _record(
        self, suite: ModelSuite, outcome: SuiteOutcome, translate: dict[str, tuple[str, str | None]] | None
    ) -> None:
        report = self.report
        report.outcomes.append(outcome)
        report.counts.suites += 1
        report.counts.expectations += outcome.evaluated
        report.counts.expectations_failed += len(outcome.failures)
        if outcome.result_path is not None:
            report.result_paths.append(outcome.result_path)
        for failure in outcome.failures:
            expectation, column = failure.expectation, failure.column
            if translate is not None and failure.column in translate:
                expectation, column = translate[failure.column]
            self._fail(suite.layer, suite.model, expectation, column, failure.detail)


def _run_id() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def validate(paths: Paths, suites: list[ModelSuite] | None = None) -> ValidationReport:
    """Run the staging and mart suites against `paths.warehouse_path` (read-only) and build Data Docs.

    Returns a ValidationReport; `ok` False means publish must not run. Raises nothing for failed expectations.
    """
    from account_health.quality.gx_runner import GxRunner

    started = time.perf_counter()
    run_id = _run_id()
    if not paths.warehouse_path.exists():
        report = ValidationReport(run_id=run_id)
        report.failures.append(
            QualityFailure(
                "warehouse",
                paths.warehouse_path.name,
                "warehouse_exists",
                None,
                f"no warehouse at {paths.warehouse_path}: run land and build first",
            )
        )
        return report
    runner = GxRunner(paths.quality_dir)
    con = duckdb.connect(str(paths.warehouse_path), read_only=True)
    con.execute("set enable_progress_bar = false")  # DuckDB would draw bars on stdout for big scans
    try:
        gate = Gate(paths, con, runner, run_id)
        for suite in suites if suites is not None else all_suites():
            try:
                gate.run_suite(suite)
            except duckdb.Error as error:
                gate._fail(suite.layer, suite.model, "query", None, f"could not be read: {error}")
    finally:
        con.close()
    report = gate.report
    report.docs_path = runner.build_docs()
    report.elapsed = time.perf_counter() - started
    report.summary_path = _write_summary(paths.quality_dir, report)
    return report


def _write_summary(quality_dir: Path, report: ValidationReport) -> Path:
    folder = quality_dir / "validation"
    folder.mkdir(parents=True, exist_ok=True)
    payload = {
        "run_id": report.run_id,
        "ok": report.ok,
        "elapsed_seconds": round(report.elapsed, 3),
        "counts": asdict(report.counts),
        "failures": [asdict(failure) for failure in report.failures],
        "notes": report.notes,
        "results": [str(path) for path in report.result_paths],
        "seconds_by_table": {name: round(value, 3) for name, value in report.seconds_by_table.items()},
    }
    text = json.dumps(payload, indent=2, default=_json_default)
    path = folder / f"{report.run_id}.json"
    path.write_text(text, encoding="utf-8")
    (folder / "latest.json").write_text(text, encoding="utf-8")
    return path


def _json_default(value: Any) -> Any:
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return str(value)
