{#
    Columns turned into rows (DECISIONLOG.md#engines): select-list expressions that give, for each
    row of the relation, one row per entry of `rows` (a list of lists of SQL expressions, one per
    output column), named `names`. DuckDB unnests one list per column side by side; Spark has one
    generator per select, stack(n, ...), which takes the values row by row. Each output column's
    expressions must have one type.
#}
{% macro columns_unpivoted(rows, names) -%}
    {{- return(adapter.dispatch('columns_unpivoted', 'account_health')(rows, names)) -}}
{%- endmacro %}

{% macro default__columns_unpivoted(rows, names) -%}
    {%- for name in names %}
        {%- set column = loop.index0 %}
        unnest([
            {%- for row in rows %}
                {{ row[column] }}{{ ',' if not loop.last }}
            {%- endfor %}
        ]) as {{ name }}{{ ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}

{% macro spark__columns_unpivoted(rows, names) -%}
    stack(
        {{ rows | length }},
        {%- for row in rows %}
            {%- set last_row = loop.last %}
            {%- for value in row %}
                {{ value }}{{ ',' if not (last_row and loop.last) }}
            {%- endfor %}
        {%- endfor %}
    ) as ({{ names | join(', ') }})
{%- endmacro %}
