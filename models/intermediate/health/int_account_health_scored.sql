{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per day: the overall score and everything a CSM needs next to it. The
    scores come from int_health_scores_aggregated_to_account_day, the band from
    int_account_health_banded; this model adds what the band means over time:
    - band history (int_account_band_changes_tracked): previous band, the day the account entered
      its band and the band before it.
    - quadrant from the behaviour axis (deployment + adoption) and attitude axis (experience,
      advocacy, relationship) against quadrant_thresholds (one threshold per axis).
    - health/revenue mismatch: in the top band while MRR fell over var health_mismatch_window_days
      (int_account_mrr_compared_to_account_day), or in the bottom band while it grew (bands compared
      by rank, never by name).
    - action from band_playbooks (a band-change playbook until its due date, else the band's),
      next review = last review (int_account_reviews_found_to_account_day) + review_cadences days.
    Incremental: new days only.
#}

{%- set pillars = health_pillar_names() -%}
{%- set dear_pillars = dear_pillar_names() -%}

with

account_health_banded as (

    select * from {{ ref('int_account_health_banded') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

mrr_compared as (

    select * from {{ ref('int_account_mrr_compared_to_account_day') }}

),

band_history as (

    select * from {{ ref('int_account_band_changes_tracked') }}

),

last_review_found as (

    select * from {{ ref('int_account_reviews_found_to_account_day') }}

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

days as (

    select account_health_banded.*
    from account_health_banded
    where {{ spine_days_not_yet_built('account_health_banded') }}

),

-- every pillar row of an axis holds the axis threshold (tests/scorecard checks they agree)
axis_thresholds as (

    select
        axis,
        max(high_from_score) as high_from_score
    from quadrant_thresholds
    group by axis

),

final as (

    select
        days.account_id,
        days.segment,
        journey_stages.stage as journey_stage,
        days.scorecard_version,
        days.components_used,
        days.components_missing,
        days.components_stale,
        days.health_band,
        days.score_band,
        days.override_rules_fired,
        days.band_set_by,
        days.band_override_rules,
        band_history.previous_band,
        band_history.band_before_change,
        days.top_score_drivers,
        days.top_change_drivers,
        case
            when days.behaviour_score is null or days.attitude_score is null
                then null
            when
                days.behaviour_score >= behaviour_threshold.high_from_score
                and days.attitude_score >= attitude_threshold.high_from_score
                then 'healthy_and_happy'
            when days.behaviour_score >= behaviour_threshold.high_from_score
                then 'staying_from_complexity'
            when days.attitude_score >= attitude_threshold.high_from_score
                then 'under_adopted_advocates'
            else 'at_risk'
        end as quadrant,
        coalesce(change_playbooks.action, band_playbook.action) as recommended_action,
        coalesce(change_playbooks.owner_role, band_playbook.owner_role) as action_owner_role,
        days.components_used_count,
        cast(days.health_score as decimal(10, 4)) as health_score,
        cast(days.score_delta_30d as decimal(10, 4)) as score_delta_30d,
        {%- for pillar in pillars %}
            days.{{ pillar }}_pillar_score,
        {%- endfor %}
        {%- for dear_pillar in dear_pillars %}
            days.{{ dear_pillar }}_score,
        {%- endfor %}
        days.behaviour_score,
        days.attitude_score,
        cast(mrr_compared.mrr as decimal(18, 2)) as mrr_usd,
        coalesce(
            (days.is_top_band and mrr_compared.mrr < mrr_compared.mrr_before)
            or (days.is_bottom_band and mrr_compared.mrr > mrr_compared.mrr_before),
            false
        ) as is_health_revenue_mismatch,
        days.score_date,
        band_history.band_entered_on,
        case
            when change_playbooks.action is not null
                then band_history.band_entered_on + change_playbooks.due_days
            else band_history.band_entered_on + band_playbook.due_days
        end as action_due_date,
        last_review_found.last_review_date,
        coalesce(last_review_found.last_review_date, accounts.customer_since)
        + review_cadences.review_every_days as next_review_due_date
    from days
    inner join band_history
        on
            days.account_id = band_history.account_id
            and days.score_date = band_history.score_date
    inner join accounts
        on days.account_id = accounts.account_id
    left join journey_stages
        on
            {{ dbt.datediff('accounts.customer_since', 'days.score_date', 'day') }}
            >= journey_stages.min_tenure_days
            and (
                journey_stages.max_tenure_days is null
                or {{ dbt.datediff('accounts.customer_since', 'days.score_date', 'day') }}
                < journey_stages.max_tenure_days
            )
    left join axis_thresholds as behaviour_threshold
        on behaviour_threshold.axis = 'behaviour'
    left join axis_thresholds as attitude_threshold
        on attitude_threshold.axis = 'attitude'
    left join band_playbooks as change_playbooks
        on
            change_playbooks.trigger_type = 'band_change'
            and band_history.band_before_change = change_playbooks.from_band
            and days.health_band = change_playbooks.to_band
            and days.score_date <= band_history.band_entered_on + change_playbooks.due_days
    left join band_playbooks as band_playbook
        on
            band_playbook.trigger_type = 'band'
            and days.health_band = band_playbook.to_band
    left join mrr_compared
        on
            days.account_id = mrr_compared.account_id
            and days.score_date = mrr_compared.score_date
    left join last_review_found
        on
            days.account_id = last_review_found.account_id
            and days.score_date = last_review_found.score_date
    left join review_cadences
        on
            days.segment = review_cadences.segment
            and days.health_band = review_cadences.band

)

select * from final
