{#
    The score is its contributions (DECISIONLOG "health score"). Returns a row for every break:
    1. per account-day: the component contributions do not add up exactly to health_score (0 when
       no component was usable), or their 30-day deltas to score_delta_30d;
    2. a health_score outside [0, 100].
#}

with

health_daily as (

    select * from {{ ref('fct_account_health_daily') }}

),

components_scored as (

    select * from {{ ref('int_health_components_scored') }}

),

contributions_summed as (

    select
        account_id,
        score_date,
        sum(contribution) as contribution_total,
        sum(contribution_delta_30d) as contribution_delta_total
    from components_scored
    group by account_id, score_date

),

breaks_found as (

    select
        health_daily.account_id,
        health_daily.score_date,
        health_daily.health_score,
        contributions_summed.contribution_total,
        case
            when contributions_summed.account_id is null then 'no contributions'
            when contributions_summed.contribution_total <> coalesce(health_daily.health_score, 0)
                then 'contributions do not add up to the score'
            when
                health_daily.score_delta_30d is not null
                and contributions_summed.contribution_delta_total <> health_daily.score_delta_30d
                then 'contribution deltas do not add up to the 30-day change'
            when health_daily.health_score < 0 or health_daily.health_score > 100
                then 'score outside [0, 100]'
        end as break_reason
    from health_daily
    left join contributions_summed
        on
            health_daily.account_id = contributions_summed.account_id
            and health_daily.score_date = contributions_summed.score_date

),

final as (

    select * from breaks_found
    where break_reason is not null

)

select * from final
