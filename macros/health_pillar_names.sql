{#
    The scorecard's pillars, in the order of the pillar score columns that
    int_health_scores_aggregated_to_account_day and int_account_health_scored write and the marts'
    contracts keep: the eight health pillars, and the four DEAR pillars among them.
#}
{% macro health_pillar_names() -%}
    {{ return([
        'deployment', 'engagement', 'adoption', 'roi',
        'experience', 'relationship', 'commercial', 'advocacy',
    ]) }}
{%- endmacro %}

{% macro dear_pillar_names() -%}
    {{ return(['deployment', 'engagement', 'adoption', 'roi']) }}
{%- endmacro %}
