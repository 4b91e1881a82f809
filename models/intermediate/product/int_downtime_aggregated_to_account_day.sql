{#
    One row per account per day with downtime in the var downtime_window_days days ending on it:
    the minutes of those days covered by incidents of the account, or of a product it owns on the
    day when the incident names no account (an open incident runs to the end of the day).
#}

{%- set downtime_days = var('downtime_window_days') -%}

with

seats as (

    select * from {{ ref('int_seats_licensed_to_account_day') }}

),

downtime_incidents as (

    select * from {{ ref('stg_product__downtime_incidents') }}

),

-- incidents of the account, or of a product it owns on the day when the incident has no account
downtime_overlapping as (

    select
        seats.account_id,
        seats.score_date,
        downtime_incidents.incident_id,
        greatest(
            downtime_incidents.started_at,
            seats.score_date + interval 1 day - interval ({{ downtime_days }}) day
        ) as overlap_started_at,
        least(
            coalesce(downtime_incidents.ended_at, seats.score_date + interval 1 day),
            seats.score_date + interval 1 day
        ) as overlap_ended_at
    from seats
    inner join downtime_incidents
        on
            (
                seats.account_id = downtime_incidents.account_id
                or (
                    downtime_incidents.account_id is null
                    and list_contains(seats.owned_product_ids, downtime_incidents.product_id)
                )
            )
            and seats.score_date + interval 1 day > downtime_incidents.started_at
            and seats.score_date + interval 1 day - interval ({{ downtime_days }}) day
            < coalesce(downtime_incidents.ended_at, seats.score_date + interval 1 day)

),

final as (

    select
        account_id,
        score_date,
        sum(date_diff('second', overlap_started_at, overlap_ended_at)) / 60.0
            as downtime_minutes
    from downtime_overlapping
    group by account_id, score_date

)

select * from final
