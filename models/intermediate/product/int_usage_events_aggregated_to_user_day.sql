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

events_aggregated_to_user_day as (

    select
        user_id,
        account_id,
        product_id,
        event_date,
        count(*) as event_count,
        count(distinct feature) as feature_count,
        {{ distinct_sorted_list_aggregated('feature') }} as features
    from events_filtered
    group by user_id, account_id, product_id, event_date

),

final as (

    select * from events_aggregated_to_user_day

)

select * from final
