{#
    The earliest timestamp, for "after nothing yet" (DECISIONLOG.md#engines). DuckDB has
    -infinity; Spark casts '-infinity' to null (no error with ANSI off), and "x > null" keeps no
    row, so Spark takes its smallest timestamp, 0001-01-01.
#}
{% macro timestamp_min() -%}
    {{- return(adapter.dispatch('timestamp_min', 'account_health')()) -}}
{%- endmacro %}

{% macro default__timestamp_min() -%}
    cast('-infinity' as timestamp)
{%- endmacro %}

{% macro spark__timestamp_min() -%}
    cast('0001-01-01 00:00:00' as timestamp)
{%- endmacro %}
