{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per day: the overall score and everything a CSM needs next to it.
    - health_score = sum of the component contributions (exact, decimals); null when no component
      was usable that day.
    - band from the health_bands in force that day (latest valid_from on or before it; min
      inclusive, max exclusive, top band includes 100), then capped by
      any override rule that fires on a fresh component (the worst forced band wins). band_set_by
      says why the row is in its band ('score', or 'override' when a rule lowered it) and
      band_override_rules names the rules that did.
    - pillar scores and DEAR scores = weighted mean of the used components in them.
    - drivers of the score: pull = normalised_weight * (component_score - var health_neutral_score),
      the points a component adds above or takes below the neutral midpoint; drivers of change:
      contribution_delta_30d. Both as text, the three largest by absolute value.
    - quadrant from the behaviour axis (deployment + adoption) and attitude axis (experience,
      advocacy, relationship) against quadrant_thresholds.
    - health/revenue mismatch: healthy while MRR fell over var health_mismatch_window_days, or
      unhealthy while it grew.
    - action from band_playbooks (a band-change playbook until its due date, else the band's),
      next review = last review (CSM assessment, QBR or check-in) + review_cadences days.
    Incremental: new days only; band history (previous band, band entered on) continues from the
    last row already built.
#}

{%- set neutral_score = var('health_neutral_score', 50) -%}
{%- set top_drivers = var('health_top_driver_count', 3) -%}
{%- set mismatch_days = var('health_mismatch_window_days', 90) -%}
{%- set pillars = [
    'deployment', 'engagement', 'adoption', 'roi',
    'experience', 'relationship', 'commercial', 'advocacy',
] -%}
{%- set dear_pillars = ['deployment', 'engagement', 'adoption', 'roi'] -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

components_scored as (

    select * from {{ ref('int_health_components_scored') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

assessments as (

    select * from {{ ref('stg_cs__assessments') }}

),

activities as (

    select * from {{ ref('stg_cs__activities') }}

),

health_bands_seeded as (

    select * from {{ ref('health_bands') }}

),

override_rules as (

    select * from {{ ref('override_rules') }}

),

band_playbooks as (

    select * from {{ ref('band_playbooks') }}

),

review_cadences as (

    select * from {{ ref('review_cadences') }}

),

quadrant_thresholds as (

    select * from {{ ref('quadrant_thresholds') }}

),

journey_stages as (

    select * from {{ ref('journey_stages') }}

),

band_version_starts as (

    select distinct valid_from from health_bands_seeded

),

-- a set of bands is in force from its valid_from until the next set's valid_from
band_versions as (

    select
        valid_from,
        lead(valid_from) over (order by valid_from) as valid_to
    from band_version_starts

),

health_bands as (

    select
        health_bands_seeded.band,
        health_bands_seeded.band_rank,
        health_bands_seeded.min_score,
        health_bands_seeded.max_score,
        band_versions.valid_from,
        band_versions.valid_to,
        max(health_bands_seeded.band_rank) over (
            partition by health_bands_seeded.valid_from
        ) as top_band_rank
    from health_bands_seeded
    inner join band_versions
        on health_bands_seeded.valid_from = band_versions.valid_from

),

days as (

    select
        spine.account_id,
        spine.segment,
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
            {{ safe_divide(
                "sum(case when component_status = 'used' and pillar = '" ~ pillar
                ~ "' then cast(weight * component_score as decimal(18, 6)) end)",
                "sum(case when component_status = 'used' and pillar = '" ~ pillar
                ~ "' then cast(weight as decimal(18, 6)) end)"
            ) }} as {{ pillar }}_pillar_score,
        {%- endfor %}
        {%- for dear_pillar in dear_pillars %}
            {{ safe_divide(
                "sum(case when component_status = 'used' and dear_pillar = '" ~ dear_pillar
                ~ "' then cast(weight * component_score as decimal(18, 6)) end)",
                "sum(case when component_status = 'used' and dear_pillar = '" ~ dear_pillar
                ~ "' then cast(weight as decimal(18, 6)) end)"
            ) }} as {{ dear_pillar }}_score,
        {%- endfor %}
        {%- for axis in ['behaviour', 'attitude'] %}
            {{ safe_divide(
                "sum(case when component_status = 'used' and axis = '" ~ axis
                ~ "' then cast(weight * component_score as decimal(18, 6)) end)",
                "sum(case when component_status = 'used' and axis = '" ~ axis
                ~ "' then cast(weight as decimal(18, 6)) end)"
            ) }} as {{ axis }}_score,
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

drivers_described as (

    select
        * exclude (score_pulls, contribution_deltas),
        array_to_string(
            list_transform(
                score_pulls,
                driver -> driver.component_id || ' ('
                || case when driver.value >= 0 then '+' else '' end
                || printf('%.1f', driver.value) || ')'
            ),
            ', '
        ) as top_score_drivers,
        array_to_string(
            list_transform(
                contribution_deltas,
                driver -> driver.component_id || ' ('
                || case when driver.value >= 0 then '+' else '' end
                || printf('%.1f', driver.value) || ')'
            ),
            ', '
        ) as top_change_drivers
    from scores_aggregated

),

overrides_matched as (

    select
        components_of_new_days.account_id,
        components_of_new_days.score_date,
        override_rules.rule_id,
        health_bands.band_rank as forced_band_rank
    from components_of_new_days
    inner join override_rules
        on
            components_of_new_days.component_id = override_rules.component_id
            and components_of_new_days.component_status in ('used', 'unweighted')
            and case override_rules.operator
                when '<' then components_of_new_days.raw_value < override_rules.threshold
                when '<=' then components_of_new_days.raw_value <= override_rules.threshold
                when '=' then components_of_new_days.raw_value = override_rules.threshold
                when '>=' then components_of_new_days.raw_value >= override_rules.threshold
                when '>' then components_of_new_days.raw_value > override_rules.threshold
            end
    inner join health_bands
        on
            override_rules.forced_band = health_bands.band
            and {{ in_force_on('components_of_new_days.score_date', 'health_bands') }}

),

overrides_fired as (

    select
        account_id,
        score_date,
        min(forced_band_rank) as forced_band_rank,
        string_agg(rule_id, ', ' order by rule_id) as override_rules_fired
    from overrides_matched
    group by account_id, score_date

),

-- the rules that force the worst band: the ones to name when an override sets the band
overrides_forcing as (

    select
        overrides_matched.account_id,
        overrides_matched.score_date,
        string_agg(overrides_matched.rule_id, ', ' order by overrides_matched.rule_id)
            as forcing_rules
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
        drivers_described.*,
        score_bands.band as score_band,
        overrides_fired.override_rules_fired,
        case
            when overrides_fired.forced_band_rank < score_bands.band_rank
                then forced_bands.band
            else score_bands.band
        end as health_band,
        -- why the account is in its band: the score, or an override that lowered it (and which)
        case
            when overrides_fired.forced_band_rank < score_bands.band_rank then 'override'
            when score_bands.band is not null then 'score'
        end as band_set_by,
        case
            when overrides_fired.forced_band_rank < score_bands.band_rank
                then overrides_forcing.forcing_rules
        end as band_override_rules
    from drivers_described
    left join health_bands as score_bands
        on
            {{ in_force_on('drivers_described.score_date', 'score_bands') }}
            and drivers_described.health_score >= score_bands.min_score
            and (
                drivers_described.health_score < score_bands.max_score
                or (
                    score_bands.top_band_rank = score_bands.band_rank
                    and drivers_described.health_score <= score_bands.max_score
                )
            )
    left join overrides_fired
        on
            drivers_described.account_id = overrides_fired.account_id
            and drivers_described.score_date = overrides_fired.score_date
    left join overrides_forcing
        on
            drivers_described.account_id = overrides_forcing.account_id
            and drivers_described.score_date = overrides_forcing.score_date
    left join health_bands as forced_bands
        on
            overrides_fired.forced_band_rank = forced_bands.band_rank
            and {{ in_force_on('drivers_described.score_date', 'forced_bands') }}

),

-- band history: the new days stacked on the last row already built
bands_stacked as (

    select
        account_id,
        score_date,
        health_band,
        cast(null as date) as built_band_entered_on,
        cast(null as varchar) as built_band_before_change,
        false as is_built
    from bands_assigned
    {% if is_incremental() %}

        union all

        select
            account_id,
            score_date,
            health_band,
            band_entered_on as built_band_entered_on,
            band_before_change as built_band_before_change,
            true as is_built
        from {{ this }}
        qualify row_number() over (partition by account_id order by score_date desc) = 1

    {% endif %}

),

bands_lagged as (

    select
        *,
        last_value(health_band ignore nulls) over (
            partition by account_id order by score_date
            rows between unbounded preceding and 1 preceding
        ) as previous_band
    from bands_stacked

),

band_changes_marked as (

    select
        *,
        case
            when is_built then built_band_entered_on
            when
                health_band is not null
                and (previous_band is null or health_band <> previous_band)
                then score_date
        end as band_entered_marker,
        case
            when is_built then built_band_before_change
            when health_band <> previous_band then previous_band
        end as band_before_marker
    from bands_lagged

),

band_history as (

    select
        account_id,
        score_date,
        previous_band,
        is_built,
        max(band_entered_marker) over running as band_entered_on,
        last_value(band_before_marker ignore nulls) over running as band_before_change
    from band_changes_marked
    window running as (
        partition by account_id order by score_date
        rows between unbounded preceding and current row
    )

),

mrr_compared as (

    select
        days.account_id,
        days.score_date,
        sum(
            case
                when
                    subscriptions.start_date <= days.score_date
                    and (subscriptions.end_date is null or subscriptions.end_date > days.score_date)
                    then subscriptions.mrr
                else 0
            end
        ) as mrr,
        sum(
            case
                when
                    subscriptions.start_date <= days.score_date - {{ mismatch_days }}
                    and (
                        subscriptions.end_date is null
                        or subscriptions.end_date > days.score_date - {{ mismatch_days }}
                    )
                    then subscriptions.mrr
                else 0
            end
        ) as mrr_before
    from days
    inner join subscriptions
        on
            days.account_id = subscriptions.account_id
            and days.score_date >= subscriptions.start_date
            and (
                subscriptions.end_date is null
                or subscriptions.end_date > days.score_date - {{ mismatch_days }}
            )
    group by days.account_id, days.score_date

),

review_dates as (

    select distinct
        account_id,
        cast(assessed_at as date) as review_date
    from assessments

    union

    select
        account_id,
        cast(occurred_at as date) as review_date
    from activities
    where activity_type in ('qbr', 'check_in')

),

last_review_found as (

    select
        days.account_id,
        days.score_date,
        review_dates.review_date as last_review_date
    from days
    asof inner join review_dates
        on
            days.account_id = review_dates.account_id
            and days.score_date >= review_dates.review_date

),

final as (

    select
        bands_assigned.account_id,
        bands_assigned.segment,
        journey_stages.stage as journey_stage,
        bands_assigned.scorecard_version,
        bands_assigned.components_used,
        bands_assigned.components_missing,
        bands_assigned.components_stale,
        bands_assigned.health_band,
        bands_assigned.score_band,
        bands_assigned.override_rules_fired,
        bands_assigned.band_set_by,
        bands_assigned.band_override_rules,
        band_history.previous_band,
        band_history.band_before_change,
        bands_assigned.top_score_drivers,
        bands_assigned.top_change_drivers,
        case
            when bands_assigned.behaviour_score is null or bands_assigned.attitude_score is null
                then null
            when
                bands_assigned.behaviour_score >= behaviour_threshold.high_from_score
                and bands_assigned.attitude_score >= attitude_threshold.high_from_score
                then 'healthy_and_happy'
            when bands_assigned.behaviour_score >= behaviour_threshold.high_from_score
                then 'staying_from_complexity'
            when bands_assigned.attitude_score >= attitude_threshold.high_from_score
                then 'under_adopted_advocates'
            else 'at_risk'
        end as quadrant,
        coalesce(change_playbooks.action, band_playbook.action) as recommended_action,
        coalesce(change_playbooks.owner_role, band_playbook.owner_role) as action_owner_role,
        bands_assigned.components_used_count,
        cast(bands_assigned.health_score as decimal(10, 4)) as health_score,
        cast(bands_assigned.score_delta_30d as decimal(10, 4)) as score_delta_30d,
        {%- for pillar in pillars %}
            bands_assigned.{{ pillar }}_pillar_score,
        {%- endfor %}
        {%- for dear_pillar in dear_pillars %}
            bands_assigned.{{ dear_pillar }}_score,
        {%- endfor %}
        bands_assigned.behaviour_score,
        bands_assigned.attitude_score,
        cast(mrr_compared.mrr as decimal(18, 2)) as mrr_usd,
        coalesce(
            (bands_assigned.health_band = 'healthy' and mrr_compared.mrr < mrr_compared.mrr_before)
            or (
                bands_assigned.health_band = 'unhealthy'
                and mrr_compared.mrr > mrr_compared.mrr_before
            ),
            false
        ) as is_health_revenue_mismatch,
        bands_assigned.score_date,
        band_history.band_entered_on,
        case
            when change_playbooks.action is not null
                then band_history.band_entered_on + change_playbooks.due_days
            else band_history.band_entered_on + band_playbook.due_days
        end as action_due_date,
        last_review_found.last_review_date,
        coalesce(last_review_found.last_review_date, accounts.customer_since)
        + review_cadences.review_every_days as next_review_due_date
    from bands_assigned
    inner join band_history
        on
            bands_assigned.account_id = band_history.account_id
            and bands_assigned.score_date = band_history.score_date
            and not band_history.is_built
    inner join accounts
        on bands_assigned.account_id = accounts.account_id
    left join journey_stages
        on
            bands_assigned.score_date - accounts.customer_since >= journey_stages.min_tenure_days
            and (
                journey_stages.max_tenure_days is null
                or bands_assigned.score_date - accounts.customer_since
                < journey_stages.max_tenure_days
            )
    left join quadrant_thresholds as behaviour_threshold
        on behaviour_threshold.axis = 'behaviour' and behaviour_threshold.pillar = 'adoption'
    left join quadrant_thresholds as attitude_threshold
        on attitude_threshold.axis = 'attitude' and attitude_threshold.pillar = 'experience'
    left join band_playbooks as change_playbooks
        on
            change_playbooks.trigger_type = 'band_change'
            and band_history.band_before_change = change_playbooks.from_band
            and bands_assigned.health_band = change_playbooks.to_band
            and bands_assigned.score_date
            <= band_history.band_entered_on + change_playbooks.due_days
    left join band_playbooks as band_playbook
        on
            band_playbook.trigger_type = 'band'
            and bands_assigned.health_band = band_playbook.to_band
    left join mrr_compared
        on
            bands_assigned.account_id = mrr_compared.account_id
            and bands_assigned.score_date = mrr_compared.score_date
    left join last_review_found
        on
            bands_assigned.account_id = last_review_found.account_id
            and bands_assigned.score_date = last_review_found.score_date
    left join review_cadences
        on
            bands_assigned.segment = review_cadences.segment
            and bands_assigned.health_band = review_cadences.band

)

select * from final
