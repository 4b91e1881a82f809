{#
    The component ids of the health_components seed (the registry), sorted, optionally only those
    whose source_model is `measured_by`. Measure models unpivot exactly these columns and
    fct_account_health_daily pivots them, so adding a component is one seed row plus its measure.
    Reads the built seed at run time; a model calling this declares `-- depends_on:` the seed so it
    runs after it. At parse time (no database) and under `make lint` (an empty throwaway database,
    ACCOUNT_HEALTH_LINT set) it returns a placeholder list, since only the SQL's shape matters there.
#}
{% macro health_component_ids(measured_by=none) -%}
    {%- set registry = none -%}
    {%- if execute -%}
        {#- a unit test compiles without the graph: the seed is then read where seeds are built -#}
        {%- set seed = (graph.get('nodes') or {}).get('seed.account_health.health_components') -%}
        {%- set registry = adapter.get_relation(
            database=seed.database if seed else target.database,
            schema=seed.schema if seed else generate_schema_name('config', none),
            identifier=seed.alias if seed else 'health_components',
        ) -%}
    {%- endif -%}
    {%- if registry is none -%}
        {%- if not execute or env_var('ACCOUNT_HEALTH_LINT', '') -%}
            {{ return(['component_placeholder']) }}
        {%- endif -%}
        {{ exceptions.raise_compiler_error(
            'seed health_components is not built: run `dbt seed` (or `dbt build`) first'
        ) }}
    {%- endif -%}
    {%- set query -%}
        select component_id from {{ registry }}
        {% if measured_by is not none -%}
            where source_model = '{{ measured_by }}'
        {%- endif %}
        order by component_id
    {%- endset -%}
    {%- set component_ids = run_query(query).columns[0].values() | list -%}
    {%- if component_ids | length == 0 -%}
        {{ exceptions.raise_compiler_error(
            'health_components names no component measured by ' ~ measured_by
        ) }}
    {%- endif -%}
    {{ return(component_ids) }}
{%- endmacro %}
