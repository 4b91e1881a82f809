{#
    Month-end snapshot of the daily user-group counts and rates: the last score day of each month
    in the spine (the as-of date for the current month). The rates are the ones the scorecard's
    adoption components read (int_user_group_rates_computed_to_account_day).
#}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

user_group_rates as (

    select * from {{ ref('int_user_group_rates_computed_to_account_day') }}

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
        user_group_rates.user_group,
        month_end_days.segment,
        month_end_days.score_date as measured_through_date,
        user_group_rates.licensed_seats,
        user_group_rates.provisioned_users,
        user_group_rates.active_users,
        user_group_rates.active_user_rate,
        user_group_rates.usage_depth,
        user_group_rates.feature_breadth_rate,
        user_group_rates.stickiness_rate,
        user_group_rates.events_count
    from month_end_days
    inner join user_group_rates
        on
            month_end_days.account_id = user_group_rates.account_id
            and month_end_days.score_date = user_group_rates.score_date

),

final as (

    select
        cast(account_id as string) as account_id,
        cast(month_start_date as date) as month_start_date,
        cast(user_group as string) as user_group,
        cast(segment as string) as segment,
        cast(measured_through_date as date) as measured_through_date,
        cast(coalesce(licensed_seats, 0) as bigint) as licensed_seats,
        cast(provisioned_users as bigint) as provisioned_users,
        cast(active_users as bigint) as active_users,
        active_user_rate,
        usage_depth,
        feature_breadth_rate,
        stickiness_rate,
        cast(events_count as bigint) as events_count
    from user_groups_joined

)

select * from final
