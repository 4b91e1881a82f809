{#
    NRR / GRR / logo retention (DECISIONLOG.md#nrr-grr). For month-end M and a look-back of k months
    (k = 12 for the `_12m_` columns, k = 1 for the `_monthly_` columns), the base is the accounts with
    MRR > 0 at the month-end k months before M:
      nrr = sum(MRR at M) / sum(MRR at M-k)
      grr = sum(least(MRR at M, MRR at M-k)) / sum(MRR at M-k)
      logo retention = count(MRR at M > 0 and not churned at M) / count(base)
    Churned at a month-end = inside a churn of int_account_churns_identified (the company's churn
    events, a lost renewal or MRR reaching 0, in that order): an account inside a churn is not in the
    logo base and not retained, even when its subscriptions never show an end.
    The look-backs are part of the column names, so they are fixed here, not vars.
#}
{%- set lookbacks = {'12m': 12, 'monthly': 1} %}

with

account_months as (

    select * from {{ ref('fct_account_mrr_monthly') }}

),

churns as (

    select * from {{ ref('int_account_churns_identified') }}

),

-- account-months inside a churn: churned on or before the month-end and not back by then
account_months_churned as (

    select distinct
        account_months.account_id,
        account_months.month_end
    from account_months
    inner join churns
        on
            account_months.account_id = churns.account_id
            and account_months.month_end >= churns.churned_on
            and (churns.reactivated_on is null or account_months.month_end < churns.reactivated_on)

),

-- Each row counts twice: once for its segment and once for segment 'all'.
rollup_levels as (

    select true as is_by_segment
    union all
    select false as is_by_segment

),

account_months_rolled_up as (

    select
        account_months.*,
        case
            when rollup_levels.is_by_segment then account_months.segment else 'all'
        end as segment_key
    from account_months
    cross join rollup_levels

),

{% for label, months in lookbacks.items() %}
    base_{{ label }}_joined as (

        select
            current_months.month_end,
            current_months.segment_key as segment,
            current_months.account_id,
            base_months.ending_mrr as base_mrr,
            current_months.ending_mrr as current_mrr,
            current_churned.account_id is null as is_retained_logo
        from account_months_rolled_up as current_months
        inner join account_months as base_months
            on
                current_months.account_id = base_months.account_id
                and base_months.month_end
                = last_day(current_months.month_end - interval {{ months }} month)
        left join account_months_churned as base_churned
            on
                base_months.account_id = base_churned.account_id
                and base_months.month_end = base_churned.month_end
        left join account_months_churned as current_churned
            on
                current_months.account_id = current_churned.account_id
                and current_months.month_end = current_churned.month_end
        where base_months.ending_mrr > 0 and base_churned.account_id is null

    ),

    base_{{ label }}_aggregated as (

        select
            month_end,
            segment,
            cast(count(*) as integer) as base_{{ label }}_account_count,
            cast(count(*) filter (where current_mrr > 0 and is_retained_logo) as integer)
                as base_{{ label }}_retained_account_count,
            cast(sum(base_mrr) as decimal(18, 2)) as base_{{ label }}_starting_mrr,
            cast(sum(current_mrr) as decimal(18, 2)) as base_{{ label }}_current_mrr,
            cast(sum(least(current_mrr, base_mrr)) as decimal(18, 2)) as base_{{ label }}_capped_mrr
        from base_{{ label }}_joined
        group by month_end, segment

    ),

{% endfor %}
movements_aggregated as (

    select
        month_end,
        segment_key as segment,
        cast(count(*) filter (where is_active_at_end) as integer) as active_account_count,
        cast(count(*) filter (where movement_type = 'new') as integer) as new_account_count,
        cast(count(*) filter (where movement_type = 'reactivation') as integer)
            as reactivated_account_count,
        cast(count(*) filter (where movement_type = 'churn') as integer) as churned_account_count,
        cast(sum(starting_mrr) as decimal(18, 2)) as starting_mrr,
        cast(sum(new_mrr) as decimal(18, 2)) as new_mrr,
        cast(sum(expansion_mrr) as decimal(18, 2)) as expansion_mrr,
        cast(sum(reactivation_mrr) as decimal(18, 2)) as reactivation_mrr,
        cast(sum(contraction_mrr) as decimal(18, 2)) as contraction_mrr,
        cast(sum(churned_mrr) as decimal(18, 2)) as churned_mrr,
        cast(sum(ending_mrr) as decimal(18, 2)) as ending_mrr
    from account_months_rolled_up
    group by month_end, segment_key

),

first_month as (

    select min(month_end) as first_month_end from account_months

),

rates_computed as (

    select
        movements_aggregated.segment,
        movements_aggregated.active_account_count,
        movements_aggregated.new_account_count,
        movements_aggregated.reactivated_account_count,
        movements_aggregated.churned_account_count,
        {%- for label in lookbacks %}
            coalesce(base_{{ label }}.base_{{ label }}_account_count, 0)
                as base_{{ label }}_account_count,
            coalesce(base_{{ label }}.base_{{ label }}_retained_account_count, 0)
                as base_{{ label }}_retained_account_count,
        {%- endfor %}
        movements_aggregated.starting_mrr,
        movements_aggregated.new_mrr,
        movements_aggregated.expansion_mrr,
        movements_aggregated.reactivation_mrr,
        movements_aggregated.contraction_mrr,
        movements_aggregated.churned_mrr,
        movements_aggregated.ending_mrr,
        {%- for label in lookbacks %}
            coalesce(base_{{ label }}.base_{{ label }}_starting_mrr, 0)
                as base_{{ label }}_starting_mrr,
            coalesce(base_{{ label }}.base_{{ label }}_current_mrr, 0)
                as base_{{ label }}_current_mrr,
            coalesce(base_{{ label }}.base_{{ label }}_capped_mrr, 0)
                as base_{{ label }}_capped_mrr,
        {{ safe_divide(
            'base_' ~ label ~ '.base_' ~ label ~ '_current_mrr',
            'base_' ~ label ~ '.base_' ~ label ~ '_starting_mrr'
        ) }} as nrr_{{ label }}_rate,
        {{ safe_divide(
            'base_' ~ label ~ '.base_' ~ label ~ '_capped_mrr',
            'base_' ~ label ~ '.base_' ~ label ~ '_starting_mrr'
        ) }} as grr_{{ label }}_rate,
        {{ safe_divide(
            'base_' ~ label ~ '.base_' ~ label ~ '_retained_account_count',
            'base_' ~ label ~ '.base_' ~ label ~ '_account_count'
        ) }} as logo_retention_{{ label }}_rate,
        {%- endfor %}
        movements_aggregated.month_end
        >= last_day(first_month.first_month_end + interval {{ lookbacks["12m"] }} month)
            as has_12m_history,
        movements_aggregated.month_end
    from movements_aggregated
    cross join first_month
    {%- for label in lookbacks %}
        left join base_{{ label }}_aggregated as base_{{ label }}
            on
                movements_aggregated.month_end = base_{{ label }}.month_end
                and movements_aggregated.segment = base_{{ label }}.segment
    {%- endfor %}

),

final as (

    select * from rates_computed

)

select * from final
