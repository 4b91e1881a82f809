-- Each version of the bands covers 0 to 100 without a gap or an overlap: in rank order, the first
-- band starts at 0, each band starts where the one below it ends, and the top band ends at 100.
with

health_bands as (

    select * from {{ ref('health_bands') }}

),

bands_ordered as (

    select
        band,
        valid_from,
        min_score,
        max_score,
        lag(max_score) over (partition by valid_from order by band_rank) as previous_max_score,
        row_number() over (partition by valid_from order by band_rank) as band_position,
        count(*) over (partition by valid_from) as bands
    from health_bands

),

final as (

    select
        band,
        valid_from,
        min_score,
        max_score
    from bands_ordered
    where
        (band_position = 1 and min_score <> 0)
        or (band_position > 1 and min_score <> previous_max_score)
        or (band_position = bands and max_score <> 100)

)

select * from final
