{#
    Day arithmetic (DECISIONLOG.md#engines).
    days_interval: an interval of `days` days, for date arithmetic and range-window frames. DuckDB
    takes any expression in `interval (<expr>) day`; Spark's interval literal takes only a number
    (and a frame boundary only a literal), so callers do the arithmetic in Jinja
    (days_interval(window_days - 1)) and Spark writes the number, or make_dt_interval for an
    expression. On Spark a date plus a literal interval of days is a date, on DuckDB a timestamp:
    compare it, or cast it to a date.
#}
{% macro days_interval(days) -%}
    {{- return(adapter.dispatch('days_interval', 'account_health')(days)) -}}
{%- endmacro %}

{% macro default__days_interval(days) -%}
    interval ({{ days }}) day
{%- endmacro %}

{% macro spark__days_interval(days) -%}
    {%- if days is number -%}
        interval {{ days }} day
    {%- else -%}
        make_dt_interval({{ days }})
    {%- endif -%}
{%- endmacro %}

{#
    date_infinity: the date after every date, the end of an open range. DuckDB has 'infinity';
    Spark casts it to null (with ANSI off), so it takes its largest date, 9999-12-31, which is also
    what DuckDB's infinity reads as outside DuckDB (Python, Parquet): the parity test sees the same
    value.
#}
{% macro date_infinity() -%}
    {{- return(adapter.dispatch('date_infinity', 'account_health')()) -}}
{%- endmacro %}

{% macro default__date_infinity() -%}
    cast('infinity' as date)
{%- endmacro %}

{% macro spark__date_infinity() -%}
    cast('9999-12-31' as date)
{%- endmacro %}

{#
    date_minus_infinity: the date before every date, the start of "from the beginning". DuckDB has
    '-infinity'; Spark casts it to null, and "x >= null" keeps no row, so Spark takes its smallest
    date, 0001-01-01 (as timestamp_min does for timestamps).
#}
{% macro date_minus_infinity() -%}
    {{- return(adapter.dispatch('date_minus_infinity', 'account_health')()) -}}
{%- endmacro %}

{% macro default__date_minus_infinity() -%}
    cast('-infinity' as date)
{%- endmacro %}

{% macro spark__date_minus_infinity() -%}
    cast('0001-01-01' as date)
{%- endmacro %}

{#
    boundaries_crossed: how many `datepart` boundaries (minute, hour, ...) lie between two
    timestamps, DuckDB's date_diff: 10:00:59 to 10:01:01 is one minute. dbt.datediff counts
    differently on Spark (whole seconds divided and rounded up: 10:00:00 to 10:01:30 is two), so
    Spark truncates both to the datepart and counts whole units between them.
#}
{% macro boundaries_crossed(datepart, start_at, end_at) -%}
    {{- return(adapter.dispatch('boundaries_crossed', 'account_health')(datepart, start_at, end_at)) -}}
{%- endmacro %}

{% macro default__boundaries_crossed(datepart, start_at, end_at) -%}
    date_diff('{{ datepart }}', {{ start_at }}, {{ end_at }})
{%- endmacro %}

{% macro spark__boundaries_crossed(datepart, start_at, end_at) -%}
    timestampdiff(
        {{ datepart }},
        date_trunc('{{ datepart }}', {{ start_at }}),
        date_trunc('{{ datepart }}', {{ end_at }})
    )
{%- endmacro %}

{#
    months_interval: an interval of `months` months (an expression), to subtract from a date.
    DuckDB to_months(n); Spark make_ym_interval(0, n). Both keep the day of month where it exists
    and clamp it to the month's last day otherwise.
#}
{% macro months_interval(months) -%}
    {{- return(adapter.dispatch('months_interval', 'account_health')(months)) -}}
{%- endmacro %}

{% macro default__months_interval(months) -%}
    to_months({{ months }})
{%- endmacro %}

{% macro spark__months_interval(months) -%}
    make_ym_interval(0, {{ months }})
{%- endmacro %}
