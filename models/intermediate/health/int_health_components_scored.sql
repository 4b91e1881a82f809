{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date', 'component_id'],
        on_schema_change='fail',
    )
}}

{#
    The scoring engine, one row per account x day x component (every component of the
    health_components seed, so a reader sees what was missing or stale as well as what counted).
    Each rule is in DECISIONLOG.md#health-scorecard:
    1. weights in force: int_health_weights_in_force_to_segment_day ("Weights per segment");
    2. status: missing, stale, unweighted or used ("Missing vs stale vs red");
    3. component_score: raw value between red and green thresholds, clamped to 0..100
       ("Thresholds: raw value -> 0..100");
    4. normalised_weight = weight / the day's used weights, so a missing or stale component shares
       its weight over the rest instead of counting as red;
    5. contribution = normalised_weight * component_score, rounded once (#health-score);
    6. contribution_delta_30d = contribution - the contribution 30 days earlier ("Driver math").
    Incremental: computes only spine days after the newest day already built for the account; the
    30-day look-back reads the rows already built.
#}

{%- set delta_days = var('health_delta_days') -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

measures as (

    select * from {{ ref('int_health_measures_sourced') }}

),

health_components as (

    select * from {{ ref('health_components') }}

),

weights_in_force as (

    select * from {{ ref('int_health_weights_in_force_to_segment_day') }}

),

{#- not spine_days_not_yet_built's `where`: the running total below sums doubles in a window, and
    a plan that lays the rows out differently can move a 0.0001 between two components whose
    running total sits exactly on a rounding tie (seen on 13 demo account-days); keep this shape
    until the running total is summed exactly #}

-- one row per account: its segment and the last day already built (incremental runs)
accounts_to_score as (

    {{ spine_accounts_built_through() }}

),

first_new_day as (

    select min(spine.score_date) as first_score_date
    from spine
    inner join accounts_to_score
        on spine.account_id = accounts_to_score.account_id
    where
        accounts_to_score.built_through is null
        or spine.score_date > accounts_to_score.built_through

),

measures_unioned as (

    select * from measures
    where score_date >= (select first_new_day.first_score_date from first_new_day)

),

-- the measure models emit a row for every account x day x component they own (raw_value null
-- when not measurable), so driving from them covers the full grid without a cross join
components_classified as (

    select
        measures_unioned.account_id,
        accounts_to_score.segment,
        measures_unioned.score_date,
        measures_unioned.component_id,
        health_components.pillar,
        health_components.dear_pillar,
        weights_in_force.scorecard_version,
        measures_unioned.raw_value,
        measures_unioned.measured_on,
        weights_in_force.weight,
        case
            when measures_unioned.raw_value is null then 'missing'
            when
                {{ dbt.datediff(
                    'measures_unioned.measured_on', 'measures_unioned.score_date', 'day'
                ) }} > health_components.max_age_days
                then 'stale'
            when weights_in_force.weight = 0 then 'unweighted'
            else 'used'
        end as component_status,
        -- scored whenever fresh, so a weight-0 component still shows its score
        {{ threshold_score(
            'measures_unioned.raw_value',
            'health_components.red_threshold',
            'health_components.green_threshold',
        ) }} as threshold_score
    from measures_unioned
    inner join accounts_to_score
        on measures_unioned.account_id = accounts_to_score.account_id
    inner join health_components
        on measures_unioned.component_id = health_components.component_id
    inner join weights_in_force
        on
            accounts_to_score.segment = weights_in_force.segment
            and measures_unioned.score_date = weights_in_force.score_date
            and measures_unioned.component_id = weights_in_force.component_id
    where
        accounts_to_score.built_through is null
        or measures_unioned.score_date > accounts_to_score.built_through

),

weights_summed as (

    select
        account_id,
        score_date,
        -- decimal: an exact, order-independent sum, so reruns give identical weights
        cast(sum(cast(weight as decimal(18, 6))) as double) as used_weight_total
    from components_classified
    where component_status = 'used'
    group by account_id, score_date

),

contributions_unrounded as (

    select
        components_classified.account_id,
        components_classified.segment,
        components_classified.score_date,
        components_classified.component_id,
        components_classified.pillar,
        components_classified.dear_pillar,
        components_classified.scorecard_version,
        components_classified.component_status,
        components_classified.raw_value,
        components_classified.measured_on,
        components_classified.weight,
        case
            when components_classified.component_status in ('used', 'unweighted')
                then components_classified.threshold_score
        end as component_score,
        case
            when components_classified.component_status = 'used'
                then components_classified.weight / weights_summed.used_weight_total
            else 0.0
        end as normalised_weight,
        case
            when components_classified.component_status = 'used'
                then
                    components_classified.weight / weights_summed.used_weight_total
                    * components_classified.threshold_score
            else 0.0
        end as unrounded_contribution
    from components_classified
    left join weights_summed
        on
            components_classified.account_id = weights_summed.account_id
            and components_classified.score_date = weights_summed.score_date

),

-- round once: the running total is rounded (and capped at 100), each contribution is its step
contributions_computed as (

    {{ contributions_rounded_once(
        'contributions_unrounded', ['account_id', 'score_date'], 'component_id',
    ) }}

),

-- the rows already built that the 30-day look-back of the new days needs (incremental runs), with
-- the columns final reads (named: the built rows' column order is the table's)
{%- set stacked_columns = [
    'account_id', 'segment', 'score_date', 'component_id', 'pillar', 'dear_pillar', 'scorecard_version',
    'component_status', 'raw_value', 'measured_on', 'component_score', 'weight', 'normalised_weight',
    'contribution',
] %}
contributions_stacked as (

    select
        {{ stacked_columns | join(',\n        ') }},
        false as is_built
    from contributions_computed
    {% if is_incremental() %}

        union all

        select
            {{ stacked_columns | join(',\n            ') }},
            true as is_built
        from {{ this }} as this_model
        where
            this_model.score_date >= (
                select first_new_day.first_score_date - {{ delta_days }} from first_new_day
            )

    {% endif %}

),

-- the spine is contiguous per account, so the row {{ delta_days }} rows back is the day
-- {{ delta_days }} days back; the date check keeps that true even if a day were missing
contributions_lagged as (

    select
        *,
        lag(score_date, {{ delta_days }}) over by_component as lagged_score_date,
        lag(contribution, {{ delta_days }}) over by_component as lagged_contribution
    from contributions_stacked
    window by_component as (partition by account_id, component_id order by score_date)

),

final as (

    select
        account_id,
        segment,
        score_date,
        component_id,
        pillar,
        dear_pillar,
        scorecard_version,
        component_status,
        raw_value,
        measured_on,
        component_score,
        weight,
        normalised_weight,
        contribution,
        case
            when lagged_score_date = score_date - {{ delta_days }} then lagged_contribution
        end as contribution_30d_ago,
        contribution - case
            when lagged_score_date = score_date - {{ delta_days }} then lagged_contribution
        end as contribution_delta_30d
    from contributions_lagged
    where not is_built

)

select * from final
