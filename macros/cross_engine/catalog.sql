{#
    The columns of a built relation, as a select of one column, column_name
    (DECISIONLOG.md#engines). DuckDB reads its information_schema.columns. Spark's Hive catalog has
    no information_schema, so Spark asks the adapter for the relation's columns when the query is
    compiled (the relation is built by then: only tests of a built model call this) and lists
    them as literals.
#}
{% macro relation_columns(relation) -%}
    {{- return(adapter.dispatch('relation_columns', 'account_health')(relation)) -}}
{%- endmacro %}

{% macro default__relation_columns(relation) -%}
    select column_name
    from information_schema.columns
    where
        table_schema = '{{ relation.schema }}'
        and table_name = '{{ relation.identifier }}'
{%- endmacro %}

{% macro spark__relation_columns(relation) -%}
    {%- set names = [] -%}
    {%- if execute -%}
        {%- for column in adapter.get_columns_in_relation(relation) -%}
            {%- do names.append(column.name) -%}
        {%- endfor -%}
    {%- endif -%}
    select explode(array(
        {%- for name in names -%}
            '{{ name }}'{{ ', ' if not loop.last }}
        {%- endfor -%}
    )) as column_name
{%- endmacro %}
