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

{%- set account_day = 'partition by account_id, product_id, event_date' -%}

with

user_days as (

    select * from {{ ref('int_usage_events_aggregated_to_user_day') }}

),

user_days_filtered as (

    select * from user_days
    where {{ event_days_not_yet_built('event_date') }}

),

users_counted_to_account_day as (

    select
        account_id,
        product_id,
        event_date,
        cast(sum(event_count) as bigint) as event_count,
        count(distinct user_id) as active_user_count
    from user_days_filtered
    group by account_id, product_id, event_date

),

user_features as (

    select
        account_id,
        product_id,
        event_date,
        {{ list_unnested('features') }} as feature
    from user_days_filtered

),

-- each feature used on an account-day once: a plain distinct, which DuckDB spills to disk
features_found_to_account_day as (

    select distinct
        account_id,
        product_id,
        event_date,
        feature
    from user_features

),

-- listed over a window, not by a list aggregate, whose states DuckDB cannot spill (as in
-- int_usage_events_aggregated_to_user_day)
features_listed_to_account_day as (

    select
        account_id,
        product_id,
        event_date,
        count(feature) over ({{ account_day }}) as feature_count,
        {{ distinct_sorted_list_windowed('feature', account_day) }} as features
    from features_found_to_account_day
    qualify row_number() over ({{ account_day }} order by feature) = 1

),

usage_aggregated_to_account_day as (

    select
        users_counted.account_id,
        users_counted.product_id,
        users_counted.event_date,
        users_counted.active_user_count,
        users_counted.event_count,
        coalesce(features_listed.feature_count, 0) as feature_count,
        coalesce(features_listed.features, {{ empty_list() }}) as features
    from users_counted_to_account_day as users_counted
    left join features_listed_to_account_day as features_listed
        on
            users_counted.account_id = features_listed.account_id
            and users_counted.product_id is not distinct from features_listed.product_id
            and users_counted.event_date = features_listed.event_date

),

final as (

    select * from usage_aggregated_to_account_day

)

select * from final
