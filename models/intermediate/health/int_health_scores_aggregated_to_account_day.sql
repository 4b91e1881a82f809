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
    Memory (DECISIONLOG.md#medium-does-not-build): every aggregate over the components has a fixed
    size, so DuckDB can spill the grouping to disk. The used, missing and stale lists are an `or` of
    one bit per registered component (its place in the registry, in id order), read back against the
    registry's ids (registry_sets.sql; on Spark a set of places); the drivers are ranked in a window
    and only the top rows are aggregated.
#}

{%- set neutral_score = var('health_neutral_score') -%}
{%- set top_drivers = var('health_top_driver_count') -%}
{%- set pillars = health_pillar_names() -%}
{%- set dear_pillars = dear_pillar_names() -%}
{%- set component_statuses = ['used', 'missing', 'stale'] -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

components_scored as (

    select * from {{ ref('int_health_components_scored') }}

),

health_components as (

    select * from {{ ref('health_components') }}

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

-- the registry's ids in order, one bit each (128 at most: assert_at_most_128_health_components)
component_bits as (

    select
        component_id,
        {{ registry_member('row_number() over (order by component_id)') }} as component_bit
    from health_components

),

registered_component_ids as (

    select {{ sorted_list_aggregated('component_id') }} as component_ids
    from health_components

),

components_of_new_days as (

    select
        components_scored.*,
        quadrant_thresholds.axis,
        component_bits.component_bit,
        components_scored.normalised_weight
        * (components_scored.component_score - {{ neutral_score }}) as score_pull
    from components_scored
    inner join days
        on
            components_scored.account_id = days.account_id
            and components_scored.score_date = days.score_date
    left join component_bits
        on components_scored.component_id = component_bits.component_id
    left join quadrant_thresholds
        on components_scored.pillar = quadrant_thresholds.pillar

),

scores_aggregated as (

    select
        account_id,
        score_date,
        {{ any_non_null('segment') }} as segment,
        {{ any_non_null('scorecard_version') }} as scorecard_version,
        case
            when count(case when component_status = 'used' then 1 end) > 0
                then cast(sum(contribution) as decimal(38, 4))
        end as health_score,
        case
            when
                count(case when component_status = 'used' then 1 end) > 0
                and count(contribution_30d_ago) > 0
                and sum(case when contribution_30d_ago > 0 then 1 else 0 end) > 0
                then cast(sum(contribution) - sum(contribution_30d_ago) as decimal(38, 4))
        end as score_delta_30d,
        count(case when component_status = 'used' then 1 end) as components_used_count,
        {%- for status in component_statuses %}
            {{ registry_members_aggregated('component_bit') }} filter (
                where component_status = '{{ status }}'
            ) as components_{{ status }}_bits,
        {%- endfor %}
        {%- for pillar in pillars %}
            {{ used_weighted_mean('pillar', pillar) }} as {{ pillar }}_pillar_score,
        {%- endfor %}
        {%- for dear_pillar in dear_pillars %}
            {{ used_weighted_mean('dear_pillar', dear_pillar) }} as {{ dear_pillar }}_score,
        {%- endfor %}
        {{ used_weighted_mean('axis', 'behaviour') }} as behaviour_score,
        {{ used_weighted_mean('axis', 'attitude') }} as attitude_score
    from components_of_new_days
    group by account_id, score_date

),

-- the largest pulls of the used components; ties broken by component id, so the text never
-- depends on row order
score_pulls_ranked as (

    select
        account_id,
        score_date,
        {{ driver_text('component_id', 'score_pull') }} as driver_text,
        row_number() over (
            partition by account_id, score_date
            order by round(abs(score_pull), 6) desc, component_id desc
        ) as driver_rank
    from components_of_new_days
    where component_status = 'used'
    qualify driver_rank <= {{ top_drivers }}

),

contribution_deltas_ranked as (

    select
        account_id,
        score_date,
        {{ driver_text('component_id', 'contribution_delta_30d') }} as driver_text,
        row_number() over (
            partition by account_id, score_date
            order by abs(contribution_delta_30d) desc, component_id desc
        ) as driver_rank
    from components_of_new_days
    where contribution_delta_30d <> 0
    qualify driver_rank <= {{ top_drivers }}

),

score_drivers as (

    select
        account_id,
        score_date,
        {{ string_agg_ordered('driver_text', "', '", 'driver_rank') }} as top_score_drivers
    from score_pulls_ranked
    group by account_id, score_date

),

change_drivers as (

    select
        account_id,
        score_date,
        {{ string_agg_ordered('driver_text', "', '", 'driver_rank') }} as top_change_drivers
    from contribution_deltas_ranked
    group by account_id, score_date

),

final as (

    select
        scores_aggregated.account_id,
        scores_aggregated.score_date,
        scores_aggregated.segment,
        scores_aggregated.scorecard_version,
        scores_aggregated.health_score,
        scores_aggregated.score_delta_30d,
        scores_aggregated.components_used_count,
        {#- each null, not '', when no component had the status #}
        {%- for status in component_statuses %}
            {%- set members = 'scores_aggregated.components_' ~ status ~ '_bits' %}
            {{ registry_members_listed(members, 'registered_component_ids.component_ids') }}
                as components_{{ status }},
        {%- endfor %}
        {%- for pillar in pillars %}
            scores_aggregated.{{ pillar }}_pillar_score,
        {%- endfor %}
        {%- for dear_pillar in dear_pillars %}
            scores_aggregated.{{ dear_pillar }}_score,
        {%- endfor %}
        scores_aggregated.behaviour_score,
        scores_aggregated.attitude_score,
        score_drivers.top_score_drivers,
        change_drivers.top_change_drivers
    from scores_aggregated
    cross join registered_component_ids
    left join score_drivers
        on
            scores_aggregated.account_id = score_drivers.account_id
            and scores_aggregated.score_date = score_drivers.score_date
    left join change_drivers
        on
            scores_aggregated.account_id = change_drivers.account_id
            and scores_aggregated.score_date = change_drivers.score_date

)

select * from final
