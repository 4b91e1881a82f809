{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per day: the day's scores with their band.
    - score_band from the bands in force that day (int_health_bands_versioned: min inclusive, max
      exclusive, the top band includes its max).
    - health_band = score_band, lowered by any override rule that fires on a fresh component (used
      or unweighted): the worst forced band (lowest rank) wins. band_set_by says why the row is in
      its band ('score', or 'override' when a rule lowered it) and band_override_rules names the
      rules that did; override_rules_fired lists every rule that fired.
    - health_band_rank, is_top_band, is_bottom_band, is_at_risk: the band's meaning, so later models
      compare ranks and flags, never band names.
    Incremental: new days only.
#}

with

health_scores as (

    select * from {{ ref('int_health_scores_aggregated_to_account_day') }}

),

components_scored as (

    select * from {{ ref('int_health_components_scored') }}

),

health_bands as (

    select * from {{ ref('int_health_bands_versioned') }}

),

override_rules as (

    select * from {{ ref('override_rules') }}

),

scores_of_new_days as (

    select health_scores.*
    from health_scores
    where {{ spine_days_not_yet_built('health_scores') }}

),

overrides_matched as (

    select
        components_scored.account_id,
        components_scored.score_date,
        override_rules.rule_id,
        health_bands.band_rank as forced_band_rank
    from components_scored
    inner join scores_of_new_days
        on
            components_scored.account_id = scores_of_new_days.account_id
            and components_scored.score_date = scores_of_new_days.score_date
    inner join override_rules
        on
            components_scored.component_id = override_rules.component_id
            and components_scored.component_status in ('used', 'unweighted')
            and case override_rules.operator
                when '<' then components_scored.raw_value < override_rules.threshold
                when '<=' then components_scored.raw_value <= override_rules.threshold
                when '=' then components_scored.raw_value = override_rules.threshold
                when '>=' then components_scored.raw_value >= override_rules.threshold
                when '>' then components_scored.raw_value > override_rules.threshold
            end
    inner join health_bands
        on
            override_rules.forced_band = health_bands.band
            and {{ in_force_on('components_scored.score_date', 'health_bands') }}

),

overrides_fired as (

    select
        account_id,
        score_date,
        min(forced_band_rank) as forced_band_rank,
        {{ string_agg_ordered('rule_id', "', '", 'rule_id') }} as override_rules_fired
    from overrides_matched
    group by account_id, score_date

),

-- the rules that force the worst band: the ones to name when an override sets the band
overrides_forcing as (

    select
        overrides_matched.account_id,
        overrides_matched.score_date,
        {{ string_agg_ordered(
            'overrides_matched.rule_id', "', '", 'overrides_matched.rule_id'
        ) }} as forcing_rules
    from overrides_matched
    inner join overrides_fired
        on
            overrides_matched.account_id = overrides_fired.account_id
            and overrides_matched.score_date = overrides_fired.score_date
            and overrides_matched.forced_band_rank = overrides_fired.forced_band_rank
    group by overrides_matched.account_id, overrides_matched.score_date

),

bands_assigned as (

    select
        scores_of_new_days.*,
        score_bands.band as score_band,
        overrides_fired.override_rules_fired,
        -- a lower forced rank wins; else the score's band
        case
            when overrides_fired.forced_band_rank < score_bands.band_rank
                then overrides_fired.forced_band_rank
            else score_bands.band_rank
        end as health_band_rank,
        -- why the account is in its band: the score, or an override that lowered it (and which)
        case
            when overrides_fired.forced_band_rank < score_bands.band_rank then 'override'
            when score_bands.band is not null then 'score'
        end as band_set_by,
        case
            when overrides_fired.forced_band_rank < score_bands.band_rank
                then overrides_forcing.forcing_rules
        end as band_override_rules
    from scores_of_new_days
    left join health_bands as score_bands
        on
            {{ in_force_on('scores_of_new_days.score_date', 'score_bands') }}
            and scores_of_new_days.health_score >= score_bands.min_score
            and (
                scores_of_new_days.health_score < score_bands.max_score
                or (
                    score_bands.is_top_band
                    and scores_of_new_days.health_score <= score_bands.max_score
                )
            )
    left join overrides_fired
        on
            scores_of_new_days.account_id = overrides_fired.account_id
            and scores_of_new_days.score_date = overrides_fired.score_date
    left join overrides_forcing
        on
            scores_of_new_days.account_id = overrides_forcing.account_id
            and scores_of_new_days.score_date = overrides_forcing.score_date

),

final as (

    select
        bands_assigned.*,
        assigned_bands.band as health_band,
        assigned_bands.is_top_band,
        assigned_bands.is_bottom_band,
        assigned_bands.is_at_risk
    from bands_assigned
    left join health_bands as assigned_bands
        on
            bands_assigned.health_band_rank = assigned_bands.band_rank
            and {{ in_force_on('bands_assigned.score_date', 'assigned_bands') }}

)

select * from final  -- noqa: AM04
