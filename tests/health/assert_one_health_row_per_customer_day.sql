{#
    One health row per customer per day, and none for anyone else (DECISIONLOG "customers only"):
    every day of the spine (the days an account pays or is within its grace period) has exactly one
    row in fct_account_health_daily, and every row there is a spine day. A day before the first
    scorecard version of the account's segment (health_weights valid_from) has no weights in force
    and so no score: the check starts there. Returns the days that break it.
#}

with

spine_days as (

    select * from {{ ref('int_account_days_spined') }}

),

health_weights as (

    select * from {{ ref('health_weights') }}

),

spine as (

    select spine_days.*
    from spine_days
    where exists (
        select 1
        from health_weights
        where
            health_weights.scorecard_id = spine_days.segment
            and health_weights.valid_from <= spine_days.score_date
    )

),

health_daily as (

    select * from {{ ref('fct_account_health_daily') }}

),

rows_counted as (

    select
        account_id,
        score_date,
        count(*) as row_count
    from health_daily
    group by account_id, score_date

),

final as (

    select
        coalesce(spine.account_id, rows_counted.account_id) as account_id,
        coalesce(spine.score_date, rows_counted.score_date) as score_date,
        case
            when rows_counted.account_id is null then 'customer day with no health row'
            when spine.account_id is null then 'health row on a day the account was no customer'
            else 'more than one health row'
        end as break_reason
    from spine
    full outer join rows_counted
        on
            spine.account_id = rows_counted.account_id
            and spine.score_date = rows_counted.score_date
    where
        spine.account_id is null
        or rows_counted.account_id is null
        or rows_counted.row_count > 1

)

select * from final
