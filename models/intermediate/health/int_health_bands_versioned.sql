{#
    The health_bands seed with each version's end: a set of bands is in force from its valid_from
    until the next set's valid_from (valid_to, null for the latest), so models pick the bands of a
    day with macro in_force_on. Rank, not name, carries the band's meaning: is_top_band and
    is_bottom_band say which bands are the best and worst of their version.
#}

with

health_bands as (

    select * from {{ ref('health_bands') }}

),

band_version_starts as (

    select distinct valid_from from health_bands

),

band_versions as (

    select
        valid_from,
        lead(valid_from) over (order by valid_from) as valid_to
    from band_version_starts

),

final as (

    select
        health_bands.band,
        health_bands.band_rank,
        health_bands.min_score,
        health_bands.max_score,
        health_bands.is_at_risk,
        band_versions.valid_from,
        band_versions.valid_to,
        health_bands.band_rank = max(health_bands.band_rank) over by_version as is_top_band,
        health_bands.band_rank = min(health_bands.band_rank) over by_version as is_bottom_band
    from health_bands
    inner join band_versions
        on health_bands.valid_from = band_versions.valid_from
    window by_version as (partition by health_bands.valid_from)

)

select * from final
