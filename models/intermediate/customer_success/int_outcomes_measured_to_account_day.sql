{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date', 'component_id'],
        on_schema_change='fail',
    )
}}

{#
    ROI and relationship measures, point-in-time, long format (see int_engagement_measured_to_account_day
    for the shared rules). Latest-value measures (the critical success factor ratings) carry the date
    of the rating as measured_on, so an old rating goes stale (health_components.max_age_days) and
    drops out of the score instead of speaking for an account nobody has looked at.
#}

{%- set goal_days = var('health_goal_window_days') -%}
{%- set survey_days = var('health_survey_window_days') -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

health_components as (

    select * from {{ ref('health_components') }}

),

success_goals as (

    select * from {{ ref('stg_cs__success_goals') }}

),

survey_responses as (

    select * from {{ ref('stg_surveys__responses') }}

),

assessments as (

    select * from {{ ref('stg_cs__assessments') }}

),

days as (

    select
        spine.account_id,
        spine.segment,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

goals_rated as (

    select
        days.account_id,
        days.score_date,
        count(success_goals.goal_id) as goals_due_count,
        count(
            case
                when
                    success_goals.achieved_at is not null
                    and success_goals.achieved_at <= success_goals.due_at
                    then 1
            end
        ) as goals_on_time_count,
        max(success_goals.due_at) as last_due_date
    from days
    inner join success_goals
        on
            days.account_id = success_goals.account_id
            and {{ in_trailing_days('success_goals.due_at', 'days.score_date', goal_days) }}
    group by days.account_id, days.score_date

),

success_checks_averaged as (

    select
        days.account_id,
        days.score_date,
        cast(max(survey_responses.responded_at) as date) as last_response_date,
        avg(survey_responses.score) as success_check_score
    from days
    inner join survey_responses
        on
            days.account_id = survey_responses.account_id
            and survey_responses.survey_type = 'success_check'
            and {{ in_trailing_days(
                'survey_responses.responded_at', 'days.score_date', survey_days
            ) }}
    group by days.account_id, days.score_date

),

assessments_dated as (

    select
        account_id,
        factor,
        rating,
        cast(assessed_at as date) as assessed_date,
        assessed_at
    from assessments
    -- one rating per account, factor and day: the last one entered that day
    qualify row_number() over (
        partition by account_id, factor, cast(assessed_at as date)
        order by assessed_at desc, assessment_id desc
    ) = 1

),

factors as (

    select distinct factor from assessments

),

latest_ratings_found as (

    select
        days_by_factor.account_id,
        days_by_factor.score_date,
        cast(assessments_dated.rating as double) as raw_value,
        assessments_dated.assessed_date as measured_on,
        'csf_' || days_by_factor.factor as component_id
    from (
        select
            days.account_id,
            days.score_date,
            factors.factor
        from days
        cross join factors
    ) as days_by_factor
    {{ asof_join('inner') }} assessments_dated
        on
            days_by_factor.account_id = assessments_dated.account_id
            and days_by_factor.factor = assessments_dated.factor
            and days_by_factor.score_date >= assessments_dated.assessed_date
    {{ asof_latest_only(
        ['days_by_factor.account_id', 'days_by_factor.score_date', 'days_by_factor.factor'],
        'assessments_dated.assessed_date',
    ) }}

),

-- the registry's outcome components: ratings of factors it does not name are not scored
outcome_components as (

    select component_id from health_components
    where source_model = 'int_outcomes_measured_to_account_day'

),

days_by_component as (

    select
        days.account_id,
        days.score_date,
        outcome_components.component_id
    from days
    cross join outcome_components

),

measures_unioned as (

    select
        account_id,
        score_date,
        'goals_on_time_rate' as component_id,
        {{ safe_divide('goals_on_time_count', 'goals_due_count') }} as raw_value,
        last_due_date as measured_on
    from goals_rated

    union all

    select
        account_id,
        score_date,
        'success_check_score' as component_id,
        cast(success_check_score as double) as raw_value,
        last_response_date as measured_on
    from success_checks_averaged

    union all

    select
        account_id,
        score_date,
        component_id,
        raw_value,
        measured_on
    from latest_ratings_found

),

-- every account x day x component gets a row; no data behind it = raw_value null
final as (

    select
        days_by_component.account_id,
        days_by_component.score_date,
        days_by_component.component_id,
        measures_unioned.raw_value,
        measures_unioned.measured_on
    from days_by_component
    left join measures_unioned
        on
            days_by_component.account_id = measures_unioned.account_id
            and days_by_component.score_date = measures_unioned.score_date
            and days_by_component.component_id = measures_unioned.component_id

)

select * from final
