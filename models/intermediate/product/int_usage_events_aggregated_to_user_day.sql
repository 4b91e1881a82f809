{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'product_id', 'event_date'],
        on_schema_change='fail',
    )
}}

{#
    Incremental on the event date: a run re-aggregates only the days from the newest stored day minus
    var('usage_late_arriving_days') (events that land a little late are picked up), and
    delete+insert replaces those account x product x day rows (all users of the day: a re-aggregated
    day holds every user, and the key stays null-safe when an account-level export has no user_id;
    its events form one row per account x product x day with user_id null). Events after the as-of
    date are never read, so an earlier as-of date needs a --full-refresh.
#}

{%- set user_day = 'partition by user_id, account_id, product_id, event_date' -%}

with

usage_events as (

    select * from {{ ref('stg_product__usage_events') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

events_filtered as (

    select
        usage_events.user_id,
        usage_events.account_id,
        usage_events.product_id,
        usage_events.feature,
        cast(usage_events.occurred_at as date) as event_date
    from usage_events
    inner join accounts
        on usage_events.account_id = accounts.account_id
    where
        not accounts.is_test
        and usage_events.occurred_at < {{ as_of_date() }} + interval 1 day
        and {{ event_days_not_yet_built('usage_events.occurred_at') }}

),

features_counted_to_user_day as (

    -- one row per user, day and feature: a plain aggregate, which DuckDB spills to disk
    select
        user_id,
        account_id,
        product_id,
        event_date,
        feature,
        count(*) as event_count
    from events_filtered
    group by user_id, account_id, product_id, event_date, feature

),

events_aggregated_to_user_day as (

    -- the day's features listed over a window, not in a group by: DuckDB spills a window's
    -- partitions, while a list aggregate keeps every group's list in memory (48M user-days of
    -- `large` did not fit in 6 GB)
    select
        user_id,
        account_id,
        product_id,
        event_date,
        cast(sum(event_count) over ({{ user_day }}) as bigint) as event_count,
        count(feature) over ({{ user_day }}) as feature_count,  -- features are distinct here
        {{ distinct_sorted_list_windowed('feature', user_day) }} as features
    from features_counted_to_user_day
    qualify row_number() over ({{ user_day }} order by feature) = 1

),

final as (

    select * from events_aggregated_to_user_day

)

select * from final
