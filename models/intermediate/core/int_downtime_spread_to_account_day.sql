{#
    Downtime per account per day (DECISIONLOG.md#downtime-per-day), the one fact the daily
    component downtime_minutes_90d and the monthly DEAR downtime signal both sum over their windows:
    one row per account, incident and day the incident touched, with the seconds of that day it
    covered. An incident counts for the account it names, or, when it names no account, for every
    account with a subscription to its product in force on that day (ownership is judged day by
    day, so an outage before a purchase never counts). An incident still open runs to the end of
    the as-of day; nothing after the as-of day is spread.
#}

with

downtime_incidents as (

    select * from {{ ref('stg_product__downtime_incidents') }}

),

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

incidents_bounded as (

    select
        incident_id,
        account_id,
        product_id,
        started_at,
        least(
            coalesce(ended_at, {{ as_of_date() }} + interval 1 day),
            {{ as_of_date() }} + interval 1 day
        ) as ended_at
    from downtime_incidents
    where started_at < {{ as_of_date() }} + interval 1 day

),

incidents_spread_to_day as (

    select
        incident_id,
        account_id,
        product_id,
        started_at,
        ended_at,
        {{ days_in_range("date_trunc('day', started_at)", 'ended_at') }} as downtime_date
    from incidents_bounded
    where started_at < ended_at

),

incident_days_measured as (

    select
        incident_id,
        account_id,
        product_id,
        downtime_date,
        {{ dbt.datediff(
            'greatest(started_at, cast(downtime_date as timestamp))',
            'least(ended_at, cast(downtime_date + interval 1 day as timestamp))',
            'second'
        ) }} as downtime_seconds
    from incidents_spread_to_day

),

-- an incident of one account
account_incident_days as (

    select
        account_id,
        incident_id,
        downtime_date,
        downtime_seconds
    from incident_days_measured
    where account_id is not null

),

-- an incident of a whole product: every account licensing it on the day
product_incident_days as (

    select distinct
        subscriptions.account_id,
        incident_days.incident_id,
        incident_days.downtime_date,
        incident_days.downtime_seconds
    from incident_days_measured as incident_days
    inner join subscriptions
        on
            incident_days.product_id = subscriptions.product_id
            and {{ subscription_in_force_on('incident_days.downtime_date') }}
    where incident_days.account_id is null

),

final as (

    select * from account_incident_days
    union all
    select * from product_incident_days

)

select * from final
