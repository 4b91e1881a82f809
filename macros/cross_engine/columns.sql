{#
    All columns of the relations in scope but some (DECISIONLOG.md#engines): a select-list item.
    DuckDB spells it `* exclude (a, b)`, Spark `* except (a, b)`.
#}
{% macro star_except(columns) -%}
    {{- return(adapter.dispatch('star_except', 'account_health')(columns)) -}}
{%- endmacro %}

{% macro default__star_except(columns) -%}
    * exclude ({{ columns | join(', ') }})
{%- endmacro %}

{% macro spark__star_except(columns) -%}
    * except ({{ columns | join(', ') }})
{%- endmacro %}
