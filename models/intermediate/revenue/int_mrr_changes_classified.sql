{#
    Movement classification (DECISIONLOG.md#movement-classification), at account level, month
    over month:
      new           0 -> >0, the account never had MRR before
      reactivation  0 -> >0, the account had MRR in an earlier month
      expansion     >0 -> more
      contraction   >0 -> less, still >0
      churn         >0 -> 0
      unchanged     >0 -> the same
      inactive      0 -> 0 (churned and not back)
    Movement amounts are non-negative magnitudes:
      starting + new + expansion + reactivation - contraction - churned = ending.
#}

with

account_months as (

    select * from {{ ref('int_subscriptions_spread_to_account_month') }}

),

previous_months_attached as (

    select
        account_id,
        month_end,
        product_count,
        subscription_count,
        seats,
        mrr as ending_mrr,
        coalesce(
            lag(mrr) over (partition by account_id order by month_end),
            0
        ) as starting_mrr,
        coalesce(
            max(mrr) over (
                partition by account_id
                order by month_end
                rows between unbounded preceding and 1 preceding
            ),
            0
        ) > 0 as had_mrr_before
    from account_months

),

classified as (

    select
        account_id,
        month_end,
        product_count,
        subscription_count,
        seats,
        starting_mrr,
        ending_mrr,
        had_mrr_before,
        case
            when starting_mrr = 0 and ending_mrr > 0 and not had_mrr_before then 'new'
            when starting_mrr = 0 and ending_mrr > 0 then 'reactivation'
            when starting_mrr > 0 and ending_mrr = 0 then 'churn'
            when starting_mrr > 0 and ending_mrr > starting_mrr then 'expansion'
            when starting_mrr > 0 and ending_mrr < starting_mrr then 'contraction'
            when starting_mrr > 0 then 'unchanged'
            else 'inactive'
        end as movement_type
    from previous_months_attached

),

amounts_split as (

    select
        account_id,
        month_end,
        movement_type,
        product_count,
        subscription_count,
        seats,
        starting_mrr,
        cast(
            case when movement_type = 'new' then ending_mrr else 0 end as decimal(18, 2)
        ) as new_mrr,
        cast(
            case when movement_type = 'expansion' then ending_mrr - starting_mrr else 0 end
            as decimal(18, 2)
        ) as expansion_mrr,
        cast(
            case when movement_type = 'reactivation' then ending_mrr else 0 end as decimal(18, 2)
        ) as reactivation_mrr,
        cast(
            case when movement_type = 'contraction' then starting_mrr - ending_mrr else 0 end
            as decimal(18, 2)
        ) as contraction_mrr,
        cast(
            case when movement_type = 'churn' then starting_mrr else 0 end as decimal(18, 2)
        ) as churned_mrr,
        ending_mrr,
        had_mrr_before
    from classified

),

final as (

    select * from amounts_split

)

select * from final
