{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per spine day with a subscription in force on it or var
    health_mismatch_window_days before: the MRR in force that day and that many days earlier, for
    the health/revenue mismatch flag. Incremental: new spine days only.
#}

{%- set mismatch_days = var('health_mismatch_window_days') -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

days as (

    select
        spine.account_id,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

final as (

    select
        days.account_id,
        days.score_date,
        sum(
            case
                when {{ subscription_in_force_on('days.score_date') }}
                    then subscriptions.mrr
                else 0
            end
        ) as mrr,
        sum(
            case
                when {{ subscription_in_force_on('days.score_date - ' ~ mismatch_days) }}
                    then subscriptions.mrr
                else 0
            end
        ) as mrr_before
    from days
    inner join subscriptions
        on
            days.account_id = subscriptions.account_id
            and days.score_date >= subscriptions.start_date
            and (
                subscriptions.end_date is null
                or subscriptions.end_date > days.score_date - {{ mismatch_days }}
            )
    group by days.account_id, days.score_date

)

select * from final
