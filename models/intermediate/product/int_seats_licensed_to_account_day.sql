{#
    A subscription is valid on a day when start_date <= day < end_date (end_date exclusive, null =
    open). A user holds one seat of each product, so the account's licensed seats are the seats of
    its most-licensed product on the day (concurrent lines of one product add up), not the sum over
    products.
#}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

product_features as (

    select * from {{ ref('product_features') }}

),

features_counted_to_product as (

    select
        product_id,
        count(*) as feature_count
    from product_features
    group by product_id

),

subscriptions_valid_to_account_product_day as (

    select
        spine.account_id,
        spine.score_date,
        subscriptions.product_id,
        sum(subscriptions.seats) as product_seats
    from spine
    inner join subscriptions
        on
            spine.account_id = subscriptions.account_id
            and spine.score_date >= subscriptions.start_date
            and (
                subscriptions.end_date is null
                or spine.score_date < subscriptions.end_date
            )
    group by spine.account_id, spine.score_date, subscriptions.product_id

),

products_aggregated_to_account_day as (

    select
        subscriptions_valid.account_id,
        subscriptions_valid.score_date,
        max(subscriptions_valid.product_seats) as licensed_seats,
        count(*) as owned_product_count,
        sum(coalesce(features_counted_to_product.feature_count, 0)) as available_feature_count,
        {{ sorted_list_aggregated('subscriptions_valid.product_id') }} as owned_product_ids
    from subscriptions_valid_to_account_product_day as subscriptions_valid
    left join features_counted_to_product
        on subscriptions_valid.product_id = features_counted_to_product.product_id
    group by subscriptions_valid.account_id, subscriptions_valid.score_date

),

first_subscription_aggregated_to_account as (

    select
        account_id,
        min(start_date) as first_subscription_start_date
    from subscriptions
    group by account_id

),

final as (

    select
        spine.account_id,
        spine.score_date,
        cast(coalesce(products.licensed_seats, 0) as bigint) as licensed_seats,
        cast(coalesce(products.owned_product_count, 0) as bigint) as owned_product_count,
        cast(coalesce(products.available_feature_count, 0) as bigint)
            as available_feature_count,
        coalesce(products.owned_product_ids, {{ empty_list() }}) as owned_product_ids,
        case
            when first_subscription.first_subscription_start_date <= spine.score_date
                then first_subscription.first_subscription_start_date
        end as first_subscription_start_date
    from spine
    left join products_aggregated_to_account_day as products
        on
            spine.account_id = products.account_id
            and spine.score_date = products.score_date
    left join first_subscription_aggregated_to_account as first_subscription
        on spine.account_id = first_subscription.account_id

)

select * from final
