{#
    MRR reconciliation (DECISIONLOG.md#movement-classification). Returns a row for every break:
    1. per account-month: starting + new + expansion + reactivation - contraction - churned = ending;
    2. per account: this month's starting MRR = last month's ending MRR (0 in the first month);
    3. per month: the 'all' row of fct_revenue_retention equals the sum of the account rows, and its
       movements bridge its starting to its ending MRR;
    4. per month: the ending MRR equals the MRR spread from the subscriptions.
#}

with

account_months as (

    select * from {{ ref('fct_account_mrr_monthly') }}

),

retention as (

    select * from {{ ref('fct_revenue_retention') }}

),

spread_months as (

    select * from {{ ref('int_subscriptions_spread_to_account_month') }}

),

account_month_breaks as (

    select
        'account_month_bridge' as check_name,
        account_id,
        month_end,
        starting_mrr
        + new_mrr
        + expansion_mrr
        + reactivation_mrr
        - contraction_mrr
        - churned_mrr as expected_mrr,
        ending_mrr as actual_mrr
    from account_months
    where
        starting_mrr + new_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churned_mrr
        <> ending_mrr

),

continuity_breaks as (

    select
        'starting_equals_previous_ending' as check_name,
        account_id,
        month_end,
        coalesce(
            lag(ending_mrr) over (partition by account_id order by month_end), 0
        ) as expected_mrr,
        starting_mrr as actual_mrr
    from account_months
    qualify
        coalesce(lag(ending_mrr) over (partition by account_id order by month_end), 0)
        <> starting_mrr

),

account_months_totalled as (

    select
        month_end,
        sum(starting_mrr) as starting_mrr,
        sum(ending_mrr) as ending_mrr,
        sum(new_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churned_mrr)
            as net_change_mrr
    from account_months
    group by month_end

),

monthly_total_breaks as (

    select
        'month_total_matches_accounts' as check_name,
        'all' as account_id,
        retention.month_end,
        account_months_totalled.ending_mrr as expected_mrr,
        retention.ending_mrr as actual_mrr
    from retention
    inner join account_months_totalled
        on retention.month_end = account_months_totalled.month_end
    where
        retention.segment = 'all'
        and (
            retention.ending_mrr <> account_months_totalled.ending_mrr
            or retention.starting_mrr <> account_months_totalled.starting_mrr
            or retention.starting_mrr
            + retention.new_mrr
            + retention.expansion_mrr
            + retention.reactivation_mrr
            - retention.contraction_mrr
            - retention.churned_mrr
            <> retention.ending_mrr
        )

),

spread_totalled as (

    select
        month_end,
        sum(mrr) as mrr
    from spread_months
    group by month_end

),

spread_breaks as (

    select
        'ending_matches_subscriptions' as check_name,
        'all' as account_id,
        spread_totalled.month_end,
        spread_totalled.mrr as expected_mrr,
        account_months_totalled.ending_mrr as actual_mrr
    from spread_totalled
    left join account_months_totalled
        on spread_totalled.month_end = account_months_totalled.month_end
    where account_months_totalled.ending_mrr is distinct from spread_totalled.mrr

),

final as (

    select * from account_month_breaks
    union all
    select * from continuity_breaks
    union all
    select * from monthly_total_breaks
    union all
    select * from spread_breaks

)

select * from final
