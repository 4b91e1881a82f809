{#
    A list of {component_id, value} structs as the drivers text of the health marts:
    'component (+1.5), other (-0.3)', values signed to one decimal.
#}
{% macro drivers_text(drivers) -%}
    array_to_string(
        list_transform(
            {{ drivers }},
            driver -> driver.component_id || ' ('
            || case when driver.value >= 0 then '+' else '' end
            || printf('%.1f', driver.value) || ')'
        ),
        ', '
    )
{%- endmacro %}
