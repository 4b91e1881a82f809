{#
    fct_account_health_daily has one <component>_raw and one <component>_score column per component
    of the registry (health_components), and no _raw column of a component the registry does not
    know: the contract and the registry agree once built. Returns the columns that break it.
#}

{%- set mart = ref('fct_account_health_daily') -%}

with

health_components as (

    select * from {{ ref('health_components') }}

),

mart_columns as (

    {{ relation_columns(mart) }}

),

columns_expected as (

    select health_components.component_id || suffixes.suffix as column_name
    from health_components
    cross join (values ('_raw'), ('_score')) as suffixes (suffix)

),

columns_missing as (

    select
        columns_expected.column_name,
        'registry component without its mart column' as problem
    from columns_expected
    anti join mart_columns
        on columns_expected.column_name = mart_columns.column_name

),

columns_unknown as (

    select
        mart_columns.column_name,
        'mart column of a component the registry does not know' as problem
    from mart_columns
    anti join columns_expected
        on mart_columns.column_name = columns_expected.column_name
    where right(mart_columns.column_name, 4) = '_raw'

),

final as (

    select * from columns_missing
    union all
    select * from columns_unknown

)

select * from final
