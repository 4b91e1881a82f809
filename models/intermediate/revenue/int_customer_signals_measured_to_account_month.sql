{#
    Raw values behind the two DEAR composite scores (DECISIONLOG.md#dear), one LONG row per
    account x month-end x component of seeds/revenue/dear_composite_components (except roi_pillar,
    which comes from the scorecard mart; downtime from int_downtime_measured_to_account_month).
    Point-in-time: a value for month-end M uses only rows dated on or before M, inside the
    component's window of lookback_months whole months ending on M.
    raw_value is null when there is nothing to measure (no answers, no seats, no goals due).
#}

with

account_months as (

    select * from {{ ref('int_subscriptions_spread_to_account_month') }}

),

components as (

    select * from {{ ref('dear_composite_components') }}

),

parameters as (

    select * from {{ ref('revenue_parameters') }}

),

survey_responses as (

    select * from {{ ref('int_survey_responses_classified') }}

),

csat_answers as (

    select * from {{ ref('int_csat_answers_unioned') }}

),

support_cases as (

    select * from {{ ref('stg_support__cases') }}

),

downtime_measured as (

    select * from {{ ref('int_downtime_measured_to_account_month') }}

),

success_goals as (

    select * from {{ ref('stg_cs__success_goals') }}

),

settings as (

    select parameters.p1_case_weight from parameters

),

windows as (

    select
        account_months.account_id,
        account_months.month_end,
        account_months.seats,
        components.component_id,
        {{ month_window_bounds('account_months.month_end', 'components.lookback_months') }}
    from account_months
    inner join components
        on components.component_id in (
            'nps', 'csat', 'support_burden', 'goals_achieved', 'success_check'
        )

),

nps_measured as (

    select
        windows.account_id,
        windows.month_end,
        windows.component_id,
        cast(100 as double) * (
            count(*) filter (where survey_responses.is_nps_promoter)
            - count(*) filter (where survey_responses.is_nps_detractor)
        ) / count(*) as raw_value,
        count(*) as data_point_count
    from windows
    cross join settings
    inner join survey_responses
        on
            windows.account_id = survey_responses.account_id
            and survey_responses.survey_type = 'nps'
            and windows.window_start_at <= survey_responses.responded_at
            and windows.window_end_at > survey_responses.responded_at
    where windows.component_id = 'nps'
    group by windows.account_id, windows.month_end, windows.component_id

),

csat_measured as (

    select
        windows.account_id,
        windows.month_end,
        windows.component_id,
        avg(csat_answers.csat) as raw_value,
        count(*) as data_point_count
    from windows
    inner join csat_answers
        on
            windows.account_id = csat_answers.account_id
            and windows.window_start_at <= csat_answers.answered_at
            and windows.window_end_at > csat_answers.answered_at
    where windows.component_id = 'csat'
    group by windows.account_id, windows.month_end, windows.component_id

),

success_checks_measured as (

    select
        windows.account_id,
        windows.month_end,
        windows.component_id,
        avg(survey_responses.score) as raw_value,
        count(*) as data_point_count
    from windows
    inner join survey_responses
        on
            windows.account_id = survey_responses.account_id
            and survey_responses.survey_type = 'success_check'
            and windows.window_start_at <= survey_responses.responded_at
            and windows.window_end_at > survey_responses.responded_at
    where windows.component_id = 'success_check'
    group by windows.account_id, windows.month_end, windows.component_id

),

support_burden_measured as (

    select
        windows.account_id,
        windows.month_end,
        windows.component_id,
        100.0 * coalesce(sum(
            case
                when support_cases.priority = 'p1' then settings.p1_case_weight
                when support_cases.case_id is not null then 1
            end
        ), 0) / nullif({{ any_non_null('windows.seats') }}, 0) as raw_value,
        count(support_cases.case_id) as data_point_count
    from windows
    cross join settings
    left join support_cases
        on
            windows.account_id = support_cases.account_id
            and windows.window_start_at <= support_cases.created_at
            and windows.window_end_at > support_cases.created_at
    where windows.component_id = 'support_burden'
    group by windows.account_id, windows.month_end, windows.component_id

),

goals_measured as (

    select
        windows.account_id,
        windows.month_end,
        windows.component_id,
        avg(
            case
                when
                    success_goals.achieved_at is not null
                    and success_goals.achieved_at <= success_goals.due_at
                    and success_goals.achieved_at <= windows.month_end
                    then cast(1 as double)
                else cast(0 as double)
            end
        ) as raw_value,
        count(*) as data_point_count
    from windows
    inner join success_goals
        on
            windows.account_id = success_goals.account_id
            and success_goals.due_at >= cast(windows.window_start_at as date)
            and windows.month_end >= success_goals.due_at
    where windows.component_id = 'goals_achieved'
    group by windows.account_id, windows.month_end, windows.component_id

),

revenue_retention_measured as (

    select
        current_months.account_id,
        current_months.month_end,
        components.component_id,
        cast(current_months.mrr as double) / cast(base_months.mrr as double) as raw_value,
        1 as data_point_count
    from account_months as current_months
    inner join components
        on components.component_id = 'revenue_retention'
    inner join account_months as base_months
        on
            current_months.account_id = base_months.account_id
            and base_months.month_end
            = last_day(
                current_months.month_end - {{ months_interval('components.lookback_months') }}
            )
    where base_months.mrr > 0

),

unioned as (

    select * from nps_measured
    union all
    select * from csat_measured
    union all
    select * from success_checks_measured
    union all
    select * from support_burden_measured
    union all
    select * from downtime_measured
    union all
    select * from goals_measured
    union all
    select * from revenue_retention_measured

),

final as (

    select
        account_id,
        month_end,
        component_id,
        cast(raw_value as double) as raw_value,
        cast(data_point_count as integer) as data_point_count
    from unioned

)

select * from final
