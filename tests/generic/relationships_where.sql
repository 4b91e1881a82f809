{#
    Like dbt's relationships test, with a filter on each side: every non-null value of column_name in
    the rows of model that satisfy from_condition exists in field of the rows of `to` that satisfy
    to_condition. Example: contacts of non-test accounts point at an account that is not a test one.
#}
{% test relationships_where(model, column_name, to, field, from_condition='true', to_condition='true') %}

    with

    child as (

        select {{ column_name }} as child_value
        from {{ model }}
        where
            {{ column_name }} is not null
            and ({{ from_condition }})

    ),

    parent as (

        select {{ field }} as parent_value
        from {{ to }}
        where {{ to_condition }}

    )

    select child.child_value
    from child
    left join parent
        on child.child_value = parent.parent_value
    where parent.parent_value is null

{% endtest %}
