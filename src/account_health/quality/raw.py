"""The raw-layer Great Expectations suite: one suite per contract table, run on each landing batch.

Landing already quarantines rows that break the contract in SQL; this suite checks the batch that is about
to be committed, independently, from the same contract: columns, required values, key uniqueness within the
batch, accepted values and ranges. A failure means landing let something through that it should not have,
so the batch is rolled back and the file rejected with the failed expectation named.

Ranges are declared here (not parsed from the contract's SQL checks) so the suite is a second opinion rather
than the same code run twice. Keys across loads and foreign keys are checked by landing and dbt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from account_health.contract import TABLES, Table
from account_health.quality.gx_runner import new_suite
from account_health.sql import quote_ident, quote_literal

if TYPE_CHECKING:
    import pandas as pd
    from great_expectations import ExpectationSuite

    from account_health.quality.gx_runner import GxRunner, SuiteOutcome

LAYER = "raw"


@dataclass(frozen=True)
class Range:
    """`min_value <= column <= max_value` (None: unbounded), only where `when_column == when_value` if set."""

    column: str
    min_value: float | None = None
    max_value: float | None = None
    when_column: str | None = None
    when_value: str | None = None


RANGES: dict[str, tuple[Range, ...]] = {
    "accounts": (Range("employee_count", 0),),
    "opportunities": (Range("amount", 0),),
    "subscriptions": (Range("seats", 0), Range("mrr", 0)),
    "support_cases": (Range("csat", 1, 5),),
    "survey_responses": (
        Range("score", 0, 10, "survey_type", "nps"),
        Range("score", 1, 5, "survey_type", "csat"),
        Range("score", 1, 5, "survey_type", "success_check"),
    ),
    "csm_assessments": (Range("rating", 1, 5),),
    "wallet_estimates": (Range("total_category_spend", 0),),
}


def suite_name(table: Table) -> str:
    return f"{LAYER}__{table.name}"


def build_expectations(table: Table) -> list[Any]:
    """The expectations for one raw table, derived from the contract plus `RANGES` (quality/checks.py)."""
    from account_health.quality.checks import Between, Columns, InSet, NotNull, Unique

    checks = [
        Columns(tuple(table.column_names)),
        *(NotNull(name) for name in table.required_columns),
        Unique(table.key),
        *(InSet(column.name, column.accepted) for column in table.columns if column.accepted),
        *(Between(bound) for bound in RANGES.get(table.name, ())),
    ]
    return [expectation for check in checks for expectation in check.expectations()]


def raw_suite(table: Table) -> ExpectationSuite:
    return new_suite(suite_name(table), build_expectations(table))


@dataclass(frozen=True)
class Metric:
    """One expectation of the raw suite as a SQL count of the rows breaking it, per landing file."""

    name: str  # the metric column: a safe SQL and GX name
    expectation: str  # the GX expectation it stands for, as named in a failure
    column: str
    detail: str  # what was expected, for the failure message
    sql: str  # a count(*) filter (...) over `good` joined to `repeated`


def build_metrics(table: Table) -> list[Metric]:
    """The suite's row expectations (`build_expectations`, from the same contract and `RANGES`) as SQL."""
    metrics = [
        Metric(
            f"m{index:02d}_not_null",
            "expect_column_values_to_not_be_null",
            name,
            "no nulls",
            f"count(*) filter (where good.{quote_ident(name)} is null)",
        )
        for index, name in enumerate(table.required_columns)
    ]
    key = ", ".join(table.key)
    unique = (
        "expect_column_values_to_be_unique" if len(table.key) == 1 else "expect_compound_columns_to_be_unique"
    )
    metrics.append(Metric("m_unique", unique, key, "unique in the batch", "count(repeated._repeated)"))
    for index, column in enumerate(table.columns):
        if column.accepted:
            values = ", ".join(quote_literal(value) for value in column.accepted)
            metrics.append(
                Metric(
                    f"m{index:02d}_in_set",
                    "expect_column_values_to_be_in_set",
                    column.name,
                    f"in {list(column.accepted)}",
                    f"count(*) filter (where good.{quote_ident(column.name)} not in ({values}))",
                )
            )
    for index, bound in enumerate(RANGES.get(table.name, ())):
        outside = []
        if bound.min_value is not None:
            outside.append(f"good.{quote_ident(bound.column)} < {bound.min_value}")
        if bound.max_value is not None:
            outside.append(f"good.{quote_ident(bound.column)} > {bound.max_value}")
        condition = f"({' or '.join(outside)})"
        if bound.when_column is not None:
            condition += f" and good.{quote_ident(bound.when_column)} = {quote_literal(bound.when_value)}"
        metrics.append(
            Metric(
                f"r{index:02d}_between",
                "expect_column_values_to_be_between",
                bound.column,
                f"min {bound.min_value}, max {bound.max_value}"
                + (f" where {bound.when_column} = {bound.when_value!r}" if bound.when_column else ""),
                f"count(*) filter (where {condition})",
            )
        )
    return metrics


