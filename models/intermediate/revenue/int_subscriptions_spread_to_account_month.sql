{#
    Dense account x month-end MRR: one row for every complete month from the account's first month
    with MRR to the as-of month, with 0 where nothing is in force, so churn (MRR to 0) and
    reactivation (MRR back after a 0 month) are visible as rows.
#}

with

account_product_months as (

    select * from {{ ref('int_subscriptions_spread_to_account_product_month') }}

),

account_first_months as (

    select
        account_id,
        min(month_end) as first_month_end
    from account_product_months
    group by account_id

),

all_month_ends as (

    select cast(last_day(month_start) as date) as month_end
    from
        {{ month_starts(
            "(
                select cast(date_trunc('month', min(first_month_end)) as date)
                from account_first_months
            )",
            "cast(date_trunc('month', " ~ as_of_date() ~ ") as date)",
        ) }}
    where last_day(month_start) <= {{ as_of_date() }}

),

account_months_spined as (

    select
        account_first_months.account_id,
        all_month_ends.month_end
    from account_first_months
    inner join all_month_ends
        on account_first_months.first_month_end <= all_month_ends.month_end

),

aggregated_to_account_month as (

    select
        account_id,
        month_end,
        cast(count(*) as integer) as product_count,
        cast(sum(subscription_count) as integer) as subscription_count,
        cast(sum(seats) as integer) as seats,
        sum(mrr) as mrr
    from account_product_months
    group by account_id, month_end

),

final as (

    select
        account_months_spined.account_id,
        account_months_spined.month_end,
        cast(coalesce(aggregated_to_account_month.mrr, 0) as decimal(18, 2)) as mrr,
        coalesce(aggregated_to_account_month.product_count, 0) as product_count,
        coalesce(aggregated_to_account_month.subscription_count, 0) as subscription_count,
        coalesce(aggregated_to_account_month.seats, 0) as seats
    from account_months_spined
    left join aggregated_to_account_month
        on
            account_months_spined.account_id = aggregated_to_account_month.account_id
            and account_months_spined.month_end = aggregated_to_account_month.month_end

)

select * from final
