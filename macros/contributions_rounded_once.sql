{#
    A select of `relation` with its `unrounded_contribution` column replaced by `contribution`,
    rounded once (DECISIONLOG.md#health-score): the running total over each `partition_by` group in
    `order_by` order is rounded to 4 decimals and capped at 100, and each contribution is its step,
    a decimal(10, 4). So a group's contributions add up exactly to its rounded total, which stays
    in [0, 100] (rounding each term alone let five terms of 16.66667 / 25 add up to 100.0001).
    Each term is cast to decimal(18, 10) before the sum: a running sum of doubles depends on the order
    the engine adds them in (DuckDB's window tree gave 36.406249999999997 where Spark's sequential sum
    gave 36.40625, so a tie rounded down on one and up on the other); decimals add exactly, so the
    total and its half-up rounding are the same on every engine and every run.
#}
{% macro contributions_rounded_once(relation, partition_by, order_by) -%}
    {%- set partition = partition_by | join(', ') -%}
    select
        {{ star_except(['unrounded_contribution', 'rounded_running_total']) }},
        cast(
            rounded_running_total - coalesce(
                lag(rounded_running_total) over (
                    partition by {{ partition }} order by {{ order_by }}
                ),
                0
            ) as decimal(10, 4)
        ) as contribution
    from (
        select
            *,
            cast(
                least(
                    round(
                        sum(cast(unrounded_contribution as decimal(18, 10))) over running_total,
                        4
                    ),
                    100
                ) as decimal(10, 4)
            ) as rounded_running_total
        from {{ relation }}
        window running_total as (
            partition by {{ partition }} order by {{ order_by }}
            rows between unbounded preceding and current row
        )
    ) as running_totals_rounded
{%- endmacro %}
