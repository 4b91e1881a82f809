{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per spine day on or after its first wallet estimate: the newest estimate's
    date (as_of) and the account's total category spend in it (summed over categories).
    Incremental: new spine days only.
#}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

wallet_estimates as (

    select * from {{ ref('stg_crm__wallet_estimates') }}

),

days as (

    select
        spine.account_id,
        spine.segment,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

wallets_summed as (

    select
        account_id,
        as_of,
        cast(sum(total_category_spend) as decimal(38, 2)) as total_category_spend
    from wallet_estimates
    group by account_id, as_of

),

final as (

    select
        days.account_id,
        days.score_date,
        wallets_summed.as_of,
        wallets_summed.total_category_spend
    from days
    {{ asof_join('inner') }} wallets_summed
        on
            days.account_id = wallets_summed.account_id
            and days.score_date >= wallets_summed.as_of
    {{ asof_latest_only(['days.account_id', 'days.score_date'], 'wallets_summed.as_of') }}

)

select * from final
