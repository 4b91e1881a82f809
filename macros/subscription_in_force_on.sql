{#
    SQL condition: a subscription line (start_date, end_date) is in force on `day`: started on or
    before it and not ended (end_date exclusive, null while open).
#}
{% macro subscription_in_force_on(day, relation='subscriptions') -%}
    ({{ relation }}.start_date <= {{ day }}
    and ({{ relation }}.end_date is null or {{ relation }}.end_date > {{ day }}))
{%- endmacro %}
