{#
    Usage measured per account, for a warehouse without per-user usage (no users table, or events
    without a user_id: DECISIONLOG "Account-level usage"): the account is the one "user". On every
    account day of the spine with events in the active window (the day and
    var('active_window_days') - 1 days before it): active days, events, and the products and
    catalog features used among those the account owns on the day. Empty in a per-user warehouse,
    which never pays for the join.
#}

{%- set window_days = var('active_window_days') -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

seats as (

    select * from {{ ref('int_seats_licensed_to_account_day') }}

),

account_days as (

    select * from {{ ref('int_usage_aggregated_to_account_day') }}

),

raw_tables_provided as (

    select * from {{ ref('int_raw_tables_provided') }}

),

usage_level_checked as (

    {{ usage_is_user_level() }}

),

account_usage_windowed as (

    select
        spine.account_id,
        spine.score_date,
        count(distinct account_days.event_date) as account_active_days,
        cast(sum(account_days.event_count) as bigint) as account_event_count,
        -- products and features count only in products the account owns on the day, as per user
        count(distinct account_days.product_id) filter (
            where {{ list_has('seats.owned_product_ids', 'account_days.product_id') }}
        ) as account_used_product_count,
        {{ lists_merged_counted(
            'account_days.features',
            where=list_has('seats.owned_product_ids', 'account_days.product_id'),
        ) }} as account_used_feature_count
    from spine
    cross join usage_level_checked
    inner join seats
        on
            spine.account_id = seats.account_id
            and spine.score_date = seats.score_date
    inner join account_days
        on
            spine.account_id = account_days.account_id
            and {{ in_trailing_days('account_days.event_date', 'spine.score_date', window_days) }}
    where not usage_level_checked.is_user_level
    group by spine.account_id, spine.score_date

),

final as (

    select * from account_usage_windowed

)

select * from final