def metrics_sql(table: Table, relation: str, file_column: str, candidates: str | None = None) -> str:
    """One row per file of `relation` (its good rows) with the count of rows breaking each expectation.

    `candidates`: a relation with the only keys that can repeat in `relation` (landing's keys repeated
    before it marked duplicates, which only takes rows out), so the uniqueness count groups those few
    keys, not every row; the count is the same. `good` is read twice, not materialised (DuckDB would copy
    every row of a million-row batch first: 0.19 s against 0.11 s, measured).
    """
    keys = ", ".join(quote_ident(name) for name in table.key)

    def on(left: str, right: str) -> str:
        return " and ".join(f"{left}.{quote_ident(name)} = {right}.{quote_ident(name)}" for name in table.key)

    probed = (
        f"good semi join {candidates} as candidates on {on('good', 'candidates')}" if candidates else "good"
    )
    selects = ",\n            ".join(f"{metric.sql} as {metric.name}" for metric in build_metrics(table))
    return f"""
        with good as not materialized (select * from {relation}),
        repeated as (
            select {keys}, true as _repeated from {probed} group by {keys} having count(*) > 1
        )
        select good.{quote_ident(file_column)} as file,
            {selects}
        from good
        left join repeated on {on("good", "repeated")}
        group by good.{quote_ident(file_column)}
        order by 1
        """


#: The columns of the frame Great Expectations validates (`metrics_frame`): one row per file and metric.
METRIC_FRAME_COLUMNS = ("file", "expectation", "column", "expected", "unexpected_rows")
#: Which columns name a row breaking the suite in its result (and Data Docs).
METRIC_INDEX_COLUMNS = ["file", "expectation", "column"]


def metrics_suite(table: Table) -> ExpectationSuite:
    """GX's side of the SQL metrics: one expectation, every file's count of every metric must be 0.

    The counts come as one row per file and metric (`metrics_frame`), not one column per metric: GX's cost
    is per expectation (about 20 ms each, on a one-row frame), not per row, so one expectation over a
    long frame checks the same counts several times faster; its result names each failing row's file and
    metric (`METRIC_INDEX_COLUMNS`)."""
    import great_expectations.expectations as gxe

    return new_suite(
        suite_name(table),
        [gxe.ExpectColumnValuesToBeBetween(column="unexpected_rows", min_value=0, max_value=0)],
    )


def metrics_frame(table: Table, rows: list[tuple[Any, ...]]) -> pd.DataFrame:
    """`metrics_sql`'s rows (a file, then one count per metric) as one row per file and metric."""
    import pandas as pd

    metrics = build_metrics(table)
    records = [
        (str(row[0]), metric.expectation, metric.column, metric.detail, int(count))
        for row in rows
        for metric, count in zip(metrics, row[1:], strict=True)
    ]
    return pd.DataFrame.from_records(records, columns=list(METRIC_FRAME_COLUMNS))


class RawSuites:
    """Builds each table's suite once per landing run and validates batches with a shared GxRunner.

    Landing uses `metrics` then `validate_metrics`: the suite's row expectations are counted in DuckDB per
    file (`metrics_sql`), and Great Expectations validates those counts (one row per file, every count 0),
    so a batch of a million rows costs a scan in SQL, not a pandas copy; the two halves are apart so that GX
    can validate while DuckDB does other work. `validate` runs the full suite on a DataFrame.
    """

    def __init__(self, runner: GxRunner) -> None:
        self.runner = runner
        self._suites: dict[str, ExpectationSuite] = {}
        self._metric_suites: dict[str, ExpectationSuite] = {}

    def prepare(self, table_name: str) -> ExpectationSuite:
        """The table's metrics suite, registered with GX (once per run; landing does it in the background
        while DuckDB reads the first file)."""
        if table_name not in self._metric_suites:
            suite = metrics_suite(TABLES[table_name])
            self.runner.register(LAYER, suite)
            self._metric_suites[table_name] = suite
        return self._metric_suites[table_name]

    def validate(self, table_name: str, df: pd.DataFrame, batch_name: str) -> SuiteOutcome:
        table = TABLES[table_name]
        if table_name not in self._suites:
            self._suites[table_name] = raw_suite(table)
        return self.runner.validate_dataframe(
            self._suites[table_name], df, layer=LAYER, batch_name=batch_name
        )

    def metrics(
        self, con: Any, table_name: str, relation: str, file_column: str, candidates: str | None = None
    ) -> pd.DataFrame:
        """In DuckDB: the counts per file and metric of `relation` (a relation of the table's contract columns
        plus `file_column`; `candidates`: as in `metrics_sql`), as `metrics_frame`."""
        table = TABLES[table_name]
        rows = con.execute(metrics_sql(table, relation, file_column, candidates)).fetchall()
        return metrics_frame(table, rows)

    def validate_metrics(
        self, table_name: str, frame: pd.DataFrame, batch_name: str
    ) -> tuple[SuiteOutcome, dict[str, str]]:
        """In Great Expectations alone (no DuckDB connection): the counts
        (`metrics`) validated; the outcome and, per failing file, what it broke."""
        table = TABLES[table_name]
        outcome = self.runner.validate_dataframe(
            self.prepare(table_name),
            frame,
            layer=LAYER,
            batch_name=batch_name,
            index_columns=METRIC_INDEX_COLUMNS,
        )
        failed: dict[str, list[str]] = {}
        for file, expectation, column, expected, count in frame.itertuples(index=False):
            if count:
                problem = f"{expectation} on {column}: {count} unexpected"
                failed.setdefault(file, []).append(f"{problem} (expected {expected})")
        name = suite_name(table)
        return outcome, {file: f"{name} failed: " + "; ".join(problems) for file, problems in failed.items()}
