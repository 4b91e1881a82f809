{#
    On a daily run, the data tests of an account-day incremental model check only the rows the run
    wrote, not the whole history again (DECISIONLOG.md#daily-tests-new-rows). An account-day
    incremental model is materialized incremental with account_id and score_date in its unique_key:
    it rewrites only the days after the last one it holds per account (spine_days_not_yet_built),
    so its earlier rows were tested by the run that wrote them.

    - record_built_through(): the pre-hook of every intermediate and mart model (dbt_project.yml);
      for an account-day incremental model it keeps each account's last day, before the model
      builds, in build_state.<model> (no rows on a full build, where every row is new). Any other
      model renders nothing, and dbt runs no hook. The schema is made once per run, by
      create_build_state_schema (on-run-start): two models' hooks creating it at once conflict.
    - default__get_where_subquery(relation): dbt's hook for a test's `where` config, overridden: on
      such a model a generic test reads the rows after the account's recorded last day (and its
      own `where`, if any); any other relation, or one built before the hook existed, is read as
      dbt reads it.
#}

{% macro is_account_day_incremental(node) -%}
    {%- set unique_key = node.config.get('unique_key') or [] -%}
    {%- set unique_key = [unique_key] if unique_key is string else unique_key -%}
    {{- return(
        node.config.get('materialized') == 'incremental'
        and 'account_id' in unique_key
        and 'score_date' in unique_key
    ) -}}
{%- endmacro %}

{% macro built_through_relation(identifier) -%}
    {#- Spark's target has no database (a schema is its database) -#}
    {{- return(api.Relation.create(
        database=target.get('database'), schema='build_state', identifier=identifier
    )) -}}
{%- endmacro %}

{% macro create_build_state_schema() -%}
    create schema if not exists {{ built_through_relation('any').schema }}
{%- endmacro %}

{% macro record_built_through() -%}
    {%- if execute and is_account_day_incremental(model) -%}
        {%- set recorded = built_through_relation(this.identifier) -%}
        {{ table_replaced(recorded) }} as
        {% if is_incremental() -%}
            select
                account_id,
                max(score_date) as built_through
            from {{ this }}
            group by account_id
        {%- else -%}
            select
                cast(null as string) as account_id,
                cast(null as date) as built_through
            limit 0
        {%- endif %}
    {%- endif -%}
{%- endmacro %}

{% macro default__get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {#- the model under test: a generic test's node names it (attached_node); a lookup, not a scan -#}
    {%- set tested = graph.nodes.get(model.get('attached_node') or '') if execute else none -%}
    {%- set recorded = none -%}
    {%- if tested is not none and tested.resource_type == 'model'
        and is_account_day_incremental(tested) -%}
        {#- asked of the database, not dbt's relation cache: the cache lists a schema once, and
            build_state gains its tables during the run -#}
        {%- set recorded_relation = built_through_relation(relation.identifier) -%}
        {%- if table_exists(recorded_relation) -%}
            {%- set recorded = recorded_relation -%}
        {%- endif -%}
    {%- endif -%}
    {%- if recorded is not none -%}
        {%- set filtered -%}
            (
                select *
                from (
                    select new_rows.*
                    from {{ relation }} as new_rows
                    left join {{ recorded }} as recorded
                        on new_rows.account_id = recorded.account_id
                    where
                        recorded.built_through is null
                        or new_rows.score_date > recorded.built_through
                ) as rows_of_this_run
                {%- if where %}
                    where {{ where }}
                {%- endif %}
            ) dbt_subquery
        {%- endset -%}
        {{- return(filtered) -}}
    {%- else -%}
        {{- return(dbt.default__get_where_subquery(relation)) -}}
    {%- endif -%}
{%- endmacro %}
