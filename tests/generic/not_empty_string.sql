{#
    A text column holds no empty or whitespace-only strings. Such values slip past not_null and
    then group as a separate, blank category. Nulls pass.
#}
{% test not_empty_string(model, column_name) %}

    select {{ column_name }} as empty_value
    from {{ model }}
    where trim({{ column_name }}) = ''

{% endtest %}
