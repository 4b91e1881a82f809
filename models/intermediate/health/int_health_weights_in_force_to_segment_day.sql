{#
    The scorecard in force for each segment on each day of the spine, one row per segment x day x
    registry component: the version with the latest valid_from <= day (scorecard_version =
    scorecard_id@valid_from) and the component's weight in it, 0 when the version does not weight
    it. Rebuilt on every run (segments x days x components is small); the engine reads the rows of
    the days it scores. DECISIONLOG.md#health-scorecard, "Weights per segment".
#}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

health_components as (

    select * from {{ ref('health_components') }}

),

health_weights as (

    select * from {{ ref('health_weights') }}

),

segment_days as (

    select distinct
        segment,
        score_date
    from spine

),

scorecard_versions_in_force as (

    select
        segment_days.segment,
        segment_days.score_date,
        max(health_weights.valid_from) as valid_from,
        segment_days.segment || '@'
        || cast(max(health_weights.valid_from) as string) as scorecard_version
    from segment_days
    inner join health_weights
        on
            segment_days.segment = health_weights.scorecard_id
            and segment_days.score_date >= health_weights.valid_from
    group by segment_days.segment, segment_days.score_date

),

weights_in_force as (

    select
        scorecard_versions_in_force.segment,
        scorecard_versions_in_force.score_date,
        health_components.component_id,
        scorecard_versions_in_force.scorecard_version,
        coalesce(health_weights.weight, 0) as weight
    from scorecard_versions_in_force
    cross join health_components
    left join health_weights
        on
            scorecard_versions_in_force.segment = health_weights.scorecard_id
            and scorecard_versions_in_force.valid_from = health_weights.valid_from
            and health_components.component_id = health_weights.component_id

),

final as (

    select * from weights_in_force

)

select * from final
