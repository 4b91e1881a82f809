{#
    Cohort retention triangle (DECISIONLOG.md#cohorts). An account's cohort is its first month-end
    with MRR; the cohort's starting MRR is its MRR in that month. For each later month-end:
      cohort nrr = sum(MRR now) / starting MRR
      cohort grr = sum(least(MRR now, starting MRR)) / starting MRR
      cohort logo retention = accounts with MRR > 0 now / accounts in the cohort
#}

with

account_months as (

    select * from {{ ref('fct_account_mrr_monthly') }}

),

cohort_starts as (

    select
        account_id,
        ending_mrr as cohort_starting_mrr
    from account_months
    where month_end = cohort_month_end

),

-- Each row counts twice: once for its segment and once for segment 'all'.
rollup_levels as (

    select true as is_by_segment
    union all
    select false as is_by_segment

),

cohort_months_joined as (

    select
        account_months.account_id,
        account_months.cohort_month_end,
        account_months.month_end,
        account_months.months_since_cohort,
        cohort_starts.cohort_starting_mrr,
        account_months.ending_mrr,
        case
            when rollup_levels.is_by_segment then account_months.segment else 'all'
        end as segment
    from account_months
    inner join cohort_starts
        on account_months.account_id = cohort_starts.account_id
    cross join rollup_levels

),

aggregated_to_cohort_month as (

    select
        cohort_month_end,
        segment,
        month_end,
        cast(count(*) as integer) as cohort_account_count,
        cast(count(*) filter (where ending_mrr > 0) as integer) as active_account_count,
        cast(sum(cohort_starting_mrr) as decimal(18, 2)) as cohort_starting_mrr,
        cast(sum(ending_mrr) as decimal(18, 2)) as current_mrr,
        cast(
            sum(least(ending_mrr, cohort_starting_mrr)) as decimal(18, 2)
        ) as capped_mrr,
        {{ any_non_null('months_since_cohort') }} as months_since_cohort
    from cohort_months_joined
    group by cohort_month_end, segment, month_end

),

final as (

    select
        segment,
        months_since_cohort,
        cohort_account_count,
        active_account_count,
        cohort_starting_mrr,
        current_mrr,
        capped_mrr,
        {{ safe_divide('current_mrr', 'cohort_starting_mrr') }} as cohort_nrr_rate,
        {{ safe_divide('capped_mrr', 'cohort_starting_mrr') }} as cohort_grr_rate,
        {{ safe_divide('active_account_count', 'cohort_account_count') }}
            as cohort_logo_retention_rate,
        cohort_month_end,
        month_end
    from aggregated_to_cohort_month

)

select * from final
