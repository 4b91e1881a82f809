{#
    Snapshots on Spark without Delta (DECISIONLOG.md#engines-snapshots). dbt-spark's snapshot merges
    the changes into the snapshot table, which needs Delta, Iceberg or Hudi (their jars are not on
    PyPI); on Parquet it stops. This materialization, the project's own for the spark adapter, keeps
    dbt's snapshot logic (strategy, staging rows, column names, dbt_valid_to_current) and replaces
    only the merge: the table is rewritten whole, as the merge would leave it, into a new table that
    then takes the snapshot's name.

    - first run: the table is created from dbt's build_snapshot_table, as dbt-spark does;
    - later runs: dbt's staging rows (dbt_change_type insert, update or delete) give the new table:
      every row of the old one, with the current row of each updated or deleted key closed
      (dbt_valid_to from the staging row), then the inserted rows. A column the source gained is
      added (null on the old rows), as dbt-spark's create_columns does.
    DuckDB keeps dbt-duckdb's snapshot (a merge on its own tables).
#}
{% materialization snapshot, adapter='spark' %}

    {%- set identifier = model.get('alias', model.get('name')) -%}
    {%- set grant_config = config.get('grants') -%}
    {%- set columns = config.get('snapshot_table_column_names') or get_snapshot_table_column_names() -%}

    {% set target_exists, target_relation = get_or_create_relation(
        database=none, schema=model.schema, identifier=identifier, type='table'
    ) -%}
    {% if not adapter.check_schema_exists(model.database, model.schema) %}
        {% do create_schema(model.schema) %}
    {% endif %}

    {{ run_hooks(pre_hooks) }}

    {% set strategy_macro = strategy_dispatch(config.get('strategy')) %}
    {% set strategy = strategy_macro(model, 'snapshotted_data', 'source_data', model['config'], target_exists) %}

    {% if not target_exists %}
        {% call statement('main') %}
            {{ create_table_as(False, target_relation, build_snapshot_table(strategy, model['compiled_code'])) }}
        {% endcall %}
    {% else %}
        {{ adapter.valid_snapshot_target(target_relation, columns) }}
        {% set staging_relation = spark_build_snapshot_staging_table(strategy, sql, target_relation) %}
        {% call statement('main') %}
            {{ table_rewritten(target_relation, target_relation, snapshot_rewritten_sql(
                target_relation, staging_relation, columns
            )) }}
        {% endcall %}
        {% do post_snapshot(staging_relation) %}
    {% endif %}

    {% set should_revoke = should_revoke(target_exists, full_refresh_mode) %}
    {% do apply_grants(target_relation, grant_config, should_revoke) %}
    {% do persist_docs(target_relation, model) %}

    {{ run_hooks(post_hooks) }}

    {{ return({'relations': [target_relation]}) }}

{% endmaterialization %}


{#
    The snapshot table after one run, as a select: the old rows (the current row of a key the staging
    rows update or delete gets their dbt_valid_to), then the staging rows to insert. Columns: the old
    table's, then any the source gained (null on the old rows).
#}
{% macro snapshot_rewritten_sql(target_relation, staging_relation, columns) %}
    {%- set staging_only = ['dbt_change_type', 'dbt_unique_key'] -%}
    {%- set old_columns = adapter.get_columns_in_relation(target_relation) -%}
    {%- set new_columns = adapter.get_missing_columns(staging_relation, target_relation)
        | rejectattr('name', 'in', staging_only) | list -%}
    {%- set valid_to = columns.dbt_valid_to -%}
    {%- set current = config.get('dbt_valid_to_current') -%}

    with

    closing as (

        select
            {{ columns.dbt_scd_id }} as closed_scd_id,
            {{ valid_to }} as closed_valid_to
        from {{ staging_relation }}
        where dbt_change_type in ('update', 'delete')

    ),

    old_rows as (

        select
            {%- for column in old_columns %}
                {%- if column.name == valid_to %}
                    case
                        when closing.closed_scd_id is not null
                            and (old.{{ valid_to }} is null
                                {%- if current %} or old.{{ valid_to }} = {{ current }}{% endif %})
                            then closing.closed_valid_to
                        else old.{{ valid_to }}
                    end as {{ adapter.quote(valid_to) }}
                {%- else %}
                    old.{{ adapter.quote(column.name) }}
                {%- endif %}
                {%- if not loop.last or new_columns %},{% endif %}
            {%- endfor %}
            {%- for column in new_columns %}
                cast(null as {{ column.data_type }}) as {{ adapter.quote(column.name) }}
                {%- if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ target_relation }} as old
        left join closing
            on old.{{ columns.dbt_scd_id }} = closing.closed_scd_id

    ),

    inserted_rows as (

        select
            {%- for column in old_columns + new_columns %}
                {{ adapter.quote(column.name) }}{% if not loop.last %},{% endif %}
            {%- endfor %}
        from {{ staging_relation }}
        where dbt_change_type = 'insert'

    ),

    final as (

        select * from old_rows
        union all
        select * from inserted_rows

    )

    select * from final
{% endmacro %}


{#
    The time a snapshot stamps its rows with (dbt_updated_at, dbt_valid_from, dbt_valid_to). dbt's
    default, current_timestamp(), is Spark's zoned TIMESTAMP (LTZ) even under timestampType NTZ, where
    every other timestamp of the project, and DuckDB's snapshot columns, are naive: the session's UTC
    wall clock without a zone, as on DuckDB.
#}
{% macro spark__snapshot_get_time() -%}
    cast(current_timestamp() as timestamp_ntz)
{%- endmacro %}
