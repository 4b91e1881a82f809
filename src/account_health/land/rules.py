"""The row rules of the raw contract, as one DuckDB select from `_ah_src` (text) to typed rows with reasons.

A row gets every reason that applies, joined with "; " (so whoever repairs the file sees all problems at
once), in this order: parse error, missing required value, bad type, value too long, value not accepted,
contract check failed, timestamp in the future, duplicate key. Rows without a reason are loaded.
"""

from __future__ import annotations

import datetime as dt
import re

from account_health.contract import Table
from account_health.sql import quote_ident, quote_literal

MAX_FIELD_CHARS = 65_536  # a longer value is a broken export (or an attack), not a name or a comment
SHOWN_CHARS = 40  # how much of an offending value a reason quotes

# Date columns that legitimately lie after the as-of date (planned, not happened). Every timestamp column
# and every other date column records something that happened, so it may not be in the future.
FUTURE_ALLOWED: dict[str, frozenset[str]] = {
    "subscriptions": frozenset({"start_date", "term_end_date", "end_date"}),
    "success_goals": frozenset({"due_at"}),
}

# Foreign keys landing counts (and reports) but does not quarantine: see DECISIONLOG.md#orphan-foreign-keys.
ACCOUNT_REFERENCE = "account_id"


def _shown(expr: str) -> str:
    """SQL for `'<first chars of value>'` inside a reason."""
    ellipsis = f"case when length({expr}) > {SHOWN_CHARS} then '...' else '' end"
    return f"'''' || left({expr}, {SHOWN_CHARS}) || {ellipsis} || ''''"


# Cell values that mean "no value" in common exports (databases, BI tools, Excel's #N/A), compared trimmed
# and case-insensitively. In an optional column they load as null (counted in the file's message); in a
# required column the row is quarantined as missing, naming the token.
NULL_TOKENS = ("null", "n/a", "#n/a")

# Only these spellings cast; DuckDB's own casts accept more and alter the value on the way (2.7 -> 3 for
# an integer, 119.505 -> 119.51 for decimal(18,2), '24-01-15' -> year 24, 'epoch' -> 1970-01-01, 0x10,
# 1_000, NaN, infinity). A value outside these patterns is quarantined as a bad type, naming it.
INTEGER_PATTERN = r"[+-]?[0-9]+(\.0*)?"  # 3 and 3.0 (Excel, JSON, Parquet doubles); never 2.7
DOUBLE_PATTERN = r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?"  # finite decimal notation only
DATE_PATTERN = r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}([ T]00:00(:00(\.0*)?)?)?"  # a date; midnight allowed
PLAIN_TIMESTAMP_PATTERN = r"[0-9]{4}-[0-9]{2}-[0-9]{2}([ T][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,6})?)?)?"
# A timestamp with a zone designator: Z, UTC or an offset +hh, +hhmm, +hh:mm, +hh:mm:ss. Groups: the local
# time, the sign and the offset's hours, minutes and seconds.
ZONED_TIMESTAMP_PATTERN = (
    r"([0-9]{4}-[0-9]{2}-[0-9]{2}[ T][0-9]{2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]{1,6})?)?) ?"
    r"(?:Z|z|UTC|([+-])([0-9]{2})(?::?([0-9]{2}))?(?::?([0-9]{2}))?)"
)
ID_SUFFIX = "_id"  # identifier columns: surrounding spaces are trimmed, so 'k' and 'k ' are one key


# One RE2 match per value says "blank or a null token" (it fails at the first character of an ordinary
# value); trim() and lower() on every value cost several times more.
MISSING_PATTERN = r"\s*(?i:" + "|".join(re.escape(token) for token in NULL_TOKENS) + r")?\s*"


# A non-empty value that matches MISSING_PATTERN starts with whitespace or a token's first character (RE2's
# \s and case folding are ASCII here: tab to CR, space, '#', n, N), so its first byte rules out every other
# value before the regex runs. The test compares the value byte-wise with one-character strings: below '$'
# (every whitespace byte and '#'; also the empty value, which the regex matches too), or from 'N' up to
# 'O' (exclusive), or 'n' up to 'o'. This set may be wider than needed, never narrower. Such comparisons
# cost a fraction of ascii() (which decodes the first character: about a third of the rules' cost on a
# million-row file, measured).
MISSING_BELOW = "$"
MISSING_FIRST_LETTERS = ("N", "n")


