{#
    One row per account, product and month-end while the account pays for the product, plus one
    row per account and month-end under product_id 'all' (its total MRR): the holdings the
    experience trajectory follows, with the account's segment, tenure on the month-end (days since
    customer_since, not below 0) and the journey stage of that tenure (seed journey_stages; null
    when no stage covers it or the account is not in the CRM export).
#}

{%- set tenure_days = dbt.datediff('accounts.customer_since', 'holdings.month_end', 'day') -%}

with

account_months as (

    select * from {{ ref('int_subscriptions_spread_to_account_month') }}

),

account_product_months as (

    select * from {{ ref('int_subscriptions_spread_to_account_product_month') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

journey_stages as (

    select * from {{ ref('journey_stages') }}

),

holdings as (

    select
        account_id,
        product_id,
        month_end,
        mrr
    from account_product_months
    where mrr > 0

    union all

    select
        account_id,
        'all' as product_id,
        month_end,
        mrr
    from account_months
    where mrr > 0

),

final as (

    select
        holdings.account_id,
        accounts.segment,
        holdings.product_id,
        journey_stages.stage as journey_stage,
        holdings.month_end,
        holdings.mrr,
        cast(greatest({{ tenure_days }}, 0) as bigint) as tenure_days
    from holdings
    left join accounts
        on holdings.account_id = accounts.account_id
    left join journey_stages
        on
            greatest({{ tenure_days }}, 0) >= journey_stages.min_tenure_days
            and (
                journey_stages.max_tenure_days is null
                or greatest({{ tenure_days }}, 0) < journey_stages.max_tenure_days
            )

)

select * from final
