{#
    Customer experience trajectory (DECISIONLOG.md#experience-trajectory, source article 003):
    how health, experience and revenue retention change with the stage of the customer journey, by
    segment and product, month by month. Stages come from seeds/scorecard/journey_stages (tenure in
    days since customer_since on the month-end).
    - Current-state columns describe the accounts paying at the month-end that are in the stage now.
    - nrr_12m_rate / grr_12m_rate follow the accounts that were in the stage (and segment, and owned
      the product) twelve months before: their MRR now / their MRR then (product rows use that
      product's MRR). So the onboarding row says how last year's onboarding cohort retained.
    - promoter_share_rate: promoters / NPS answers in the nps window of the paying accounts.
    'all' rows exist for segment, journey_stage and product_id.
#}
{%- set nrr_lookback_months = var('experience_nrr_lookback_months') %}

with

account_months as (

    select * from {{ ref('int_subscriptions_spread_to_account_month') }}

),

holdings as (

    select * from {{ ref('int_account_holdings_staged_to_month') }}

),

dear_monthly as (

    select * from {{ ref('fct_account_dear_monthly') }}

),

survey_responses as (

    select * from {{ ref('int_survey_responses_classified') }}

),

components as (

    select * from {{ ref('dear_composite_components') }}

),

-- Each row counts four times: by segment and stage, by segment only (stage 'all'), by stage only
-- (segment 'all') and once more under segment 'all' and stage 'all'.
settings as (

    select
        (
            select components.lookback_months
            from components
            where components.component_id = 'nps'
        ) as nps_lookback_months

),

rollup_levels as (

    select
        true as is_by_segment,
        true as is_by_stage
    union all
    select
        true as is_by_segment,
        false as is_by_stage
    union all
    select
        false as is_by_segment,
        true as is_by_stage
    union all
    select
        false as is_by_segment,
        false as is_by_stage

),

-- the holdings a stage follows: an account known to the CRM, in a journey stage
holdings_staged as (

    select * from holdings
    where journey_stage is not null

),

month_ends as (

    select distinct month_end from account_months

),

nps_answers_aggregated as (

    select
        account_months.account_id,
        account_months.month_end,
        count(*) as nps_answer_count,
        count(*) filter (
            where survey_responses.is_nps_promoter
        ) as promoter_answer_count
    from account_months
    cross join settings
    inner join survey_responses
        on
            account_months.account_id = survey_responses.account_id
            and survey_responses.survey_type = 'nps'
            and survey_responses.responded_at
            < cast(account_months.month_end + interval 1 day as timestamp)
            and survey_responses.responded_at >= cast(
                account_months.month_end + interval 1 day
                - {{ months_interval('settings.nps_lookback_months') }} as timestamp
            )
    where account_months.mrr > 0
    group by account_months.account_id, account_months.month_end

),

current_state_joined as (

    select
        holdings_staged.account_id,
        holdings_staged.product_id,
        holdings_staged.month_end,
        holdings_staged.mrr,
        holdings_staged.tenure_days,
        dear_monthly.health_score,
        dear_monthly.customer_experience_score,
        dear_monthly.customer_outcomes_score,
        case
            when rollup_levels.is_by_segment then holdings_staged.segment else 'all'
        end as segment,
        case
            when rollup_levels.is_by_stage then holdings_staged.journey_stage else 'all'
        end as journey_stage,
        coalesce(nps_answers_aggregated.nps_answer_count, 0) as nps_answer_count,
        coalesce(nps_answers_aggregated.promoter_answer_count, 0) as promoter_answer_count
    from holdings_staged
    left join dear_monthly
        on
            holdings_staged.account_id = dear_monthly.account_id
            and holdings_staged.month_end = dear_monthly.month_end
    left join nps_answers_aggregated
        on
            holdings_staged.account_id = nps_answers_aggregated.account_id
            and holdings_staged.month_end = nps_answers_aggregated.month_end
    cross join rollup_levels

),

current_state_aggregated as (

    select
        segment,
        journey_stage,
        product_id,
        month_end,
        cast(count(*) as integer) as account_count,
        cast(sum(mrr) as decimal(18, 2)) as mrr,
        cast(sum(nps_answer_count) as integer) as nps_answer_count,
        cast(sum(promoter_answer_count) as integer) as promoter_answer_count,
        avg(tenure_days) as avg_tenure_days,
        -- averaged as decimals: an exact sum, so a rebuild of the same data gives the same bits
        avg(cast(health_score as decimal(18, 6))) as avg_health_score,
        avg(cast(customer_experience_score as decimal(18, 6))) as avg_customer_experience_score,
        avg(cast(customer_outcomes_score as decimal(18, 6))) as avg_customer_outcomes_score
    from current_state_joined
    group by segment, journey_stage, product_id, month_end

),

base_followed as (

    select
        base_holdings.product_id,
        current_months.month_end,
        base_holdings.mrr as base_mrr,
        case
            when rollup_levels.is_by_segment then base_holdings.segment else 'all'
        end as segment,
        case
            when rollup_levels.is_by_stage then base_holdings.journey_stage else 'all'
        end as journey_stage,
        coalesce(current_holdings.mrr, 0) as current_mrr
    from holdings_staged as base_holdings
    inner join month_ends as current_months
        on
            base_holdings.month_end
            = last_day(current_months.month_end - interval {{ nrr_lookback_months }} month)
    left join holdings as current_holdings
        on
            base_holdings.account_id = current_holdings.account_id
            and base_holdings.product_id = current_holdings.product_id
            and current_months.month_end = current_holdings.month_end
    cross join rollup_levels

),

base_aggregated as (

    select
        segment,
        journey_stage,
        product_id,
        month_end,
        cast(count(*) as integer) as base_12m_account_count,
        sum(base_mrr) as base_12m_starting_mrr,
        sum(current_mrr) as base_12m_current_mrr,
        sum(least(current_mrr, base_mrr)) as base_12m_capped_mrr
    from base_followed
    group by segment, journey_stage, product_id, month_end

),

final as (

    select
        coalesce(current_state.segment, base.segment) as segment,
        coalesce(current_state.journey_stage, base.journey_stage) as journey_stage,
        coalesce(current_state.product_id, base.product_id) as product_id,
        coalesce(current_state.account_count, 0) as account_count,
        coalesce(current_state.mrr, 0) as mrr,
        current_state.avg_tenure_days,
        -- a double on both engines (Spark's average of decimals is a decimal)
        cast(current_state.avg_health_score as double) as avg_health_score,
        cast(current_state.avg_customer_experience_score as double)
            as avg_customer_experience_score,
        cast(current_state.avg_customer_outcomes_score as double) as avg_customer_outcomes_score,
        coalesce(current_state.nps_answer_count, 0) as nps_answer_count,
        {{ safe_divide('current_state.promoter_answer_count', 'current_state.nps_answer_count') }}
            as promoter_share_rate,
        coalesce(base.base_12m_account_count, 0) as base_12m_account_count,
        cast(coalesce(base.base_12m_starting_mrr, 0) as decimal(18, 2)) as base_12m_starting_mrr,
        cast(coalesce(base.base_12m_current_mrr, 0) as decimal(18, 2)) as base_12m_current_mrr,
        {{ safe_divide('base.base_12m_current_mrr', 'base.base_12m_starting_mrr') }}
            as nrr_12m_rate,
        {{ safe_divide('base.base_12m_capped_mrr', 'base.base_12m_starting_mrr') }}
            as grr_12m_rate,
        coalesce(current_state.month_end, base.month_end) as month_end
    from current_state_aggregated as current_state
    full outer join base_aggregated as base
        on
            current_state.segment = base.segment
            and current_state.journey_stage = base.journey_stage
            and current_state.product_id = base.product_id
            and current_state.month_end = base.month_end

)

select * from final
