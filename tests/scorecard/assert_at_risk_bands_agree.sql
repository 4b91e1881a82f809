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

at_risk_parameter as (

    select unnest(string_split(revenue_parameters.at_risk_bands, '|')) as band
    from revenue_parameters

),

final as (

    select
        health_bands.band,
        health_bands.valid_from,
        health_bands.is_at_risk,
        at_risk_parameter.band is not null as is_in_at_risk_bands
    from health_bands
    left join at_risk_parameter
        on health_bands.band = at_risk_parameter.band
    where health_bands.is_at_risk <> (at_risk_parameter.band is not null)

)

select * from final
