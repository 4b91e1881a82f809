{#
    The raw tables as the engine's own tables (DECISIONLOG.md#engines), run at the start of every
    dbt command (on-run-start). DuckDB: the landing writes them into the warehouse, nothing to do.
    Spark: `account_health.engines.spark` exports every raw table of the DuckDB landing to Parquet
    under $ACCOUNT_HEALTH_SPARK_DIR/raw/<table>/; each is registered here as an external table of
    the `raw` database, dropped and made again so a new export is read (dropping an external table
    leaves its files).
#}
{% macro register_raw_sources() -%}
    {{- return(adapter.dispatch('register_raw_sources', 'account_health')()) -}}
{%- endmacro %}

{% macro default__register_raw_sources() -%}
{%- endmacro %}

{% macro spark__register_raw_sources() -%}
    {%- if execute -%}
        {%- set raw_dir = env_var('ACCOUNT_HEALTH_SPARK_DIR') ~ '/raw' -%}
        {%- set registered = [] -%}
        {%- for source in graph.sources.values() | sort(attribute='identifier') -%}
            {%- if source.schema not in registered -%}
                {%- do run_query('create database if not exists ' ~ source.schema) -%}
                {%- do registered.append(source.schema) -%}
            {%- endif -%}
            {%- set relation = source.schema ~ '.' ~ source.identifier -%}
            {%- do run_query('drop table if exists ' ~ relation) -%}
            {%- do run_query(
                'create table ' ~ relation ~ " using parquet location '"
                ~ raw_dir ~ '/' ~ source.identifier ~ "'"
            ) -%}
        {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
