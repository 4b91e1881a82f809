{#
    The run's as-of date (var as_of_date, YYYY-MM-DD) as a SQL date literal. Models use this instead
    of current_date so a build is reproducible and point-in-time: nothing reads the wall clock.
#}
{% macro as_of_date() -%}
    cast('{{ var("as_of_date") }}' as date)
{%- endmacro %}