def _missing(text: str) -> str:
    """SQL: null, blank or a null token."""
    pattern = quote_literal(MISSING_PATTERN)
    first = " or ".join(
        [
            f"{text} < {quote_literal(MISSING_BELOW)}",
            *(
                f"({text} >= {quote_literal(letter)} and {text} < {quote_literal(chr(ord(letter) + 1))})"
                for letter in MISSING_FIRST_LETTERS
            ),
        ]
    )
    return f"coalesce(case when {first} then regexp_full_match({text}, {pattern}) else {text} = '' end, true)"


def _null_token(text: str, missing: str) -> str:
    """SQL: a null token (given `missing`, the flag above): missing, yet neither null nor blank."""
    not_blank = f"{text} is not null and not regexp_full_match({text}, '\\s*')"
    return f"case when {missing} then {not_blank} else false end"


def _decimal_pattern(type_: str) -> str | None:
    """`decimal(p,s)`: at most s decimal places (trailing zeros aside), no exponent."""
    if not type_.startswith("decimal"):
        return None
    scale = int(type_.split(",")[1].rstrip(")")) if "," in type_ else 0
    return rf"[+-]?([0-9]+(\.[0-9]{{0,{scale}}}0*)?|\.[0-9]{{1,{scale}}}0*)"


def _zoned_to_utc(text: str) -> str:
    """SQL: a zoned timestamp converted to UTC by subtracting its offset (null if the offset is invalid)."""
    pattern = quote_literal(ZONED_TIMESTAMP_PATTERN)
    parts = f"regexp_extract({text}, {pattern}, ['local', 'sign', 'hh', 'mm', 'ss'])"
    hours = f"coalesce(try_cast(nullif({parts}.hh, '') as integer), 0)"
    minutes = f"coalesce(try_cast(nullif({parts}.mm, '') as integer), 0)"
    seconds = f"coalesce(try_cast(nullif({parts}.ss, '') as integer), 0)"
    sign = f"(case {parts}.sign when '-' then -1 else 1 end)"
    offset = f"{sign} * ({hours} * 3600 + {minutes} * 60 + {seconds})"
    return (
        f"case when {hours} <= 23 and {minutes} <= 59 and {seconds} <= 59 "
        f"then try_cast({parts}.local as timestamp) - to_seconds({offset}) end"
    )


def _typed(text: str, missing: str, type_: str, column_name: str = "") -> str:
    """Text -> contract type, exactly or not at all (null, which the bad-type reason then reports).

    `missing` is SQL for "blank or a null token" (null then). Identifiers are trimmed; timestamps with a
    zone are converted to UTC. Surrounding spaces are allowed around numbers, dates and times.
    """
    if type_ == "varchar":
        if column_name.endswith(ID_SUFFIX):
            padded = f"ends_with({text}, ' ') or starts_with({text}, ' ')"
            trimmed = f"case when {padded} then trim({text}) else {text} end"
            return f"case when not {missing} then {trimmed} end"
        return f"case when not {missing} then {text} end"
    if type_ == "timestamp":
        plain = quote_literal(rf"\s*(?:{PLAIN_TIMESTAMP_PATTERN})\s*")
        zoned = quote_literal(rf"\s*(?:{ZONED_TIMESTAMP_PATTERN})\s*")
        return (
            f"case when regexp_full_match({text}, {plain}) then try_cast({text} as timestamp) "
            f"when regexp_full_match({text}, {zoned}) then {_zoned_to_utc(f'trim({text})')} end"
        )
    if type_ == "date":
        pattern = quote_literal(rf"\s*(?:{DATE_PATTERN})\s*")
        return (
            f"case when regexp_full_match({text}, {pattern}) "
            f"then try_cast(regexp_replace(trim({text}), '[ T].*$', '') as date) end"
        )
    pattern = {"integer": INTEGER_PATTERN, "bigint": INTEGER_PATTERN, "double": DOUBLE_PATTERN}.get(type_)
    pattern = pattern or _decimal_pattern(type_)
    if pattern is None:  # boolean: DuckDB's cast accepts only true/false spellings, nothing to alter
        return f"case when not {missing} then try_cast(trim({text}) as {type_}) end"
    value = rf"regexp_replace(trim({text}), '\.0*$', '')" if type_ in ("integer", "bigint") else text
    padded_pattern = quote_literal(rf"\s*(?:{pattern})\s*")
    return f"case when regexp_full_match({text}, {padded_pattern}) then try_cast({value} as {type_}) end"


