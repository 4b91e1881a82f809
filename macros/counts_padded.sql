{#
    The select list of one branch of a union of counters: every column of `columns`, as its
    expression in `counted` (column -> SQL) or 0 when the branch does not count it. With
    `negated`, each column is its own negation (the -1 end of a sweep-line range).
#}
{% macro counts_padded(columns, counted={}, negated=false) -%}
    {%- for column in columns %}
        {%- if negated %}
        -{{ column }} as {{ column }}{{ ',' if not loop.last }}
        {%- else %}
        {{ counted.get(column, '0') }} as {{ column }}{{ ',' if not loop.last }}
        {%- endif %}
    {%- endfor %}
{%- endmacro %}
