{#
    Layers get plain schema names (staging, intermediate, marts, config) rather than dbt's default
    <target>_<custom> so BI tools and the publish step can find them by name.
#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
