{#
    Two seeds say which bands are at risk: health_bands.is_at_risk (the review queue's ARR at risk)
    and revenue_parameters.at_risk_bands (the NRR forecast). They must name the same bands, in every
    version of the bands. Returns the bands on which they disagree.
#}

with

health_bands as (

    select * from {{ ref('health_bands') }}

),

revenue_parameters as (

    select * from {{ ref('revenue_parameters') }}

),

bands_listed as (

    -- a band is listed when |band| is in |at_risk_bands|: plain SQL on every engine, and in
    -- `account-health check`, which reads this test without dbt
    select
        health_bands.band,
        health_bands.valid_from,
        health_bands.is_at_risk,
        position(
            '|' || health_bands.band || '|' in '|' || revenue_parameters.at_risk_bands || '|'
        ) > 0 as is_in_at_risk_bands
    from health_bands
    cross join revenue_parameters

),

final as (

    select * from bands_listed
    where is_at_risk <> is_in_at_risk_bands

)

select * from final
