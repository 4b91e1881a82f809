{#
    Which raw tables the company provided. Landing creates every contract table, the empty ones
    too, so an empty table alone does not say "not provided": a table is provided when a file for
    it was landed (a 'loaded' row in raw._loads, even a file with no data rows) or when it holds
    rows (loaded some other way). account_health.provided applies the same rule before dbt runs, to
    check freshness only for provided tables.
#}

{%- set raw_tables = [
    ('crm', 'accounts'), ('crm', 'contacts'), ('crm', 'opportunities'), ('crm', 'referrals'),
    ('crm', 'wallet_estimates'), ('crm', 'churn_events'), ('licensing', 'subscriptions'),
    ('product', 'users'), ('product', 'usage_events'), ('product', 'integrations'),
    ('product', 'downtime_incidents'), ('support', 'support_cases'),
    ('surveys', 'survey_responses'), ('cs', 'csm_assessments'), ('cs', 'csm_activities'),
    ('cs', 'success_goals'),
] -%}

with

loads as (

    select * from {{ source('landing', '_loads') }}

),

tables_counted as (

    {%- for source_name, table_name in raw_tables %}

        select
            '{{ table_name }}' as table_name,
            '{{ source_name }}' as source_name,
            (select count(*) from {{ source(source_name, table_name) }}) as row_count,
            (select max(_loaded_at) from {{ source(source_name, table_name) }}) as last_loaded_at
        {% if not loop.last %}union all{% endif %}

    {%- endfor %}

),

optional_columns_counted as (

    select
        'usage_events.user_id' as table_name,
        'product' as source_name,
        count(user_id) as row_count,
        max(_loaded_at) filter (where user_id is not null) as last_loaded_at
    from {{ source('product', 'usage_events') }}

),

loads_aggregated_to_table as (

    select
        table_name,
        count(*) as files_loaded
    from loads
    where status = 'loaded'
    group by table_name

),

tables_checked as (

    select
        tables_counted.table_name,
        tables_counted.source_name,
        tables_counted.row_count,
        coalesce(loads_aggregated_to_table.files_loaded, 0) as files_loaded,
        tables_counted.row_count > 0
        or coalesce(loads_aggregated_to_table.files_loaded, 0) > 0 as is_provided,
        tables_counted.last_loaded_at
    from tables_counted
    left join loads_aggregated_to_table
        on tables_counted.table_name = loads_aggregated_to_table.table_name

),

optional_columns_checked as (

    select
        table_name,
        source_name,
        row_count,
        0 as files_loaded,
        row_count > 0 as is_provided,
        last_loaded_at
    from optional_columns_counted

),

checks_unioned as (

    select * from tables_checked
    union all
    select * from optional_columns_checked

),

final as (

    select
        cast(table_name as string) as table_name,
        cast(source_name as string) as source_name,
        cast(row_count as bigint) as row_count,
        cast(files_loaded as bigint) as files_loaded,
        is_provided,
        cast(last_loaded_at as timestamp) as last_loaded_at
    from checks_unioned

)

select * from final
