{#
    numerator / denominator as a double, null when the denominator is 0 or null (instead of an error
    or an infinity), so a rate over an empty group reads "not measurable" rather than 0.
#}
{% macro safe_divide(numerator, denominator) -%}
    (cast({{ numerator }} as double) / nullif(cast({{ denominator }} as double), 0))
{%- endmacro %}
