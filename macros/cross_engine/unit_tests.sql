{#
    Unit-test fixtures on Spark (DECISIONLOG.md#engines). dbt writes each fixture value through
    safe_cast(value, column type); a YAML list (a list column's value, e.g. features: [a, b]) comes
    as the list itself and is written as Python prints it, ['a', 'b']: DuckDB's list literal, a
    syntax error on Spark. This override writes a list as array('a', 'b') and everything else as
    dbt-spark's own spark__safe_cast does. Only Spark calls it: dbt dispatches safe_cast to the root
    project's spark__ on the spark target, and DuckDB keeps dbt-duckdb's.
#}
{% macro spark__safe_cast(field, type) -%}
    {%- if field is sequence and field is not string and field is not mapping -%}
        cast(array(
            {%- for value in field -%}
                {{ spark_seed_literal(value) }}{{ ', ' if not loop.last }}
            {%- endfor -%}
        ) as {{ type }})
    {%- else -%}
        {%- set unsupported_from_string = type.lower().startswith(('struct', 'array', 'map')) -%}
        {%- set field_clean = field.strip('"').strip("'")
            if (unsupported_from_string and field is string) else field -%}
        cast({{ field_clean }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{#
    A string fixture value is written as dbt.string_literal(escape_single_quotes(value)). Spark's
    string literals read a backslash as an escape (a persona rule's '\b' became a backspace), and
    dbt-spark escapes only the quote: this one escapes the backslash first, as
    spark_seed_literal does for seeds.
#}
{% macro spark__escape_single_quotes(expression) -%}
    {{- expression.replace("\\", "\\\\").replace("'", "\\'") -}}
{%- endmacro %}
