{#
    One row per account per spine day with downtime in the var downtime_window_days days ending on
    it: the minutes of those days in int_downtime_spread_to_account_day (the account's own incidents,
    and incidents without account on a product it licensed on the day they happened). A sweep line:
    each incident-day adds its seconds to the downtime_window_days days starting on it.
#}

{%- set downtime_days = var('downtime_window_days') -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

downtime_spread as (

    select * from {{ ref('int_downtime_spread_to_account_day') }}

),

-- each day's seconds count on the downtime_window_days days from it: [day, day + window)
downtime_ranges as (

    select
        account_id,
        downtime_date as range_from,
        cast(downtime_date + {{ days_interval(downtime_days) }} as date) as range_to,
        downtime_seconds
    from downtime_spread

),

score_days as (

    select
        spine.account_id,
        spine.score_date
    from spine
    where
        spine.account_id in (select downtime_ranges.account_id from downtime_ranges)

),

seconds_on_score_days as (

    {{ ranges_counted_on_days(
        'downtime_ranges', 'score_days', ['account_id'], ['downtime_seconds'],
    ) }}

),

final as (

    select
        account_id,
        score_date,
        downtime_seconds / cast(60 as double) as downtime_minutes
    from seconds_on_score_days
    where downtime_seconds > 0

)

select * from final
