{#
    Turns a wide account x day relation with one column per measure into the long shape every measure
    model hands the scoring engine: (account_id, score_date, component_id, raw_value, measured_on).
    Each measure's newest data date comes from its `<measure>_measured_on` column, or is the score date
    itself when `measured_on_columns` is false (counts over a window ending that day).
#}
{% macro unpivot_measures(relation, components, measured_on_columns=true) -%}
    select
        account_id,
        score_date,
        unnest([
            {%- for component in components %}
                '{{ component }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ]) as component_id,
        unnest([
            {%- for component in components %}
                cast({{ component }} as double){{ ',' if not loop.last }}
            {%- endfor %}
        ]) as raw_value,
        unnest([
            {%- for component in components %}
                {{ component ~ '_measured_on' if measured_on_columns else 'score_date' }}
                {{- ',' if not loop.last }}
            {%- endfor %}
        ]) as measured_on
    from {{ relation }}
{%- endmacro %}
