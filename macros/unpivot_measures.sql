{#
    Turns a wide account x day relation with one column per measure into the long shape every measure
    model hands the scoring engine: (account_id, score_date, component_id, raw_value, measured_on).
    `components` is normally health_component_ids('<this model>'), the registry's list.
    Each measure's newest data date is `measured_on`: 'columns' reads a `<measure>_measured_on` column
    per measure; any other value is a SQL expression for every measure (e.g. 'score_date' for counts
    over a window ending that day), except those named in `measured_on_overrides` (component ->
    expression). measured_on is null when the raw value is (nothing was measured).
#}
{% macro unpivot_measures(relation, components, measured_on='columns', measured_on_overrides={}) -%}
    {%- set rows = [] -%}
    {%- for component in components -%}
        {%- if component in measured_on_overrides -%}
            {%- set measured_on_expression = measured_on_overrides[component] -%}
        {%- elif measured_on == 'columns' -%}
            {%- set measured_on_expression = component ~ '_measured_on' -%}
        {%- else -%}
            {%- set measured_on_expression = measured_on -%}
        {%- endif -%}
        {%- do rows.append([
            "'" ~ component ~ "'",
            'cast(' ~ component ~ ' as double)',
            'case when ' ~ component ~ ' is not null then ' ~ measured_on_expression ~ ' end',
        ]) -%}
    {%- endfor %}
    select
        account_id,
        score_date,
        {{ columns_unpivoted(rows, ['component_id', 'raw_value', 'measured_on']) }}
    from {{ relation }}
{%- endmacro %}
