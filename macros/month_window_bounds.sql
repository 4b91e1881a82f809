{#
    Two select columns: the window of the `lookback_months` whole months ending on the month-end
    `month_end`, as timestamps [window_start_at, window_end_at) (0 months: empty, the month-end
    itself). The monthly counterpart of in_trailing_days, for the DEAR signals.
#}
{% macro month_window_bounds(month_end, lookback_months) -%}
    cast({{ month_end }} + interval 1 day as timestamp) as window_end_at,
    cast(
        {{ month_end }} + interval 1 day - {{ months_interval(lookback_months) }} as timestamp
    ) as window_start_at
{%- endmacro %}
