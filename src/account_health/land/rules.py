"""The row rules of the raw contract, as one DuckDB statement from `_ah_src` (text) to `_ah_checked` (typed).

A row gets every reason that applies, joined with "; " (so whoever repairs the file sees all problems at
once), in this order: parse error, missing required value, bad type, value too long, value not accepted,
contract check failed, timestamp in the future, duplicate key. Rows without a reason are loaded.
"""

from __future__ import annotations

import datetime as dt

from account_health.contract import Table
from account_health.land.schema import quote_ident, quote_literal

MAX_FIELD_CHARS = 65_536  # a longer value is a broken export (or an attack), not a name or a comment
SHOWN_CHARS = 40  # how much of an offending value a reason quotes

# Date columns that legitimately lie after the as-of date (planned, not happened). Every timestamp column
# and every other date column records something that happened, so it may not be in the future.
FUTURE_ALLOWED: dict[str, frozenset[str]] = {
    "subscriptions": frozenset({"start_date", "end_date"}),
    "success_goals": frozenset({"due_at"}),
}

# Foreign keys landing counts (and reports) but does not quarantine: see docs/decisions/landing.md.
ACCOUNT_REFERENCE = "account_id"


def _shown(expr: str) -> str:
    """SQL for `'<first chars of value>'` inside a reason."""
    ellipsis = f"case when length({expr}) > {SHOWN_CHARS} then '...' else '' end"
    return f"'''' || left({expr}, {SHOWN_CHARS}) || {ellipsis} || ''''"


_OFFSET_PATTERN = "^[0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9].*[+-][0-9]{2}(:?[0-9]{2})?$"


def _typed(expr: str, type_: str) -> str:
    """Text -> contract type; blanks are null; timestamps with an offset are converted to UTC."""
    blank_to_null = f"nullif(trim({expr}), '')"
    if type_ == "varchar":
        return f"case when trim({expr}) <> '' then {expr} end"
    if type_ == "timestamp":
        return (
            # length > 19: a plain 'YYYY-MM-DD hh:mm:ss' skips the regex (the common, large case)
            f"case when length({expr}) > 19 and regexp_matches(trim({expr}), '{_OFFSET_PATTERN}') "
            f"then timezone('UTC', try_cast({blank_to_null} as timestamptz)) "
            f"else try_cast({blank_to_null} as timestamp) end"
        )
    return f"try_cast({blank_to_null} as {type_})"


def checked_sql(
    table: Table, loaded_table: str, as_of: dt.date | None, labels: dict[str, str] | None = None
) -> str:
    """`create temp table _ah_checked`: typed contract columns, `_row_number`, `_raw_record`, `_reason`.

    `labels`: how reasons name a column (a source mapping passes the file's own column names).
    """
    labels = labels or {}
    # Each value is cast once, in `typed`, which keeps the text as `_text_<i>` for the reasons.
    typed_columns: list[str] = []
    text_columns: list[str] = []
    reasons: list[str] = []
    for index, column in enumerate(table.columns):
        source = f"src.{quote_ident(column.name)}"
        text = quote_ident(f"_text_{index}")
        ref = quote_ident(column.name)
        name = quote_literal(labels.get(column.name, column.name))
        text_columns.append(text)
        typed_columns.append(f"{source} as {text}")
        typed_columns.append(f"{_typed(source, column.type)} as {ref}")
        if column.required:
            reasons.append(
                f"case when nullif(trim({text}), '') is null then 'missing required value: ' || {name} end"
            )
        if column.type != "varchar":
            reasons.append(
                f"case when {ref} is null and nullif(trim({text}), '') is not null "
                f"then 'bad type: ' || {name} || '=' || {_shown(text)} || ' is not {column.type}' end"
            )
        reasons.append(
            f"case when length({text}) > {MAX_FIELD_CHARS} then 'value too long: ' || {name} || ' has ' "
            f"|| length({text}) || ' characters (max {MAX_FIELD_CHARS})' end"
        )

    for column in table.columns:
        ref = quote_ident(column.name)
        name = quote_literal(labels.get(column.name, column.name))
        if column.accepted:
            values = ", ".join(quote_literal(value) for value in column.accepted)
            reasons.append(
                f"case when {ref} not in ({values}) then 'not an accepted value: ' || {name} || '=' "
                f"|| {_shown(ref)} || ' (accepted: {', '.join(column.accepted)})' end"
            )
    for check in table.checks:
        reasons.append(f"case when not coalesce(({check.sql}), true) then {quote_literal(check.reason)} end")
    if as_of is not None:
        allowed = FUTURE_ALLOWED.get(table.name, frozenset())
        next_day = as_of + dt.timedelta(days=1)
        for column in table.columns:
            ref = quote_ident(column.name)
            name = quote_literal(labels.get(column.name, column.name))
            if column.name in allowed or column.type not in ("timestamp", "date"):
                continue
            limit = (
                f"timestamp '{next_day.isoformat()}'"
                if column.type == "timestamp"
                else f"date '{next_day.isoformat()}'"
            )
            reasons.append(
                f"case when {ref} >= {limit} then 'in the future: ' || {name} || '=' || {ref}::varchar "
                f"|| ' is after the as-of date {as_of.isoformat()}' end"
            )

    key_columns = [quote_ident(name) for name in table.key]
    key_shown = " || ', ' || ".join(
        f"{quote_literal(name)} || '=' || {_shown('ruled.' + quote_ident(name) + '::varchar')}"
        for name in table.key
    )
    key_join = " and ".join(f"batch_keys.{ref} = loaded.{ref}" for ref in key_columns)
    key_match = " and ".join(f"ruled.{ref} = already_loaded.{ref}" for ref in key_columns)
    partition = ", ".join(key_columns)
    nl = ",\n                "
    text_list = ", ".join(text_columns)
    return f"""
        create or replace temp table _ah_checked as
        with typed as (
            select
                src._row_number,
                src._raw_record,
                src._parse_error,
                {nl.join(typed_columns)}
            from _ah_src as src
        ),

        ruled as (
            select
                typed.*,
                case
                    when _parse_error is not null then _parse_error
                    else nullif(concat_ws('; ', {nl.join(reasons)}), '')
                end as _rule_reason
            from typed
        ),

        ranked as (
            select
                ruled.*,
                case when _rule_reason is null then
                    row_number() over (partition by {partition}, _rule_reason is null order by _row_number)
                end as _key_rank,
                case when _rule_reason is null then
                    min(_row_number) over (partition by {partition}, _rule_reason is null)
                end as _key_first_row
            from ruled
        ),

        batch_keys as (
            select distinct {partition} from ranked where _rule_reason is null
        ),

        already_loaded as (
            select distinct {", ".join(f"batch_keys.{ref}" for ref in key_columns)}
            from batch_keys
            inner join {loaded_table} as loaded
                on {key_join}
        )

        select
            ruled.* exclude (_parse_error, _rule_reason, _key_rank, _key_first_row, {text_list}),
            case
                when _rule_reason is not null then _rule_reason
                when _key_rank > 1
                    then 'duplicate key within file: ' || {key_shown}
                        || ' (first at row ' || _key_first_row || ')'
                when already_loaded.{key_columns[0]} is not null
                    then 'duplicate key: ' || {key_shown} || ' is already loaded'
            end as _reason
        from ranked as ruled
        left join already_loaded
            on {key_match}
        """
