{#
    SQL expression: a raw value on the 0-100 scale of its two thresholds, linear between them and
    clamped: the value at `zero_at` scores 0, the value at `full_at` scores 100 (lower-is-better
    measures simply have zero_at > full_at). The one scoring rule of the health components
    (red_threshold -> green_threshold, DECISIONLOG.md#health-scorecard) and of the DEAR composite
    components (value_at_zero_score -> value_at_full_score, DECISIONLOG.md#dear).
#}
{% macro threshold_score(raw_value, zero_at, full_at) -%}
    greatest(0.0, least(
        100.0,
        100.0 * ({{ raw_value }} - {{ zero_at }})
        / ({{ full_at }} - {{ zero_at }})
    ))
{%- endmacro %}
