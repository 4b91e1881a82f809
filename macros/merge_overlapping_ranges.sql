{#
    A select that merges the overlapping or touching [range_from, range_to) ranges of `relation`
    within each `partition_by` group into islands: one row per island with the partition columns,
    min(range_from) and max(range_to). Ranges are walked in start order; a range starts a new island
    when it starts after every earlier range of its group has ended.
#}
{% macro merge_overlapping_ranges(relation, partition_by) -%}
    {%- set partition = partition_by | join(', ') -%}
    select
        {{ partition }},
        min(range_from) as range_from,
        max(range_to) as range_to
    from (
        select
            *,
            sum(
                case
                    when previous_range_to is null or range_from > previous_range_to then 1 else 0
                end
            ) over (
                partition by {{ partition }}
                order by range_from, range_to
                -- peers (identical ranges) share one island number: with a rows frame, two equal
                -- ranges sorted the other way round than above split across islands, and the
                -- islands then overlap (seen as a feature counted twice on some builds)
                range between unbounded preceding and current row
            ) as island_number
        from (
            select
                *,
                max(range_to) over (
                    partition by {{ partition }}
                    order by range_from, range_to
                    rows between unbounded preceding and 1 preceding
                ) as previous_range_to
            from {{ relation }}
        ) as ranges_ordered
    ) as ranges_islanded
    group by {{ partition }}, island_number
{%- endmacro %}
