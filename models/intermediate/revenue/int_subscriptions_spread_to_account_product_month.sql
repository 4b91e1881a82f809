{#
    MRR rule (DECISIONLOG.md#mrr-rule): a subscription line counts in month M when it is in force on
    the last day of M (start_date <= month_end and end_date, exclusive, is null or after month_end).
    Only complete months (month_end <= as_of_date) are spread; test accounts are excluded.
#}

with

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

customer_subscriptions as (

    select subscriptions.*
    from subscriptions
    inner join accounts
        on subscriptions.account_id = accounts.account_id
    where
        not accounts.is_test
        and subscriptions.start_date <= {{ as_of_date() }}

),

month_ends as (

    select cast(last_day(month_start) as date) as month_end
    from
        {{ month_starts(
            "(select cast(date_trunc('month', min(start_date)) as date) from customer_subscriptions)",
            "cast(date_trunc('month', " ~ as_of_date() ~ ") as date)",
        ) }}
    where last_day(month_start) <= {{ as_of_date() }}

),

subscriptions_spread_to_month_ends as (

    select
        customer_subscriptions.account_id,
        customer_subscriptions.product_id,
        month_ends.month_end,
        customer_subscriptions.subscription_id,
        customer_subscriptions.seats,
        customer_subscriptions.mrr
    from customer_subscriptions
    inner join month_ends
        on
            customer_subscriptions.start_date <= month_ends.month_end
            and (
                customer_subscriptions.end_date is null
                or customer_subscriptions.end_date > month_ends.month_end
            )

),

aggregated_to_account_product_month as (

    select
        account_id,
        product_id,
        month_end,
        cast(count(*) as integer) as subscription_count,
        cast(sum(seats) as integer) as seats,
        cast(sum(mrr) as decimal(18, 2)) as mrr
    from subscriptions_spread_to_month_ends
    group by account_id, product_id, month_end

),

final as (

    select * from aggregated_to_account_product_month

)

select * from final
