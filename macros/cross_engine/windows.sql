{#
    Window functions the engines spell differently (DECISIONLOG.md#engines).
    last_non_null: the last non-null value of `expression` in the window frame (followed by the
    caller's `over (...)`). DuckDB puts IGNORE NULLS inside the call, last_value(x ignore nulls);
    Spark takes it as the function's second argument, last_value(x, true).
#}
{% macro last_non_null(expression) -%}
    {{- return(adapter.dispatch('last_non_null', 'account_health')(expression)) -}}
{%- endmacro %}

{% macro default__last_non_null(expression) -%}
    last_value({{ expression }} ignore nulls)
{%- endmacro %}

{% macro spark__last_non_null(expression) -%}
    last_value({{ expression }}, true)
{%- endmacro %}
