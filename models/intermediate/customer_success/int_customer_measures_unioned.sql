{{ config(materialized='view') }}

{#
    Every customer-success measure (engagement, ROI, experience, relationship, commercial, advocacy)
    in the scorecard's long format. A view: the four inputs are incremental tables, and the scoring
    engine reads only the new days from here, so nothing is copied twice.
#}

with

engagement as (

    select * from {{ ref('int_engagement_measured_to_account_day') }}

),

outcomes as (

    select * from {{ ref('int_outcomes_measured_to_account_day') }}

),

experience as (

    select * from {{ ref('int_experience_measured_to_account_day') }}

),

commercial as (

    select * from {{ ref('int_commercial_measured_to_account_day') }}

),

measures_unioned as (

    select * from engagement
    union all
    select * from outcomes
    union all
    select * from experience
    union all
    select * from commercial

),

final as (

    select
        cast(account_id as string) as account_id,
        cast(score_date as date) as score_date,
        cast(component_id as string) as component_id,
        cast(raw_value as double) as raw_value,
        cast(measured_on as date) as measured_on
    from measures_unioned

)

select * from final
