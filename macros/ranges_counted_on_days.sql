{#
    A sweep line: `ranges` holds [range_from, range_to) ranges, each with the amounts `counters` it
    adds on every day it covers; `days` the (partition columns, score_date) rows to read. Each range
    becomes +amount on range_from and -amount on range_to, and a running sum per partition in date
    order gives, on every day, the total of the ranges covering it. A select of the partition
    columns, score_date and one bigint column per counter, one row per row of `days`.
#}
{% macro ranges_counted_on_days(ranges, days, partition_by, counters) -%}
    {%- set partition = partition_by | join(', ') -%}
    select
        {{ partition }},
        score_date,
        {%- for counter in counters %}
            {{ counter }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (
        select
            {{ partition }},
            change_date as score_date,
            {%- for counter in counters %}
                cast(sum({{ counter }}) over running_total as bigint) as {{ counter }},
            {%- endfor %}
            is_score_day
        from (
            select
                {{ partition }},
                change_date,
                {%- for counter in counters %}
                    sum({{ counter }}) as {{ counter }},
                {%- endfor %}
                bool_or(is_score_day) as is_score_day
            from (
                select
                    {{ partition }},
                    range_from as change_date,
                    {%- for counter in counters %}
                        {{ counter }},
                    {%- endfor %}
                    false as is_score_day
                from {{ ranges }}
                where range_from < range_to

                union all

                select
                    {{ partition }},
                    range_to as change_date,
                    {{- counts_padded(counters, negated=true) }},
                    false as is_score_day
                from {{ ranges }}
                where range_from < range_to and range_to < {{ date_infinity() }}

                union all

                select
                    {{ partition }},
                    score_date as change_date,
                    {{- counts_padded(counters) }},
                    true as is_score_day
                from {{ days }}
            ) as changes_unioned
            group by {{ partition }}, change_date
        ) as changes_aggregated_to_day
        window running_total as (
            partition by {{ partition }}
            order by change_date
            rows between unbounded preceding and current row
        )
    ) as changes_summed
    where is_score_day
{%- endmacro %}
