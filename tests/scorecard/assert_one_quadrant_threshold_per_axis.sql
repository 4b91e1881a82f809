{#
    quadrant_thresholds names one pillar per row but the quadrant compares axis scores: every pillar
    row of an axis must hold the same high_from_score, or which row wins would be arbitrary. Returns
    the axes whose rows disagree.
#}

with

quadrant_thresholds as (

    select * from {{ ref('quadrant_thresholds') }}

),

final as (

    select
        axis,
        count(distinct high_from_score) as threshold_count
    from quadrant_thresholds
    group by axis
    having count(distinct high_from_score) > 1

)

select * from final
