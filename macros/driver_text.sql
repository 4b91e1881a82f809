{#
    One driver of the health marts' drivers text, 'component (+1.5)': the value signed to one
    decimal. The drivers text joins the largest few with ', '.
#}
{% macro driver_text(component_id, value) -%}
    {{ component_id }} || ' ('
    || case when {{ value }} >= 0 then '+' else '' end
    || printf('%.1f', {{ value }}) || ')'
{%- endmacro %}
