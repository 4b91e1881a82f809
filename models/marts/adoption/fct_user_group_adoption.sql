{#
    Month-end snapshot of the daily user-group counts: the last score day of each month in the
    spine (the as-of date for the current month). Rates use the same definitions as the scorecard's
    adoption components (docs blocks in _adoption__docs.md).
#}

{%- set window_days = var('active_window_days') -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

user_groups as (

    select * from {{ ref('int_user_groups_aggregated_to_account_day') }}

),

seats as (

    select * from {{ ref('int_seats_licensed_to_account_day') }}

),

month_end_days as (

    select
        account_id,
        segment,
        score_date,
        cast(date_trunc('month', score_date) as date) as month_start_date
    from spine
    qualify row_number() over (
        partition by account_id, date_trunc('month', score_date)
        order by score_date desc
    ) = 1

),

user_groups_joined as (

    select
        month_end_days.account_id,
        month_end_days.month_start_date,
        user_groups.user_group,
        month_end_days.segment,
        month_end_days.score_date as measured_through_date,
        seats.licensed_seats,
        user_groups.provisioned_users,
        user_groups.active_users,
        user_groups.active_user_days,
        user_groups.events_count,
        user_groups.used_feature_count,
        seats.available_feature_count
    from month_end_days
    inner join user_groups
        on
            month_end_days.account_id = user_groups.account_id
            and month_end_days.score_date = user_groups.score_date
    left join seats
        on
            month_end_days.account_id = seats.account_id
            and month_end_days.score_date = seats.score_date

),

final as (

    select
        cast(account_id as varchar) as account_id,
        cast(month_start_date as date) as month_start_date,
        cast(user_group as varchar) as user_group,
        cast(segment as varchar) as segment,
        cast(measured_through_date as date) as measured_through_date,
        cast(coalesce(licensed_seats, 0) as bigint) as licensed_seats,
        cast(provisioned_users as bigint) as provisioned_users,
        cast(active_users as bigint) as active_users,
        {{ safe_divide('active_users', 'provisioned_users') }} as active_user_rate,
        {{ safe_divide('events_count', 'active_users') }} as usage_depth,
        case
            when provisioned_users > 0
                then {{ safe_divide('used_feature_count', 'available_feature_count') }}
        end as feature_breadth_rate,
        {{ safe_divide('active_user_days', 'active_users') }} / {{ window_days }}
            as stickiness_rate,
        cast(events_count as bigint) as events_count
    from user_groups_joined

)

select * from final
