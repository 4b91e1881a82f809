{#
    delete+insert on Spark without Delta (DECISIONLOG.md#engines-incremental). The incremental models
    replace rows by key: a run computes only its new days and replaces the stored rows of the same
    keys. DuckDB does it in place (dbt's delete+insert). Spark on Parquet has no row-level delete
    (merge needs Delta, Iceberg or Hudi, whose jars are not on PyPI; insert_overwrite replaces whole
    partitions, append keeps both copies of a key), so dbt-spark refuses the strategy. These two
    overrides of dbt-spark's incremental materialization add it: the run's rows (dbt-spark's
    temporary view of the model) are computed once (cached), the stored rows whose key they do not
    carry are written with them into a new table, which then takes the model's name. The same rows as
    DuckDB's delete (a key matches on equality, so a stored row with a null key part is kept) and
    insert; the cost of the run's rows is the new days', the rewrite a copy of the stored rows.
    Every other strategy is dbt-spark's.
#}
{% macro dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format) %}
    {%- if raw_strategy == 'delete+insert' -%}
        {{- return(raw_strategy) -}}
    {%- endif -%}
    {{- return(dbt_spark.dbt_spark_validate_get_incremental_strategy(raw_strategy, file_format)) -}}
{% endmacro %}

{% macro dbt_spark_get_incremental_sql(strategy, source, target, existing, unique_key, incremental_predicates) %}
    {%- if strategy != 'delete+insert' -%}
        {{- return(dbt_spark.dbt_spark_get_incremental_sql(
            strategy, source, target, existing, unique_key, incremental_predicates
        )) -}}
    {%- endif -%}
    {%- if not unique_key or incremental_predicates -%}
        {%- do exceptions.raise_compiler_error(
            'delete+insert on Spark needs a unique_key and takes no incremental_predicates: ' ~ target
        ) -%}
    {%- endif -%}
    {%- do run_query('cache table ' ~ source) -%}
    {%- set statement = table_rewritten(existing, target, rows_kept_and_inserted_sql(source, target, unique_key)) -%}
    {%- do run_query('uncache table ' ~ source) -%}
    {{ statement }}
{% endmacro %}

{#
    The model's table after a delete+insert run, as a select: the stored rows whose key the run's rows
    do not carry, then the run's rows; the stored table's columns in its order.
#}
{% macro rows_kept_and_inserted_sql(source, target, unique_key) %}
    {%- set keys = [unique_key] if unique_key is string else unique_key -%}
    {%- set columns = adapter.get_columns_in_relation(target) | map(attribute='quoted') | list -%}
    with

    kept as (
        select
            {%- for column in columns %}
            stored.{{ column }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ target }} as stored
        left anti join {{ source }} as run_rows
            on
            {%- for key in keys %}
                {% if not loop.first %}and {% endif %}stored.{{ key }} = run_rows.{{ key }}
            {%- endfor %}
    ),

    inserted as (
        select {{ columns | join(', ') }}
        from {{ source }}
    ),

    final as (
        select * from kept
        union all
        select * from inserted
    )

    select * from final
{% endmacro %}
