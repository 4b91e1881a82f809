{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per spine day: the MRR in force that day and var
    health_mismatch_window_days before (0 when nothing was in force), for the health/revenue
    mismatch flag. The day's MRR is int_subscriptions_in_force_to_account_day's; the earlier MRR
    is summed here with the same subscription_in_force_on rule, because the earlier day can fall
    before the account's spine starts (its first scored days), where that model has no row.
    Incremental: new spine days only.
#}

{%- set mismatch_days = var('health_mismatch_window_days') -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

subscriptions_in_force as (

    select * from {{ ref('int_subscriptions_in_force_to_account_day') }}

),

days as (

    select
        spine.account_id,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

mrr_before_summed as (

    select
        days.account_id,
        days.score_date,
        cast(sum(subscriptions.mrr) as decimal(38, 2)) as mrr_before
    from days
    inner join subscriptions
        on
            days.account_id = subscriptions.account_id
            and {{ subscription_in_force_on('days.score_date - ' ~ mismatch_days) }}
    group by days.account_id, days.score_date

),

final as (

    select
        days.account_id,
        days.score_date,
        coalesce(subscriptions_in_force.mrr, 0) as mrr,
        coalesce(mrr_before_summed.mrr_before, 0) as mrr_before
    from days
    left join subscriptions_in_force
        on
            days.account_id = subscriptions_in_force.account_id
            and days.score_date = subscriptions_in_force.score_date
    left join mrr_before_summed
        on
            days.account_id = mrr_before_summed.account_id
            and days.score_date = mrr_before_summed.score_date

)

select * from final
