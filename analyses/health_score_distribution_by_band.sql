-- Score spread per band on the latest day: a quick check after tuning seeds/scorecard/.
-- `dbt compile --select health_score_distribution_by_band`, then run the SQL in any client.
with

health_daily as (

    select * from {{ ref('fct_account_health_daily') }}

),

last_scored_day as (

    select max(score_date) as score_date from health_daily

),

latest_day as (

    select health_daily.*
    from health_daily
    inner join last_scored_day
        on health_daily.score_date = last_scored_day.score_date

),

bands_summarised as (

    select
        health_band,
        count(*) as account_count,
        min(health_score) as min_health_score,
        median(health_score) as median_health_score,
        max(health_score) as max_health_score,
        count(*) filter (where override_rules_fired is not null) as overridden_count
    from latest_day
    group by health_band

),

final as (

    select * from bands_summarised

)

select * from final
