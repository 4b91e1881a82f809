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
