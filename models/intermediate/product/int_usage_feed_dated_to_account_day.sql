{#
    The usage feed's dates on every account day of the spine: the newest event day in the warehouse
    on or before the day (usage measures are measured_on it, and are not measurable before the feed
    starts), the first event day of the whole history (onboarding before it is not observable) and
    the account's own first event day (its first value; may be after the day: compare before use).
#}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

account_days as (

    select * from {{ ref('int_usage_aggregated_to_account_day') }}

),

score_and_event_dates_unioned as (

    select distinct
        score_date,
        cast(null as date) as event_date
    from spine

    union all

    select distinct
        event_date as score_date,
        event_date
    from account_days

),

-- the newest event day in the warehouse on or before each score day
usage_feed_dated as (

    select distinct
        score_date,
        max(event_date) over (
            order by score_date
            range between unbounded preceding and current row
        ) as usage_feed_date
    from score_and_event_dates_unioned

),

-- the first day of usage history in the warehouse
usage_history_started as (

    select min(event_date) as usage_history_start_date
    from account_days

),

first_event_aggregated_to_account as (

    select
        account_id,
        min(event_date) as first_event_date
    from account_days
    group by account_id

),

final as (

    select
        spine.account_id,
        spine.score_date,
        usage_feed_dated.usage_feed_date,
        usage_history_started.usage_history_start_date,
        first_event.first_event_date
    from spine
    cross join usage_history_started
    left join usage_feed_dated
        on spine.score_date = usage_feed_dated.score_date
    left join first_event_aggregated_to_account as first_event
        on spine.account_id = first_event.account_id

)

select * from final
