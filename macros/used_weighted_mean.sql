{#
    Aggregate: the weighted mean of component_score over the used components whose `group_column`
    equals `group_value` (a pillar, DEAR pillar, quadrant axis or DEAR composite), in decimals so
    the sum does not depend on row order; null when none of them was used.
#}
{% macro used_weighted_mean(group_column, group_value) -%}
    {{ safe_divide(
        "sum(case when component_status = 'used' and " ~ group_column ~ " = '" ~ group_value
        ~ "' then cast(weight * component_score as decimal(18, 6)) end)",
        "sum(case when component_status = 'used' and " ~ group_column ~ " = '" ~ group_value
        ~ "' then cast(weight as decimal(18, 6)) end)"
    ) }}
{%- endmacro %}
