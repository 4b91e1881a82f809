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

Each check is written once, in its GX and its SQL form side by side (quality/checks.py); the comparisons
with the last publish and the thresholds are in quality/drift.py, the report and summary in quality/report.py.

Results: `<quality_dir>/<layer>/<model>[__metrics]__<run id>.json` (GX results), a run summary in
`<quality_dir>/validation/<run id>.json` (and `latest.json`), and Data Docs in `<quality_dir>/data_docs/`.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import duckdb

from account_health.paths import Paths
from account_health.quality.checks import Check, suite_checks, table_metrics
from account_health.quality.drift import (
    BAND_DRIFT,
    MAX_ROWS,
    ROW_COUNT_CHANGE,
    THRESHOLDS_TABLE,
    MetricsFrame,
    band_drift,
    load_thresholds,
    previous_row_counts,
    row_count_change,
)
from account_health.quality.gx_runner import new_suite
from account_health.quality.registry import ModelSuite, all_suites, documented_columns
from account_health.quality.report import QualityFailure, ValidationReport, write_summary
from account_health.quality.warehouse import table_columns, table_exists
from account_health.resources import resources

if TYPE_CHECKING:
    import pandas as pd

    from account_health.quality.gx_runner import GxRunner, SuiteOutcome

__all__ = ["Gate", "QualityFailure", "ValidationReport", "validate"]

#: Used only while the thresholds seed is missing (which is itself reported as a failure).
DEFAULT_MAX_ROWS = 100_000
SAMPLE_SEED = 42


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
            self.fail(
                "config",
                THRESHOLDS_TABLE,
                "table_exists",
                None,
                "the thresholds seed is not in the warehouse: run dbt build (seeds) first",
            )
        self.previous_rows = previous_row_counts(paths.serving_dir)
        self.documented = documented_columns()

    def fail(self, layer: str, table: str, expectation: str, column: str | None, detail: str) -> None:
        self.report.failures.append(QualityFailure(layer, table, expectation, column, detail))

    def _note(self, suite: ModelSuite, text: str) -> None:
        self.report.notes.append(f"{suite.layer}.{suite.model}: {text}")

    def _threshold(self, threshold_id: str, model: str) -> float | None:
        return self.thresholds.get(threshold_id, model) if self.thresholds else None

    def run_suite(self, suite: ModelSuite) -> None:
        started = time.perf_counter()
        if not table_exists(self.con, suite.layer, suite.model):
            if suite.required:
                self.fail(
                    suite.layer, suite.model, "table_exists", None, "table is missing from the warehouse"
                )
            else:
                self.report.counts.tables_skipped += 1
                self._note(suite, "not built yet: suite skipped")
            return
        columns = table_columns(self.con, suite.relation)
        checks = suite_checks(
            self.con, suite, columns, self.documented.get(suite.model), lambda text: self._note(suite, text)
        )
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
        self._validate_rows(suite, checks, df)
        self._validate_metrics(suite, self._metrics(suite, checks, columns, row_count, sampled))
        self.report.counts.tables_validated += 1
        self.report.seconds_by_table[f"{suite.layer}.{suite.model}"] = time.perf_counter() - started

    def _metrics(
        self, suite: ModelSuite, checks: list[Check], columns: list[str], row_count: int, sampled: bool
    ) -> MetricsFrame:
        """Row count, its change and the band drift since the last publish, and for a sampled table every
        check counted over the whole table."""
        metrics = MetricsFrame()
        metrics.add("row_count", float(row_count), "row_count", None, 0, None)

        def note(text: str) -> None:
            self._note(suite, text)

        limit = self._threshold(ROW_COUNT_CHANGE, suite.model)
        row_count_change(suite, row_count, limit, self.previous_rows, metrics, note)
        if suite.band_drift is not None:
            limit = self._threshold(BAND_DRIFT, suite.model)
            band_drift(self.con, suite, columns, limit, self.paths.serving_path, metrics, note)
        if sampled:
            for metric, value in table_metrics(self.con, suite.relation, checks, columns):
                metrics.add(metric.name, value, metric.expectation, metric.column, metric.low, metric.high)
        return metrics

    def _validate_rows(self, suite: ModelSuite, checks: list[Check], df: pd.DataFrame) -> None:
        expectations = (expectation for check in checks for expectation in check.expectations())
        gx_suite = new_suite(suite.name, expectations)
        outcome = self.runner.validate_dataframe(
            gx_suite, df, layer=suite.layer, batch_name=f"{suite.name}__{self.run_id}"
        )
        self._record(suite, outcome, translate=None)

    def _validate_metrics(self, suite: ModelSuite, metrics: MetricsFrame) -> None:
        import great_expectations.expectations as gxe
        import pandas as pd

        name = f"{suite.name}__metrics"
        expectations = []
        for column, (low, high) in metrics.bounds.items():
            kwargs: dict[str, Any] = {"column": column}
            if low is not None:
                kwargs["min_value"] = low
            if high is not None:
                kwargs["max_value"] = high
            expectations.append(gxe.ExpectColumnMaxToBeBetween(**kwargs))
        gx_suite = new_suite(name, expectations)
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
            self.fail(suite.layer, suite.model, expectation, column, failure.detail)


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
    con = duckdb.connect(str(paths.warehouse_path), read_only=True, config=resources().duckdb_config())
    con.execute("set enable_progress_bar = false")  # DuckDB would draw bars on stdout for big scans
    try:
        gate = Gate(paths, con, runner, run_id)
        for suite in suites if suites is not None else all_suites():
            try:
                gate.run_suite(suite)
            except duckdb.Error as error:
                gate.fail(suite.layer, suite.model, "query", None, f"could not be read: {error}")
    finally:
        con.close()
    report = gate.report
    report.docs_path = runner.build_docs()
    report.elapsed = time.perf_counter() - started
    report.summary_path = write_summary(paths.quality_dir, report)
    return report
