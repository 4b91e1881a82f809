{#
    The DEAR downtime signal (DECISIONLOG.md#dear), one row per paying account with seats per
    month-end: the minutes in int_downtime_spread_to_account_day (the account's own incidents, and
    incidents without account on a product it licensed on the day they happened) in the
    component's window, lookback_months whole months ending on the month-end; data_point_count is
    the number of incidents counted.
#}

with

account_months as (

    select * from {{ ref('int_subscriptions_spread_to_account_month') }}

),

components as (

    select * from {{ ref('dear_composite_components') }}

),

downtime_spread as (

    select * from {{ ref('int_downtime_spread_to_account_day') }}

),

windows as (

    select
        account_months.account_id,
        account_months.month_end,
        components.component_id,
        {{ month_window_bounds('account_months.month_end', 'components.lookback_months') }}
    from account_months
    inner join components
        on components.component_id = 'downtime'
    where account_months.seats > 0

),

downtime_measured as (

    select
        windows.account_id,
        windows.month_end,
        windows.component_id,
        cast(coalesce(sum(downtime_spread.downtime_seconds), 0) / 60.0 as double) as raw_value,
        cast(count(distinct downtime_spread.incident_id) as integer) as data_point_count
    from windows
    left join downtime_spread
        on
            windows.account_id = downtime_spread.account_id
            and windows.window_start_at <= downtime_spread.downtime_date
            and windows.window_end_at > downtime_spread.downtime_date
    group by windows.account_id, windows.month_end, windows.component_id

),

final as (

    select * from downtime_measured

)

select * from final
