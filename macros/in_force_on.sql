{#
    True when a versioned config row (valid_from, valid_to) is in force on `day`: valid_from on or
    before it and valid_to (the next version's valid_from, null for the latest) after it.
#}
{% macro in_force_on(day, relation) -%}
    ({{ day }} >= {{ relation }}.valid_from
    and ({{ relation }}.valid_to is null or {{ day }} < {{ relation }}.valid_to))
{%- endmacro %}
