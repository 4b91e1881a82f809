{#
    Replacing a table, and asking whether one exists, on either engine (DECISIONLOG.md#engines).
#}

{#
    The head of a statement that replaces `relation` by a select: `{{ table_replaced(r) }} as select ...`.
    DuckDB: create or replace table. Spark: create or replace is for Delta-like tables only, so the old
    table is dropped as the statement is rendered (just before it runs: a hook renders when it runs)
    and the statement creates it.
#}
{% macro table_replaced(relation) -%}
    {{- return(adapter.dispatch('table_replaced', 'account_health')(relation)) -}}
{%- endmacro %}

{% macro default__table_replaced(relation) -%}
    create or replace table {{ relation }}
{%- endmacro %}

{% macro spark__table_replaced(relation) -%}
    {%- if execute -%}
        {%- do run_query('drop table if exists ' ~ relation) -%}
    {%- endif -%}
    create table {{ relation }}
{%- endmacro %}

{#
    Whether a table exists, asked of the database, not of dbt's relation cache (the cache lists a
    schema once, and a schema may gain tables during the run). DuckDB: information_schema. Spark has
    none: show tables.
#}
{% macro table_exists(relation) -%}
    {{- return(adapter.dispatch('table_exists', 'account_health')(relation)) -}}
{%- endmacro %}

{% macro default__table_exists(relation) -%}
    {%- set found = run_query(
        "select count(*) from information_schema.tables where table_schema = '"
        ~ relation.schema ~ "' and table_name = '" ~ relation.identifier ~ "'"
    ) -%}
    {{- return(found.columns[0].values()[0] > 0) -}}
{%- endmacro %}

{% macro spark__table_exists(relation) -%}
    {%- set found = run_query("show tables in " ~ relation.schema ~ " like '" ~ relation.identifier ~ "'") -%}
    {{- return(found.rows | length > 0) -}}
{%- endmacro %}

{#
    Replace a table by a select that reads it, on an engine with no row-level change of a table (Spark
    on Parquet: the incremental models' delete+insert, the snapshot): the select is written into
    `<target>__dbt_rewritten` (the select may read the table: it is not written while read), which then
    takes the table's place (drop, rename). Returns the statement dbt reports as the model's: the swapped
    table's files read afresh. Not atomic: a run stopped between the drop and the rename leaves no table,
    and the next run builds the model whole.
#}
{% macro table_rewritten(existing, target, select_sql) -%}
    {%- set rewritten = target.incorporate(
        path={'identifier': target.identifier ~ '__dbt_rewritten'}, type='table'
    ) -%}
    {%- do adapter.drop_relation(rewritten) -%}
    {%- do run_query(create_table_as(False, rewritten, select_sql)) -%}
    {%- do adapter.drop_relation(existing) -%}
    {%- do adapter.rename_relation(rewritten, target) -%}
    {{- return('refresh table ' ~ target) -}}
{%- endmacro %}
