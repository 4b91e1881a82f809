{#
    SQL expression: the first day of a source (the day of min(`column`) over `relation`), or
    -infinity when the relation is empty, so a count over a provided but empty table is 0 from the
    first day. A measure is null (missing, never red) on the days before its source's start.
#}
{% macro source_start_date(relation, column) -%}
    coalesce(
        (select cast(min({{ column }}) as date) from {{ relation }}), {{ date_minus_infinity() }}
    )
{%- endmacro %}
