{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    The three CS-touchpoint measures of engagement on each account day of the spine (rules in
    int_engagement_measured_to_account_day): days since the last CS activity (since the account
    became a customer when it never had one), activities in the touchpoint window, and whether
    one of them was executive (an exec_briefing, or a contact of a var health_exec_personas
    persona). Null before the activities source's first row. Incremental: new spine days only.
#}

{%- set touchpoint_days = var('health_touchpoint_window_days') -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

activities as (

    select * from {{ ref('stg_cs__activities') }}

),

contacts as (

    select * from {{ ref('int_contacts_persona_assigned') }}

),

days as (

    select
        spine.account_id,
        spine.score_date,
        accounts.customer_since
    from spine
    inner join accounts
        on spine.account_id = accounts.account_id
    where {{ spine_days_not_yet_built() }}

),

activities_dated as (

    select
        activities.account_id,
        activities.activity_type,
        cast(activities.occurred_at as date) as activity_date,
        contacts.persona
    from activities
    left join contacts
        on activities.contact_id = contacts.contact_id

),

activity_days as (

    select distinct
        account_id,
        activity_date
    from activities_dated

),

-- an empty table has no start: counts are 0 from the first day (a table that was not provided
-- at all is missing, which int_health_measures_sourced applies)
activities_started as (

    select {{ source_start_date('activities_dated', 'activity_date') }} as activities_from

),

last_touchpoint_found as (

    select
        days.account_id,
        days.score_date,
        activity_days.activity_date as last_activity_date
    from days
    {{ asof_join('left') }} activity_days
        on
            days.account_id = activity_days.account_id
            and days.score_date >= activity_days.activity_date
    {{ asof_latest_only(['days.account_id', 'days.score_date'], 'activity_days.activity_date') }}

),

touchpoints_counted as (

    select
        days.account_id,
        days.score_date,
        count(activities_dated.activity_date) as touchpoint_count,
        count(
            case
                when
                    activities_dated.activity_type = 'exec_briefing'
                    or activities_dated.persona in (
                        {{ quoted_list(var('health_exec_personas')) }}
                    )
                    then 1
            end
        ) as exec_touchpoint_count
    from days
    left join activities_dated
        on
            days.account_id = activities_dated.account_id
            and {{ in_trailing_days(
                'activities_dated.activity_date', 'days.score_date', touchpoint_days
            ) }}
    group by days.account_id, days.score_date

),

final as (

    select
        days.account_id,
        days.score_date,
        case
            when days.score_date >= activities_started.activities_from
                then cast({{ dbt.datediff(
                    'coalesce(last_touchpoint_found.last_activity_date,'
                    ~ ' least(days.customer_since, days.score_date))',
                    'days.score_date',
                    'day',
                ) }} as bigint)
        end as days_since_cs_touchpoint,
        case
            when days.score_date >= activities_started.activities_from
                then touchpoints_counted.touchpoint_count
        end as cs_touchpoints_90d,
        case
            when days.score_date >= activities_started.activities_from
                then least(touchpoints_counted.exec_touchpoint_count, 1)
        end as exec_sponsor_engaged_90d
    from days
    cross join activities_started
    left join last_touchpoint_found
        on
            days.account_id = last_touchpoint_found.account_id
            and days.score_date = last_touchpoint_found.score_date
    left join touchpoints_counted
        on
            days.account_id = touchpoints_counted.account_id
            and days.score_date = touchpoints_counted.score_date

)

select * from final
