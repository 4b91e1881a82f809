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

{#
    string_agg_ordered: the group's strings joined with `separator`, in `order_by` order (an
    aggregate; a caller may follow it with `filter (where ...)`). DuckDB takes the order inside the
    call, string_agg(x, sep order by y); Spark 4 takes it after, as an ordered-set aggregate:
    string_agg(x, sep) within group (order by y). Both skip nulls and return null for no value.
#}
{% macro string_agg_ordered(expression, separator, order_by) -%}
    {{- return(adapter.dispatch('string_agg_ordered', 'account_health')(
        expression, separator, order_by
    )) -}}
{%- endmacro %}

{% macro default__string_agg_ordered(expression, separator, order_by) -%}
    string_agg({{ expression }}, {{ separator }} order by {{ order_by }})
{%- endmacro %}

{% macro spark__string_agg_ordered(expression, separator, order_by) -%}
    string_agg({{ expression }}, {{ separator }}) within group (order by {{ order_by }})
{%- endmacro %}
