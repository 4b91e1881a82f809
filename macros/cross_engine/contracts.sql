{#
    Contract types (DECISIONLOG.md#engines). dbt checks a contract by casting null to each declared
    data_type (get_empty_schema_sql, through dbt.cast) and comparing the result's types with the
    model's. A list type has no spelling both engines read: DuckDB writes `string[]` (its alias of
    varchar[]), Spark `array<string>`, which DuckDB cannot parse. The contracts say `string[]`;
    on Spark this cast writes a type ending in [] as array<...>, everything else as dbt-spark does.
    Only Spark calls it: dbt dispatches cast to the root project's spark__ on the spark target, and
    DuckDB keeps dbt's default.
#}
{% macro spark__cast(field, type) -%}
    {%- set spelled = type | trim -%}
    {%- if spelled.endswith('[]') -%}
        cast({{ field }} as array<{{ spelled[:-2] | trim }}>)
    {%- else -%}
        cast({{ field }} as {{ type }})
    {%- endif -%}
{%- endmacro %}
