{#
    A one-row table (a typed parameters seed: one column per parameter) has exactly one row: none
    would leave every reader without its settings, two would make them ambiguous. Returns the row
    count when it is not 1.
#}
{% test exactly_one_row(model) %}

    select count(*) as row_count
    from {{ model }}
    having count(*) <> 1

{% endtest %}
