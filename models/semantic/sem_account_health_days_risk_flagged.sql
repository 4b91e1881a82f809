{{ config(materialized='view') }}

{#
    One row per customer per day scored: fct_account_health_daily's band, segment and MRR, with
    is_at_risk of the band in force that day (seed health_bands, macro in_force_on), so the semantic
    layer's ARR at risk is a measure (0 outside the at-risk bands) rather than a filter. A filter
    would change which day MetricFlow takes as the latest of a month: the latest day with an at-risk
    account, not the month's last day (DECISIONLOG.md#semantic-layer). A view: nothing is copied.
#}

with

health_daily as (

    select * from {{ ref('fct_account_health_daily') }}

),

health_bands as (

    select * from {{ ref('int_health_bands_versioned') }}

),

risk_flagged as (

    select
        health_daily.account_id,
        health_daily.segment,
        health_daily.journey_stage,
        health_daily.health_band,
        health_daily.band_set_by,
        health_daily.mrr_usd,
        health_daily.score_date,
        coalesce(health_bands.is_at_risk, false) as is_at_risk
    from health_daily
    left join health_bands
        on
            health_daily.health_band = health_bands.band
            and {{ in_force_on('health_daily.score_date', 'health_bands') }}

),

final as (

    select * from risk_flagged

)

select * from final
