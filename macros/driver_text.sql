{#
    One driver of the health marts' drivers text, 'component (+1.5)': the value signed to one
    decimal (one_decimal_text: C's printf('%.1f') on both engines). The drivers text joins the
    largest few with ', '.
#}
{% macro driver_text(component_id, value) -%}
    {{ component_id }} || ' ('
    || case when {{ value }} >= 0 then '+' else '' end
    || {{ one_decimal_text(value) }} || ')'
{%- endmacro %}
