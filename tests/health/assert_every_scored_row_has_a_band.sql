{#
    Every account-day with a score has a band and the band the score maps to (DECISIONLOG "bands"),
    and says why it is in it: a gap or overlap between the ranges of seed health_bands, or a score
    above the top band, would leave a scored row unbanded. Returns the rows that break it.
#}

with

health_daily as (

    select * from {{ ref('fct_account_health_daily') }}

),

final as (

    select
        account_id,
        score_date,
        health_score,
        score_band,
        health_band,
        band_set_by
    from health_daily
    where
        health_score is not null
        and (score_band is null or health_band is null or band_set_by is null)

)

select * from final
