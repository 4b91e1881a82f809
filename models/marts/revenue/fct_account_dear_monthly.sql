{#
    DEAR per account per month-end (DECISIONLOG.md#dear).
    - deployment, engagement, adoption, roi: the scorecard's DEAR pillar scores on the month-end row
      of fct_account_health_daily (so they match the health score the CSM saw that day).
    - customer_experience_score, customer_outcomes_score: weighted means of the components in
      seeds/revenue/dear_composite_components; each raw value maps linearly to 0-100
      (value_at_zero_score -> 0, value_at_full_score -> 100, clamped: macro threshold_score, the
      health components' rule); a component without a value is 'missing', the others 'used', and
      each composite is the health engine's weighted mean of its used components (macro
      used_weighted_mean, the one that gives the pillar and DEAR pillar scores): the weights of
      missing components are shared over the rest; null when none is used.
#}

with

account_months as (

    select * from {{ ref('fct_account_mrr_monthly') }}

),

health_daily as (

    select * from {{ ref('fct_account_health_daily') }}

),

signals as (

    select * from {{ ref('int_customer_signals_measured_to_account_month') }}

),

components as (

    select * from {{ ref('dear_composite_components') }}

),

customer_months as (

    select
        account_id,
        segment,
        month_end,
        ending_mrr
    from account_months
    where is_active_at_end

),

health_on_month_end as (

    select
        health_daily.account_id,
        health_daily.score_date as month_end,
        health_daily.health_score,
        health_daily.health_band,
        health_daily.deployment_score,
        health_daily.engagement_score,
        health_daily.adoption_score,
        health_daily.roi_score
    from health_daily
    inner join customer_months
        on
            health_daily.account_id = customer_months.account_id
            and health_daily.score_date = customer_months.month_end

),

raw_values_unioned as (

    select
        account_id,
        month_end,
        component_id,
        raw_value
    from signals

    union all

    select
        account_id,
        month_end,
        'roi_pillar' as component_id,
        cast(roi_score as double) as raw_value
    from health_on_month_end

),

components_scored as (

    select
        raw_values_unioned.account_id,
        raw_values_unioned.month_end,
        components.composite_id,
        components.component_id,
        case
            when raw_values_unioned.raw_value is null then 'missing' else 'used'
        end as component_status,
        components.weight,
        -- greatest/least skip nulls: a missing value must stay null, not score 100
        case when raw_values_unioned.raw_value is not null then {{ threshold_score(
            'raw_values_unioned.raw_value',
            'components.value_at_zero_score',
            'components.value_at_full_score',
        ) }} end as component_score
    from raw_values_unioned
    inner join components
        on raw_values_unioned.component_id = components.component_id

),

composites_aggregated as (

    select
        account_id,
        month_end,
        {%- for composite in ['customer_experience', 'customer_outcomes'] %}
            {{ used_weighted_mean('composite_id', composite) }} as {{ composite }}_score,
            {{ string_agg_ordered('component_id', "','", 'component_id') }}
            filter (where composite_id = '{{ composite }}' and component_status = 'used')
                as {{ composite }}_components_used,
        {%- endfor %}
        {%- for component in [
            'nps', 'csat', 'support_burden', 'downtime',
            'goals_achieved', 'success_check', 'revenue_retention'
        ] %}
            {{ any_non_null('component_score') }} filter (where component_id = '{{ component }}')
                as {{ component }}_score,
        {%- endfor %}
        count(*) filter (where component_status = 'used') as scored_component_count
    from components_scored
    group by account_id, month_end

),

final as (

    select
        customer_months.account_id,
        customer_months.segment,
        health_on_month_end.health_band,
        customer_months.ending_mrr,
        cast(health_on_month_end.health_score as double) as health_score,
        cast(health_on_month_end.deployment_score as double) as deployment_score,
        cast(health_on_month_end.engagement_score as double) as engagement_score,
        cast(health_on_month_end.adoption_score as double) as adoption_score,
        cast(health_on_month_end.roi_score as double) as roi_score,
        composites_aggregated.customer_experience_score,
        composites_aggregated.customer_outcomes_score,
        composites_aggregated.nps_score,
        composites_aggregated.csat_score,
        composites_aggregated.support_burden_score,
        composites_aggregated.downtime_score,
        composites_aggregated.goals_achieved_score,
        composites_aggregated.success_check_score,
        composites_aggregated.revenue_retention_score,
        composites_aggregated.customer_experience_components_used,
        composites_aggregated.customer_outcomes_components_used,
        customer_months.month_end
    from customer_months
    left join health_on_month_end
        on
            customer_months.account_id = health_on_month_end.account_id
            and customer_months.month_end = health_on_month_end.month_end
    left join composites_aggregated
        on
            customer_months.account_id = composites_aggregated.account_id
            and customer_months.month_end = composites_aggregated.month_end

)

select * from final
