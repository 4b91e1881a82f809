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
    """The expectations for one raw table, derived from the contract plus `RANGES`."""
    import great_expectations.expectations as gxe
    from great_expectations.expectations.row_conditions import Column as Col

    expectations: list[Any] = [
        gxe.ExpectTableColumnsToMatchSet(column_set=table.column_names, exact_match=True),
    ]
    expectations += [gxe.ExpectColumnValuesToNotBeNull(column=name) for name in table.required_columns]
    if len(table.key) == 1:
        expectations.append(gxe.ExpectColumnValuesToBeUnique(column=table.key[0]))
    else:
        expectations.append(gxe.ExpectCompoundColumnsToBeUnique(column_list=list(table.key)))
    expectations += [
        gxe.ExpectColumnValuesToBeInSet(column=column.name, value_set=list(column.accepted))
        for column in table.columns
        if column.accepted
    ]
    for bound in RANGES.get(table.name, ()):
        kwargs: dict[str, Any] = {"column": bound.column}
        if bound.min_value is not None:
            kwargs["min_value"] = bound.min_value
        if bound.max_value is not None:
            kwargs["max_value"] = bound.max_value
        if bound.when_column is not None:
            kwargs["row_condition"] = Col(name=bound.when_column) == bound.when_value
        expectations.append(gxe.ExpectColumnValuesToBeBetween(**kwargs))
    return expectations


def raw_suite(table: Table) -> ExpectationSuite:
    import great_expectations as gx

    suite = gx.ExpectationSuite(name=suite_name(table))
    for expectation in build_expectations(table):
        suite.add_expectation(expectation)
    return suite


class RawSuites:
    """Builds each table's suite once per landing run and validates batches with a shared GxRunner."""

    def __init__(self, runner: GxRunner) -> None:
        self.runner = runner
        self._suites: dict[str, ExpectationSuite] = {}

    def validate(self, table_name: str, df: pd.DataFrame, batch_name: str) -> SuiteOutcome:
        table = TABLES[table_name]
        if table_name not in self._suites:
            self._suites[table_name] = raw_suite(table)
        return self.runner.validate_dataframe(
            self._suites[table_name], df, layer=LAYER, batch_name=batch_name
        )
