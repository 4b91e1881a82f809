{#
    The DEAR downtime signal (DECISIONLOG.md#dear), one row per paying account with seats per
    month-end: minutes of downtime in the component's window (lookback_months whole months ending
    on the month-end) on the products the account licenses that month, from incidents of the
    account or of the whole product; an incident still open counts up to the window's end.
#}

with

account_months as (

    select * from {{ ref('int_subscriptions_spread_to_account_month') }}

),

account_product_months as (

    select * from {{ ref('int_subscriptions_spread_to_account_product_month') }}

),

components as (

    select * from {{ ref('dear_composite_components') }}

),

downtime_incidents as (

    select * from {{ ref('stg_product__downtime_incidents') }}

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

incidents_matched as (

    select
        windows.account_id,
        windows.month_end,
        downtime_incidents.incident_id,
        greatest(
            date_diff(
                'minute',
                greatest(downtime_incidents.started_at, windows.window_start_at),
                least(
                    coalesce(downtime_incidents.ended_at, windows.window_end_at),
                    windows.window_end_at
                )
            ),
            0
        ) as downtime_minutes
    from windows
    inner join account_product_months
        on
            windows.account_id = account_product_months.account_id
            and windows.month_end = account_product_months.month_end
    inner join downtime_incidents
        on
            account_product_months.product_id = downtime_incidents.product_id
            and (
                downtime_incidents.account_id is null
                or windows.account_id = downtime_incidents.account_id
            )
            and windows.window_end_at > downtime_incidents.started_at
            and coalesce(downtime_incidents.ended_at, windows.window_end_at)
            > windows.window_start_at

),

downtime_measured as (

    select
        windows.account_id,
        windows.month_end,
        windows.component_id,
        cast(coalesce(sum(incidents_matched.downtime_minutes), 0) as double) as raw_value,
        cast(count(incidents_matched.incident_id) as integer) as data_point_count
    from windows
    left join incidents_matched
        on
            windows.account_id = incidents_matched.account_id
            and windows.month_end = incidents_matched.month_end
    group by windows.account_id, windows.month_end, windows.component_id

),

final as (

    select * from downtime_measured

)

select * from final
