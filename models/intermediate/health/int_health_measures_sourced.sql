{{ config(materialized='view') }}

{#
    Every measure of the scorecard (product and customer-success) in the long format, with the
    raw value of a component whose source was not provided set to null: the scoring engine then
    counts it as missing and shares its weight over the rest, never as 0 (a red score). Which
    tables each component needs is the component_sources seed; which tables were provided is
    int_raw_tables_provided. A view, so the engine's incremental day filter reaches the measures.
#}

with

product_measures as (

    select * from {{ ref('int_product_measures_unioned') }}

),

customer_measures as (

    select * from {{ ref('int_customer_measures_unioned') }}

),

component_sources as (

    select * from {{ ref('component_sources') }}

),

raw_tables_provided as (

    select * from {{ ref('int_raw_tables_provided') }}

),

components_checked as (

    select
        component_sources.component_id,
        -- every required table provided, and one of the one_of tables when there are any;
        -- a refines table changes how the measure is computed, never whether
        coalesce(bool_and(coalesce(raw_tables_provided.is_provided, false)) filter (
            where component_sources.role = 'required'
        ), true)
        and coalesce(bool_or(coalesce(raw_tables_provided.is_provided, false)) filter (
            where component_sources.role = 'one_of'
        ), true) as is_sourced
    from component_sources
    left join raw_tables_provided
        on component_sources.table_name = raw_tables_provided.table_name
    group by component_sources.component_id

),

measures_unioned as (

    select
        account_id,
        score_date,
        component_id,
        raw_value,
        measured_on
    from product_measures

    union all

    select
        account_id,
        score_date,
        component_id,
        raw_value,
        measured_on
    from customer_measures

),

final as (

    select
        measures_unioned.account_id,
        measures_unioned.score_date,
        measures_unioned.component_id,
        case
            when coalesce(components_checked.is_sourced, true) then measures_unioned.raw_value
        end as raw_value,
        case
            when coalesce(components_checked.is_sourced, true) then measures_unioned.measured_on
        end as measured_on
    from measures_unioned
    left join components_checked
        on measures_unioned.component_id = components_checked.component_id

)

select * from final
