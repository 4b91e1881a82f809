{#
    The items of a list var as a comma-separated list of SQL string literals, for an `in (...)`
    (e.g. var('health_exec_personas')).
#}
{% macro quoted_list(items) -%}
    {%- for item in items -%}
        '{{ item }}'{{ ', ' if not loop.last }}
    {%- endfor -%}
{%- endmacro %}
