{#
    The grain test for composite keys: no two rows share the same values in all the given columns.
    Rows with a null in any key column count as a key like any other (null = null here), so a
    half-filled key cannot hide a duplicate.
#}
{% test unique_combination_of_columns(model, combination_of_columns) %}

    {%- set key_columns = combination_of_columns | join(', ') %}

    select
        {{ key_columns }},
        count(*) as row_count
    from {{ model }}
    group by {{ key_columns }}
    having count(*) > 1

{% endtest %}
