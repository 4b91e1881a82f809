{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per day: the scores the day's components add up to, before any band.
    - health_score = sum of the component contributions (exact, decimals); null when no component
      was usable that day. score_delta_30d = its change over var health_delta_days.
    - pillar, DEAR and quadrant-axis scores = weighted mean of the used components in them (the
      axis of a pillar from quadrant_thresholds).
    - drivers of the score: pull = normalised_weight * (component_score - var health_neutral_score),
      the points a component adds above or takes below the neutral midpoint; drivers of change:
      contribution_delta_30d. Both as text, the var health_top_driver_count largest by absolute value.
    Incremental: new spine days only.
#}

{%- set neutral_score = var('health_neutral_score') -%}
{%- set top_drivers = var('health_top_driver_count') -%}
{%- set pillars = health_pillar_names() -%}
{%- set dear_pillars = dear_pillar_names() -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

components_scored as (

    select * from {{ ref('int_health_components_scored') }}

),

quadrant_thresholds as (

    select * from {{ ref('quadrant_thresholds') }}

),

days as (

    select
        spine.account_id,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

components_of_new_days as (

    select
        components_scored.*,
        quadrant_thresholds.axis,
        components_scored.normalised_weight
        * (components_scored.component_score - {{ neutral_score }}) as score_pull
    from components_scored
    inner join days
        on
            components_scored.account_id = days.account_id
            and components_scored.score_date = days.score_date
    left join quadrant_thresholds
        on components_scored.pillar = quadrant_thresholds.pillar

),

scores_aggregated as (

    select
        account_id,
        score_date,
        any_value(segment) as segment,
        any_value(scorecard_version) as scorecard_version,
        case
            when count(case when component_status = 'used' then 1 end) > 0
                then sum(contribution)
        end as health_score,
        case
            when
                count(case when component_status = 'used' then 1 end) > 0
                and count(contribution_30d_ago) > 0
                and sum(case when contribution_30d_ago > 0 then 1 else 0 end) > 0
                then sum(contribution) - sum(contribution_30d_ago)
        end as score_delta_30d,
        count(case when component_status = 'used' then 1 end) as components_used_count,
        array_to_string(
            list_sort(list(component_id) filter (where component_status = 'used')), ', '
        ) as components_used,
        array_to_string(
            list_sort(list(component_id) filter (where component_status = 'missing')), ', '
        ) as components_missing,
        array_to_string(
            list_sort(list(component_id) filter (where component_status = 'stale')), ', '
        ) as components_stale,
        {%- for pillar in pillars %}
            {{ used_weighted_mean('pillar', pillar) }} as {{ pillar }}_pillar_score,
        {%- endfor %}
        {%- for dear_pillar in dear_pillars %}
            {{ used_weighted_mean('dear_pillar', dear_pillar) }} as {{ dear_pillar }}_score,
        {%- endfor %}
        {%- for axis in ['behaviour', 'attitude'] %}
            {{ used_weighted_mean('axis', axis) }} as {{ axis }}_score,
        {%- endfor %}
        max_by(
            { 'component_id': component_id, 'value': score_pull },
            -- ties broken by component id, so the text never depends on row order
            { 'pull': round(abs(score_pull), 6), 'component_id': component_id },
            {{ top_drivers }}
        ) filter (where component_status = 'used') as score_pulls,
        max_by(
            { 'component_id': component_id, 'value': contribution_delta_30d },
            { 'delta': abs(contribution_delta_30d), 'component_id': component_id },
            {{ top_drivers }}
        ) filter (where contribution_delta_30d <> 0) as contribution_deltas
    from components_of_new_days
    group by account_id, score_date

),

final as (

    select
        * exclude (score_pulls, contribution_deltas),
        {{ drivers_text('score_pulls') }} as top_score_drivers,
        {{ drivers_text('contribution_deltas') }} as top_change_drivers
    from scores_aggregated

)

select * from final
