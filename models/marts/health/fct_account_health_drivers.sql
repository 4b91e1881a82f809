{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date', 'component_id'],
        on_schema_change='fail',
    )
}}

{#
    One row per account x day x component: the long, BI-friendly view of the score's arithmetic.
    Per account and day, contribution sums exactly to fct_account_health_daily.health_score and
    contribution_delta_30d to its score_delta_30d. Incremental like the daily fact.
#}

with

components_scored as (

    select * from {{ ref('int_health_components_scored') }}

),

final as (

    select
        components_scored.account_id,
        components_scored.component_id,
        components_scored.segment,
        components_scored.pillar,
        components_scored.dear_pillar,
        components_scored.scorecard_version,
        components_scored.component_status,
        components_scored.raw_value,
        components_scored.component_score,
        components_scored.weight,
        components_scored.normalised_weight,
        components_scored.contribution,
        components_scored.contribution_delta_30d,
        components_scored.score_date,
        components_scored.measured_on
    from components_scored
    where {{ spine_days_not_yet_built('components_scored') }}

)

select * from final