def checked_sql(
    table: Table,
    as_of: dt.date | None,
    labels: dict[str, str] | None = None,
    source: str = "_ah_src",
) -> str:
    """A select from `source` (`_ah_src`, or a subquery of the same shape reading a file): typed contract
    columns, `_load_id`, `_file_index`, `_row_number`, `_raw_record`, `_null_tokens` (how many optional
    values were null tokens) and `_reason` (null: the row passed the rules). Duplicate keys are left to
    `duplicates_sql`, run on the result in `_ah_pending`. `labels`: how reasons name a column (a source
    mapping passes the file's own column names).
    """
    labels = labels or {}
    # Each value is looked at once: `texts` keeps it as `_text_<i>` with its blank and null-token flags,
    # `typed` casts it once; the reasons read those columns.
    text_columns: list[str] = []
    flag_columns: list[str] = []
    typed_columns: list[str] = []
    token_columns: list[str] = []
    casts: list[str] = []
    reasons: list[str] = []
    # The condition of each reason: a row that breaks none (most rows) skips building the reasons' text,
    # a quarter of the rules' cost on a clean million-row file.
    broken: list[str] = []

    def reason(condition: str, text: str) -> None:
        broken.append(f"({condition})")
        reasons.append(f"case when {condition} then {text} end")

    null_tokens: list[str] = ["0"]
    for index, column in enumerate(table.columns):
        value = f"src.{quote_ident(column.name)}"
        text = quote_ident(f"_text_{index}")
        missing = quote_ident(f"_missing_{index}")
        token = quote_ident(f"_token_{index}")
        blank = f"({missing} and not {token})"
        ref = quote_ident(column.name)
        name = quote_literal(labels.get(column.name, column.name))
        text_columns.append(text)
        flag_columns += [missing, token]
        typed_columns.append(f"{value} as {text}, {_missing(value)} as {missing}")
        token_columns.append(f"{_null_token(text, missing)} as {token}")
        casts.append(f"{_typed(text, missing, column.type, column.name)} as {ref}")
        if column.required:
            reason(
                missing,  # blank or a null token
                f"case when {blank} then 'missing required value: ' || {name} "
                f"else 'missing required value: ' || {name} || '=' "
                f"|| {_shown(text)} || ' (a null token)' end",
            )
        else:
            null_tokens.append(f"{token}::integer")
        if column.type != "varchar":
            reason(
                f"{ref} is null and not {missing}",
                f"'bad type: ' || {name} || '=' || {_shown(text)} || ' is not {column.type}'",
            )
        reason(
            # strlen (bytes) is O(1) and never below the character count: length() only runs on long values
            f"strlen({text}) > {MAX_FIELD_CHARS} and length({text}) > {MAX_FIELD_CHARS}",
            f"'value too long: ' || {name} || ' has ' || length({text}) "
            f"|| ' characters (max {MAX_FIELD_CHARS})'",
        )

    for column in table.columns:
        ref = quote_ident(column.name)
        name = quote_literal(labels.get(column.name, column.name))
        if column.accepted:
            values = ", ".join(quote_literal(value) for value in column.accepted)
            reason(
                f"{ref} not in ({values})",
                f"'not an accepted value: ' || {name} || '=' "
                f"|| {_shown(ref)} || ' (accepted: {', '.join(column.accepted)})'",
            )
    for check in table.checks:
        reason(f"not coalesce(({check.sql}), true)", quote_literal(check.reason))
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
            reason(
                f"{ref} >= {limit}",
                f"'in the future: ' || {name} || '=' || {ref}::varchar "
                f"|| ' is after the as-of date {as_of.isoformat()}'",
            )

    record = ", ".join(
        f"{quote_literal(column.name)}, {text}"
        for column, text in zip(table.columns, text_columns, strict=True)
    )
    nl = ",\n                "
    text_list = ", ".join(text_columns)
    # Duplicate keys are decided afterwards (`duplicates_sql`), on the checked rows already in
    # `_ah_pending`: the rows are materialised once, and only the (few) duplicates are rewritten.
    return f"""
        with texts as (
            select
                src._load_id,
                src._file_index,
                src._row_number,
                src._raw_record,
                src._parse_error,
                {nl.join(typed_columns)}
            from {source} as src
        ),

        typed as (
            select
                texts.*,
                {nl.join(token_columns)},
                {nl.join(casts)},
                {" + ".join(null_tokens)} as _null_tokens
            from texts
        ),

        ruled as (
            select
                typed.*,
                case
                    when _parse_error is not null then _parse_error
                    when {" or ".join(broken)} then nullif(concat_ws('; ', {nl.join(reasons)}), '')
                end as _reason
            from typed
        )

        select
            ruled.* exclude (_parse_error, _raw_record, {text_list}, {", ".join(flag_columns)}),
            case
                when _reason is not null then coalesce(_raw_record, json_object({record})::varchar)
            end as _raw_record
        from ruled
        """


