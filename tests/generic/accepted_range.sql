{#
    Every non-null value lies between min_value and max_value. Either bound may be omitted; bounds
    are inclusive unless inclusive=false. Nulls pass (pair with not_null when they must not occur).
    Restrict the rows with the standard `where` config (e.g. only nps answers).
#}
{% test accepted_range(model, column_name, min_value=none, max_value=none, inclusive=true) %}

    {%- if min_value is none and max_value is none -%}
        {{ exceptions.raise_compiler_error(
            "accepted_range on " ~ model ~ "." ~ column_name ~ " needs min_value or max_value"
        ) }}
    {%- endif -%}

    {%- set lower_op = '<' if inclusive else '<=' -%}
    {%- set upper_op = '>' if inclusive else '>=' -%}

    select {{ column_name }} as out_of_range_value
    from {{ model }}
    where
        {{ column_name }} is not null
        and (
            false
            {%- if min_value is not none %}
                or {{ column_name }} {{ lower_op }} {{ min_value }}
            {%- endif %}
            {%- if max_value is not none %}
                or {{ column_name }} {{ upper_op }} {{ max_value }}
            {%- endif %}
        )

{% endtest %}
