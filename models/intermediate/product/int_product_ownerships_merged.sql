{#
    When each account owned each product: the account's subscription lines of the product (started
    by the as-of date), overlapping or touching ones merged into islands [owned_from, owned_to);
    owned_to is 'infinity' while the product is still owned. A product or feature counts as used
    only while owned (int_user_groups_aggregated_to_account_day).
#}

with

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

subscription_ranges as (

    select
        account_id,
        product_id,
        start_date as range_from,
        coalesce(end_date, {{ date_infinity() }}) as range_to
    from subscriptions
    where start_date <= {{ as_of_date() }}

),

ownerships_merged as (

    {{ merge_overlapping_ranges('subscription_ranges', ['account_id', 'product_id']) }}

),

final as (

    select
        account_id,
        product_id,
        range_from as owned_from,
        range_to as owned_to
    from ownerships_merged

)

select * from final