def repeated_keys_sql(table: Table) -> str:
    """A select of the keys that more than one row of the batch that passed the rules has (`_ah_good`)."""
    keys = ", ".join(quote_ident(name) for name in table.key)
    return f"select {keys} from _ah_good group by {keys} having count(*) > 1"


def duplicates_sql(
    table: Table, repeated: str, loaded_table: str, labels: dict[str, str] | None = None
) -> str:
    """A select of the rows of the batch (`_ah_good`: `_ah_pending` after `checked_sql`, and in-flight
    files) that passed the rules but repeat a key:
    `_load_id`, `_row_number` and the duplicate `_reason` (`mark_duplicates_sql` then writes it).

    Duplicate keys are found with aggregates over the (few) repeated keys (`repeated`, a relation with
    `repeated_keys_sql`'s result), not window functions over every row: the first good row of a key wins; a
    later one in the same file is a duplicate within the file, one in a later file of the run is a
    duplicate of an (about to be) loaded key. `loaded_table` is a relation with the keys already landed (its
    key columns are all that is read). `labels`: as in `checked_sql`.
    """
    labels = labels or {}
    key_columns = [quote_ident(name) for name in table.key]
    key_shown = " || ', ' || ".join(
        f"{quote_literal(labels.get(name, name))} || '='"
        f" || {_shown('ruled.' + quote_ident(name) + '::varchar')}"
        for name in table.key
    )
    keys = ", ".join(key_columns)

    def on(left: str, right: str) -> str:
        return " and ".join(f"{left}.{ref} = {right}.{ref}" for ref in key_columns)

    return f"""
        with good_keys as (
            select {keys}, _load_id, _file_index, _row_number from _ah_good
        ),

        repeated_keys as (
            select {keys} from {repeated}
        ),

        first_in_file as (
            select
                {", ".join(f"good_keys.{ref}" for ref in key_columns)},
                good_keys._file_index,
                min(good_keys._row_number) as first_row
            from good_keys
            inner join repeated_keys on {on("good_keys", "repeated_keys")}
            group by all
        ),

        first_file as (
            select {keys}, min(_file_index) as first_file from first_in_file group by {keys}
        ),

        already_loaded as (
            -- a semi join probed by the batch's keys, deduplicated after it: only the (few) keys found
            -- are made distinct, and nothing is hashed when no key is landed yet
            select distinct {", ".join(f"batch_keys.{ref}" for ref in key_columns)}
            from good_keys as batch_keys
            semi join {loaded_table} as loaded
                on {on("batch_keys", "loaded")}
        ),

        duplicates as (
            select ruled._load_id, ruled._row_number,
                case
                    when ruled._row_number > first_in_file.first_row
                        then 'duplicate key within file: ' || {key_shown}
                            || ' (first at row ' || first_in_file.first_row || ')'
                    when ruled._file_index > first_file.first_file
                        or already_loaded.{key_columns[0]} is not null
                        then 'duplicate key: ' || {key_shown} || ' is already loaded'
                end as _reason
            from good_keys as ruled
            left join first_in_file
                on {on("ruled", "first_in_file")} and ruled._file_index = first_in_file._file_index
            left join first_file
                on {on("ruled", "first_file")}
            left join already_loaded
                on {on("ruled", "already_loaded")}
        )

        select * from duplicates where _reason is not null
        """


def mark_duplicates_sql(table: Table, duplicates: str) -> str:
    """An update of `_ah_pending`: the rows in `duplicates` (`duplicates_sql`'s result) get their duplicate
    reason and their raw record, from their text in `_ah_src`."""
    record = ", ".join(
        f"{quote_literal(column.name)}, src.{quote_ident(column.name)}" for column in table.columns
    )
    return f"""
        with rewritten as (
            select duplicates._load_id, duplicates._row_number, duplicates._reason,
                coalesce(src._raw_record, json_object({record})::varchar) as _raw_record
            from {duplicates} as duplicates
            inner join _ah_src as src
                on src._load_id = duplicates._load_id and src._row_number = duplicates._row_number
        )

        update _ah_pending
        set _reason = rewritten._reason, _raw_record = rewritten._raw_record
        from rewritten
        where _ah_pending._load_id = rewritten._load_id and _ah_pending._row_number = rewritten._row_number
        """
