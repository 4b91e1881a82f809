{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'product_id', 'event_date'],
        on_schema_change='fail',
    )
}}

{#
    Built from the user x day aggregate, never from raw events. Incremental like its parent: only the
    days from the newest stored day minus var('usage_late_arriving_days') are recomputed.
#}

with

user_days as (

    select * from {{ ref('int_usage_events_aggregated_to_user_day') }}

),

user_days_filtered as (

    select * from user_days
    where {{ event_days_not_yet_built('event_date') }}

),

usage_aggregated_to_account_day as (

    select
        account_id,
        product_id,
        event_date,
        count(distinct user_id) as active_user_count,
        cast(sum(event_count) as bigint) as event_count,
        {{ lists_merged_counted('features') }} as feature_count,
        {{ lists_merged_aggregated('features') }} as features
    from user_days_filtered
    group by account_id, product_id, event_date

),

final as (

    select * from usage_aggregated_to_account_day

)

select * from final
