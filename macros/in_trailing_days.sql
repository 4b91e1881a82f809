{#
    SQL condition: the timestamp (or date) `moment` falls in the `days` days ending on `day`, that
    day included: from the start of day - (days - 1) to the end of day. The trailing window every
    "…_90d" / "…_365d" measure counts over.
#}
{% macro in_trailing_days(moment, day, days) -%}
    ({{ moment }} < {{ day }} + interval 1 day
    and {{ moment }} >= {{ day }} - {{ days_interval((days | int) - 1) }})
{%- endmacro %}
