{#
    The usage trend's two counts on every account day of the spine: events in the trend window
    ending on the day (the day and var('trend_window_days') - 1 days before it) and in the window of
    the same length just before it. 0 when the account had no events in a window.
    int_product_measures_unioned turns them into usage_trend_rate (recent / prior - 1).
#}

{%- set trend_days = var('trend_window_days') -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

account_days as (

    select * from {{ ref('int_usage_aggregated_to_account_day') }}

),

events_aggregated_to_account_day as (

    select
        account_id,
        event_date,
        sum(event_count) as event_count
    from account_days
    group by account_id, event_date

),

events_and_score_days_unioned as (

    select
        account_id,
        event_date as score_date,
        event_count,
        false as is_score_day
    from events_aggregated_to_account_day

    union all

    select
        account_id,
        score_date,
        0 as event_count,
        true as is_score_day
    from spine

),

events_windowed as (

    select
        account_id,
        score_date,
        is_score_day,
        cast(sum(event_count) over (
            partition by account_id
            order by score_date
            range between {{ days_interval(trend_days - 1) }} preceding and current row
        ) as bigint) as recent_event_count,
        cast(sum(event_count) over (
            partition by account_id
            order by score_date
            range between {{ days_interval(2 * trend_days - 1) }} preceding
            and {{ days_interval(trend_days) }} preceding
        ) as bigint) as prior_event_count
    from events_and_score_days_unioned

),

final as (

    select
        account_id,
        score_date,
        coalesce(prior_event_count, 0) as prior_event_count,
        coalesce(recent_event_count, 0) as recent_event_count
    from events_windowed
    where is_score_day

)

select * from final
