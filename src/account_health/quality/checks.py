"""Each kind of check a suite declares, written once: its Great Expectations form and its SQL form.

The gate runs a table's checks twice over, on purpose: as GX expectations on the rows it fetched (all of
them, or a sample of a large table), and, for a sampled table, as whole-table counts in SQL so a sample
never hides a bad row. Both forms of a check live in one class here, next to each other, so they cannot
drift apart; `suite_checks` is the one place that turns a `ModelSuite` into its checks. The raw suite
(quality/raw.py) builds its GX expectations from the same classes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from account_health.quality.warehouse import table_exists
from account_health.sql import quote_ident, quote_literal

if TYPE_CHECKING:
    import duckdb

    from account_health.quality.raw import Range
    from account_health.quality.registry import ModelSuite, ValueSet

WHOLE_TABLE = " (whole table)"


@dataclass(frozen=True)
class TableMetric:
    """One number over the whole table, with the bounds it must fall within.

    `sql` is an aggregate over the table (all of a table's aggregates run in one scan, `params` bound in
    order); `query`, when set instead, is a query of its own returning one number.
    """

    name: str
    expectation: str
    column: str | None
    low: float | None
    high: float | None
    sql: str = ""
    params: tuple[Any, ...] = ()
    query: str = ""


def _gxe() -> Any:
    import great_expectations.expectations as gxe

    return gxe


@dataclass(frozen=True)
class Columns:
    """The table has exactly these columns (the documented ones); no SQL form: it is a catalog check."""

    names: tuple[str, ...]

    def expectations(self) -> list[Any]:
        return [_gxe().ExpectTableColumnsToMatchSet(column_set=list(self.names), exact_match=True)]

    def metrics(self, relation: str, present: set[str]) -> list[TableMetric]:
        return []


@dataclass(frozen=True)
class NotNull:
    column: str

    def expectations(self) -> list[Any]:
        return [_gxe().ExpectColumnValuesToNotBeNull(column=self.column)]

    def metrics(self, relation: str, present: set[str]) -> list[TableMetric]:
        if self.column not in present:
            return []
        return [
            TableMetric(
                f"null_count__{self.column}",
                "expect_column_values_to_not_be_null" + WHOLE_TABLE,
                self.column,
                0,
                0,
                sql=f"count(*) filter (where {quote_ident(self.column)} is null)",
            )
        ]


@dataclass(frozen=True)
class Unique:
    """No two rows share the key (one column or several)."""

    key: tuple[str, ...]

    def expectations(self) -> list[Any]:
        if len(self.key) == 1:
            return [_gxe().ExpectColumnValuesToBeUnique(column=self.key[0])]
        return [_gxe().ExpectCompoundColumnsToBeUnique(column_list=list(self.key))]

    def metrics(self, relation: str, present: set[str]) -> list[TableMetric]:
        key = [column for column in self.key if column in present]
        if not key:
            return []
        key_sql = ", ".join(quote_ident(column) for column in key)
        return [
            TableMetric(
                "duplicate_keys",
                "expect_compound_columns_to_be_unique" + WHOLE_TABLE,
                ", ".join(key),
                0,
                0,
                query=(
                    f"select count(*) from (select {key_sql} from {relation} "
                    "group by all having count(*) > 1)"
                ),
            )
        ]


@dataclass(frozen=True)
class Between:
    """`bound.min_value <= column <= bound.max_value`, where `bound.when_column = bound.when_value` if set.

    `index` numbers the suite's ranges, so two ranges on one column (per survey type) get two metrics."""

    bound: Range
    index: int = 0

    def expectations(self) -> list[Any]:
        bound = self.bound
        kwargs: dict[str, Any] = {"column": bound.column}
        if bound.min_value is not None:
            kwargs["min_value"] = bound.min_value
        if bound.max_value is not None:
            kwargs["max_value"] = bound.max_value
        if bound.when_column is not None:
            from great_expectations.expectations.row_conditions import Column as Col

            kwargs["row_condition"] = Col(name=bound.when_column) == bound.when_value
        return [_gxe().ExpectColumnValuesToBeBetween(**kwargs)]

    def metrics(self, relation: str, present: set[str]) -> list[TableMetric]:
        bound = self.bound
        if bound.column not in present:
            return []
        condition = ""
        if bound.when_column:
            condition = (
                f" filter (where {quote_ident(bound.when_column)} = {quote_literal(bound.when_value)})"
            )
        col = quote_ident(bound.column)
        expectation = "expect_column_values_to_be_between" + WHOLE_TABLE
        metrics = []
        if bound.min_value is not None:
            metrics.append(
                TableMetric(
                    f"min__{bound.column}__{self.index}",
                    expectation,
                    bound.column,
                    bound.min_value,
                    None,
                    sql=f"coalesce(min({col}){condition}, {bound.min_value})",
                )
            )
        if bound.max_value is not None:
            metrics.append(
                TableMetric(
                    f"max__{bound.column}__{self.index}",
                    expectation,
                    bound.column,
                    None,
                    bound.max_value,
                    sql=f"coalesce(max({col}){condition}, {bound.max_value})",
                )
            )
        return metrics


