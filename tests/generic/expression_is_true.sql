{#
    A row-level rule written as a boolean SQL expression over the model's columns holds for every row
    (e.g. "end_date is null or end_date > start_date"). A row where the expression is false or null
    fails, so write null handling into the expression. Use it at model level.
#}
{% test expression_is_true(model, expression) %}

    select *
    from {{ model }}
    where not coalesce(({{ expression }}), false)

{% endtest %}
