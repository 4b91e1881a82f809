{#
    One row per customer and day its band changed from the previous scored day: from and to band,
    whether it got worse (a lower band_rank in the bands in force that day), why (score or override),
    the score and its 30-day change, ARR and the action. What `account-health alerts` and the Dagster
    sensor send; a CS leader's feed of who moved.
#}

with

health_daily as (

    select * from {{ ref('fct_account_health_daily') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

bands as (

    select * from {{ ref('int_health_bands_versioned') }}

),

changes as (

    select
        account_id,
        segment,
        score_date,
        previous_band,
        health_band,
        band_set_by,
        band_override_rules,
        health_score,
        score_delta_30d,
        top_change_drivers,
        recommended_action,
        mrr_usd
    from health_daily
    where previous_band is not null and health_band is not null and health_band <> previous_band

),

final as (

    select
        changes.account_id,
        accounts.account_name,
        changes.segment,
        accounts.csm_owner,
        changes.score_date as changed_on,
        changes.previous_band as from_band,
        changes.health_band as to_band,
        changes.band_set_by,
        changes.band_override_rules,
        changes.health_score,
        changes.score_delta_30d,
        changes.top_change_drivers,
        changes.recommended_action,
        cast(changes.mrr_usd * 12 as decimal(18, 2)) as arr_usd,
        to_bands.band_rank < from_bands.band_rank as is_worse
    from changes
    left join accounts
        on changes.account_id = accounts.account_id
    left join bands as from_bands
        on
            changes.previous_band = from_bands.band
            and {{ in_force_on('changes.score_date', 'from_bands') }}
    left join bands as to_bands
        on
            changes.health_band = to_bands.band
            and {{ in_force_on('changes.score_date', 'to_bands') }}

)

select * from final