@dataclass(frozen=True)
class InSet:
    column: str
    values: tuple[str, ...]

    def expectations(self) -> list[Any]:
        return [_gxe().ExpectColumnValuesToBeInSet(column=self.column, value_set=list(self.values))]

    def metrics(self, relation: str, present: set[str]) -> list[TableMetric]:
        if self.column not in present:
            return []
        col = quote_ident(self.column)
        return [
            TableMetric(
                f"outside_set__{self.column}",
                "expect_column_values_to_be_in_set" + WHOLE_TABLE,
                self.column,
                0,
                0,
                sql=(
                    f"count(*) filter (where {col} is not null "
                    f"and not list_contains(?::varchar[], {col}::varchar))"
                ),
                params=(list(self.values),),
            )
        ]


@dataclass(frozen=True)
class Matches:
    """Every non-null value fully matches `regex`."""

    column: str
    regex: str

    def expectations(self) -> list[Any]:
        return [_gxe().ExpectColumnValuesToMatchRegex(column=self.column, regex=f"^(?:{self.regex})$")]

    def metrics(self, relation: str, present: set[str]) -> list[TableMetric]:
        if self.column not in present:
            return []
        col = quote_ident(self.column)
        return [
            TableMetric(
                f"not_matching__{self.column}",
                "expect_column_values_to_match_regex" + WHOLE_TABLE,
                self.column,
                0,
                0,
                sql=f"count(*) filter (where {col} is not null and not regexp_full_match({col}::varchar, ?))",
                params=(self.regex,),
            )
        ]


Check = Columns | NotNull | Unique | Between | InSet | Matches


def resolve_values(con: duckdb.DuckDBPyConnection, value_set: ValueSet) -> tuple[list[str], str | None]:
    """The accepted values of a ValueSet (with its seed's values when present) and a note when the seed was
    missing and the fallback used."""
    values = list(value_set.values)
    note = None
    if value_set.seed and value_set.seed_column:
        if table_exists(con, "config", value_set.seed):
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


def suite_checks(
    con: duckdb.DuckDBPyConnection,
    suite: ModelSuite,
    columns: list[str],
    documented: tuple[str, ...] | None,
    note: Callable[[str], None],
) -> list[Check]:
    """The checks of `suite` on a table with `columns`, in the order they are reported.

    The columns are `documented` (the model's YAML) when the model is documented, and a declared check on a
    column the table lacks then fails. An undocumented model is still being built: only the declared checks
    on columns it already has run, and each one skipped is noted.
    """
    present = set(columns)

    def usable(column: str) -> bool:
        if documented is None and column not in present:
            note(f"column {column} not in the table (model undocumented): its check skipped")
            return False
        return True

    checks: list[Check] = []
    if documented is not None:
        checks.append(Columns(documented))
    else:
        note("no YAML columns: schema expectation skipped")
    key = tuple(column for column in suite.key if usable(column))
    checks += [NotNull(column) for column in key]
    if key:
        checks.append(Unique(key))
    checks += [NotNull(column) for column in suite.not_null if usable(column)]
    checks += [
        Between(bound, index) for index, bound in enumerate(suite.ranges_for(columns)) if usable(bound.column)
    ]
    for value_set in suite.value_sets:
        if not usable(value_set.column):
            continue
        values, seed_note = resolve_values(con, value_set)
        if seed_note:
            note(seed_note)
        checks.append(InSet(value_set.column, tuple(values)))
    checks += [Matches(pattern.column, pattern.regex) for pattern in suite.patterns if usable(pattern.column)]
    return checks


def table_metrics(
    con: duckdb.DuckDBPyConnection, relation: str, checks: list[Check], columns: list[str]
) -> list[tuple[TableMetric, float]]:
    """Every check's whole-table metric and its value: the aggregates in one scan, then the own queries."""
    present = set(columns)
    metrics: dict[str, TableMetric] = {}
    for check in checks:
        for metric in check.metrics(relation, present):
            metrics.setdefault(metric.name, metric)  # a key column also listed as not-null: counted once
    aggregates = [metric for metric in metrics.values() if not metric.query]
    values: list[tuple[TableMetric, float]] = []
    if aggregates:
        selects = ", ".join(f"({metric.sql})::double as {quote_ident(metric.name)}" for metric in aggregates)
        params = [param for metric in aggregates for param in metric.params]
        row = con.execute(f"select {selects} from {relation}", params).fetchone()
        values += [(metric, float(value)) for metric, value in zip(aggregates, row, strict=True)]
    for metric in metrics.values():
        if metric.query:
            values.append((metric, float(con.execute(metric.query).fetchone()[0])))
    return values
