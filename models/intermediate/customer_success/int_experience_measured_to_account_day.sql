{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date', 'component_id'],
        on_schema_change='fail',
    )
}}

{#
    Experience measures from surveys and support cases, point-in-time, long format (shared rules in
    int_engagement_measured_to_account_day). Downtime is a product measure (int_product_measures_unioned).
    Resolution time is compared with the median of the account's segment on the same day, over the
    same window, computed from the cases resolved by then: the segment norm is point-in-time too.
#}

{%- set survey_days = var('health_survey_window_days') -%}
{%- set csat_days = var('health_csat_window_days') -%}
{%- set support_days = var('health_support_window_days') -%}

-- depends_on: {{ ref('health_components') }}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

survey_responses as (

    select * from {{ ref('int_survey_responses_classified') }}

),

cases_dated as (

    select * from {{ ref('int_support_cases_dated') }}

),

csat_answers as (

    select * from {{ ref('int_csat_answers_unioned') }}

),

resolution_times_compared as (

    select * from {{ ref('int_resolution_times_compared_to_account_day') }}

),

user_groups as (

    select * from {{ ref('int_user_groups_aggregated_to_account_day') }}

),

days as (

    select
        spine.account_id,
        spine.segment,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

sources_started as (

    -- an empty table has no start: counts are 0 from the first day (a table that was not
    -- provided at all is missing, which int_health_measures_sourced applies)
    select {{ source_start_date('cases_dated', 'created_date') }} as cases_from

),

nps_scored as (

    select
        days.account_id,
        days.score_date,
        cast(max(survey_responses.responded_at) as date) as last_response_date,
        100.0 * (
            count(case when survey_responses.is_nps_promoter then 1 end)
            - count(case when survey_responses.is_nps_detractor then 1 end)
        ) / count(*) as nps
    from days
    inner join survey_responses
        on
            days.account_id = survey_responses.account_id
            and survey_responses.survey_type = 'nps'
            and {{ in_trailing_days(
                'survey_responses.responded_at', 'days.score_date', survey_days
            ) }}
    group by days.account_id, days.score_date

),

csat_averaged as (

    select
        days.account_id,
        days.score_date,
        avg(csat_answers.csat) as csat_avg,
        max(csat_answers.answered_date) as last_answer_date
    from days
    inner join csat_answers
        on
            days.account_id = csat_answers.account_id
            and {{ in_trailing_days('csat_answers.answered_date', 'days.score_date', csat_days) }}
    group by days.account_id, days.score_date

),

cases_counted as (

    select
        days.account_id,
        days.score_date,
        count(cases_dated.created_date) as case_count,
        count(case when cases_dated.priority = 'p1' then 1 end) as p1_case_count,
        count(case when cases_dated.is_escalated then 1 end) as escalated_case_count
    from days
    left join cases_dated
        on
            days.account_id = cases_dated.account_id
            and {{ in_trailing_days('cases_dated.created_date', 'days.score_date', support_days) }}
    group by days.account_id, days.score_date

),

measures_joined as (

    select
        days.account_id,
        days.score_date,
        nps_scored.nps as nps_365d,
        nps_scored.last_response_date as nps_365d_measured_on,
        csat_averaged.csat_avg as csat_avg_180d,
        csat_averaged.last_answer_date as csat_avg_180d_measured_on,
        case
            when days.score_date >= sources_started.cases_from
                then {{ safe_divide(
                    '100.0 * cases_counted.case_count', 'user_groups.active_users'
                ) }}
        end as cases_per_100_active_users_90d,
        days.score_date as cases_per_100_active_users_90d_measured_on,
        case
            when days.score_date >= sources_started.cases_from
                then cases_counted.p1_case_count
        end as p1_cases_90d,
        days.score_date as p1_cases_90d_measured_on,
        case
            when days.score_date >= sources_started.cases_from
                then cases_counted.escalated_case_count
        end as escalations_90d,
        days.score_date as escalations_90d_measured_on,
        resolution_times_compared.resolution_time_vs_segment_median,
        resolution_times_compared.last_resolved_date
            as resolution_time_vs_segment_median_measured_on
    from days
    cross join sources_started
    left join nps_scored
        on
            days.account_id = nps_scored.account_id
            and days.score_date = nps_scored.score_date
    left join csat_averaged
        on
            days.account_id = csat_averaged.account_id
            and days.score_date = csat_averaged.score_date
    left join cases_counted
        on
            days.account_id = cases_counted.account_id
            and days.score_date = cases_counted.score_date
    left join user_groups
        on
            days.account_id = user_groups.account_id
            and days.score_date = user_groups.score_date
            and user_groups.user_group = 'all_users'
    left join resolution_times_compared
        on
            days.account_id = resolution_times_compared.account_id
            and days.score_date = resolution_times_compared.score_date

),

measures_unpivoted as (

    {{ unpivot_measures(
        'measures_joined', health_component_ids('int_experience_measured_to_account_day')
    ) }}

),

final as (

    select * from measures_unpivoted

)

select * from final
