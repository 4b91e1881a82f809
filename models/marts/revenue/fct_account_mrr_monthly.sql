with

mrr_changes as (

    select * from {{ ref('int_mrr_changes_classified') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

cohorts_attached as (

    select
        mrr_changes.account_id,
        accounts.segment,
        mrr_changes.movement_type,
        mrr_changes.month_end,
        mrr_changes.product_count,
        mrr_changes.subscription_count,
        mrr_changes.seats,
        mrr_changes.starting_mrr,
        mrr_changes.new_mrr,
        mrr_changes.expansion_mrr,
        mrr_changes.reactivation_mrr,
        mrr_changes.contraction_mrr,
        mrr_changes.churned_mrr,
        mrr_changes.ending_mrr,
        min(mrr_changes.month_end) over (
            partition by mrr_changes.account_id
        ) as cohort_month_end,
        mrr_changes.starting_mrr > 0 as is_active_at_start,
        mrr_changes.ending_mrr > 0 as is_active_at_end
    from mrr_changes
    inner join accounts
        on mrr_changes.account_id = accounts.account_id

),

final as (

    select
        account_id,
        segment,
        movement_type,
        cast(
            {{ boundaries_crossed('month', 'cohort_month_end', 'month_end') }} as integer
        ) as months_since_cohort,
        product_count,
        subscription_count,
        seats,
        starting_mrr,
        new_mrr,
        expansion_mrr,
        reactivation_mrr,
        contraction_mrr,
        churned_mrr,
        cast(
            new_mrr + expansion_mrr + reactivation_mrr - contraction_mrr - churned_mrr
            as decimal(18, 2)
        ) as net_change_mrr,
        ending_mrr,
        is_active_at_start,
        is_active_at_end,
        month_end,
        cohort_month_end
    from cohorts_attached

)

select * from final
