{#
    A spine of days (DECISIONLOG.md#engines): one row per day from `start_at` (a timestamp at
    midnight) up to `end_before` (a timestamp, exclusive), each as a date. A set-returning
    expression for a select list, like the unnest it replaces; the caller keeps start_at <
    end_before in its `where` (Spark's sequence fails on an empty range).
    DuckDB: unnest(range(start, end, 1 day)), the end excluded. Spark: explode(sequence(...)),
    whose end is included, so it ends on the date of the last microsecond before end_before.
#}
{% macro days_in_range(start_at, end_before) -%}
    {{- return(adapter.dispatch('days_in_range', 'account_health')(start_at, end_before)) -}}
{%- endmacro %}

{% macro default__days_in_range(start_at, end_before) -%}
    cast(unnest(range({{ start_at }}, {{ end_before }}, interval 1 day)) as date)
{%- endmacro %}

{% macro spark__days_in_range(start_at, end_before) -%}
    explode(sequence(
        cast({{ start_at }} as date),
        cast({{ end_before }} - interval 1 microsecond as date),
        interval 1 day
    ))
{%- endmacro %}

{#
    A spine of month starts, as a relation for a `from` clause: `months` with one column,
    month_start, for every first of a month from `start_month` to `end_month` (both firsts of a
    month, both included; none when start_month is after end_month).
    DuckDB: the table function generate_series (timestamps). Spark: explode(sequence(...)) (dates;
    sequence fails on a backward range, so that range is null, which explodes to no row).
    Callers take last_day(month_start), a date on both.
#}
{% macro month_starts(start_month, end_month) -%}
    {{- return(adapter.dispatch('month_starts', 'account_health')(start_month, end_month)) -}}
{%- endmacro %}

{% macro default__month_starts(start_month, end_month) -%}
    generate_series(
        {{ start_month }},
        {{ end_month }},
        interval 1 month
    ) as months (month_start)
{%- endmacro %}

{% macro spark__month_starts(start_month, end_month) -%}
    (
        select explode(case
            when {{ start_month }} <= {{ end_month }}
                then sequence({{ start_month }}, {{ end_month }}, interval 1 month)
        end) as month_start
    ) as months
{%- endmacro %}
