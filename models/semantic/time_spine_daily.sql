{#
    One row per day from var time_spine_start_date to the as-of date: the time spine MetricFlow
    needs (dbt 1.11 reads it from the `time_spine:` config in _semantic__models.yml). MetricFlow
    joins to it for time offsets and filled gaps; the headline metrics read the marts' own dates.
    Days after the as-of date have no data, so the spine stops there.
#}

with

days_spined as (

    select
        {{ days_in_range(
            "cast(cast('" ~ var('time_spine_start_date') ~ "' as date) as timestamp)",
            "cast(" ~ as_of_date() ~ " + 1 as timestamp)"
        ) }} as date_day

),

final as (

    select * from days_spined

)

select * from final
