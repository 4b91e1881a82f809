{#
    How a model that replaces rows by key on each run is materialized (DECISIONLOG.md#engines).
    DuckDB: incremental, delete+insert on the key (the model's incremental_strategy). Spark on
    Parquet has no row-level replace (merge needs Delta, Iceberg or Hudi, whose jars are not on
    PyPI; insert_overwrite replaces whole partitions, append keeps both copies of a re-delivered
    key), so on Spark such a model is a table rebuilt whole on each run: the same rows, at the
    cost of a full rebuild.
#}
{% macro key_replacing_materialization() -%}
    {{- return(adapter.dispatch('key_replacing_materialization', 'account_health')()) -}}
{%- endmacro %}

{% macro default__key_replacing_materialization() -%}
    {{- return('incremental') -}}
{%- endmacro %}

{% macro spark__key_replacing_materialization() -%}
    {{- return('table') -}}
{%- endmacro %}
