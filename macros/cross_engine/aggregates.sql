{#
    Aggregates the engines spell differently (DECISIONLOG.md#engines).
    any_non_null: one of the group's non-null values, for a value every row of the group shares.
    DuckDB's any_value skips nulls; Spark's any_value(x) may return a null, any_value(x, true)
    skips them.
#}
{% macro any_non_null(expression) -%}
    {{- return(adapter.dispatch('any_non_null', 'account_health')(expression)) -}}
{%- endmacro %}

{% macro default__any_non_null(expression) -%}
    any_value({{ expression }})
{%- endmacro %}

{% macro spark__any_non_null(expression) -%}
    any_value({{ expression }}, true)
{%- endmacro %}
