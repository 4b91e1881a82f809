{#
    String functions the engines name differently (DECISIONLOG.md#engines). Both return the
    lower-case hex digest, so a pseudonym is the same on both engines.
#}
{% macro sha256_hex(expression) -%}
    {{- return(adapter.dispatch('sha256_hex', 'account_health')(expression)) -}}
{%- endmacro %}

{% macro default__sha256_hex(expression) -%}
    sha256({{ expression }})
{%- endmacro %}

{% macro spark__sha256_hex(expression) -%}
    sha2({{ expression }}, 256)
{%- endmacro %}

{#
    Whether a regular expression matches anywhere in a string (DECISIONLOG.md#engines): DuckDB
    regexp_matches, Spark rlike (both find the pattern anywhere unless it is anchored).
#}
{% macro regexp_found(expression, pattern) -%}
    {{- return(adapter.dispatch('regexp_found', 'account_health')(expression, pattern)) -}}
{%- endmacro %}

{% macro default__regexp_found(expression, pattern) -%}
    regexp_matches({{ expression }}, {{ pattern }})
{%- endmacro %}

{% macro spark__regexp_found(expression, pattern) -%}
    ({{ expression }} rlike {{ pattern }})
{%- endmacro %}

{#
    A number as text with one decimal, as C's printf('%.1f') writes it (DECISIONLOG.md#engines):
    the double's exact binary value rounded to the nearest tenth, an exact tie (x.25, x.75) to the
    even tenth, and a minus sign whenever the double is negative, even when it rounds to zero
    ('-0.0'). A decimal is turned into a double first. DuckDB's printf does exactly that (1.25 ->
    '1.2', 0.15 -> '0.1', 2.35 -> '2.4'). Spark's printf is Java's Formatter, which rounds the
    shortest decimal that reads back as the double half up (1.25 -> '1.3', 0.15 -> '0.2'), so
    Spark computes the tenths itself: q = floor(10 |x|) and the sign of 20 |x| - (2q + 1), the
    distance to the tie between q and q + 1, computed exactly (16 |x| and 4 |x| are exact, and
    near a tie each subtraction is exact by Sterbenz's lemma).
#}
{% macro one_decimal_text(value) -%}
    {{- return(adapter.dispatch('one_decimal_text', 'account_health')(value)) -}}
{%- endmacro %}

{% macro default__one_decimal_text(value) -%}
    printf('%.1f', {{ value }})
{%- endmacro %}

{% macro spark__one_decimal_text(value) -%}
    {%- set number = 'cast(' ~ value ~ ' as double)' -%}
    {%- set magnitude = 'abs(' ~ number ~ ')' -%}
    {%- set tenths_down = 'floor(' ~ magnitude ~ ' * 10)' -%}
    {%- set tie_distance = '((16 * ' ~ magnitude ~ ' - (2 * ' ~ tenths_down ~ ' + 1)) + 4 * '
        ~ magnitude ~ ')' -%}
    {%- set tenths = '(' ~ tenths_down ~ ' + case when ' ~ tie_distance ~ ' > 0 then 1 when '
        ~ tie_distance ~ ' < 0 then 0 else ' ~ tenths_down ~ ' % 2 end)' -%}
    case
        when {{ value }} is not null
            then case when startswith(cast({{ number }} as string), '-') then '-' else '' end
            || cast({{ tenths }} div 10 as string) || '.' || cast({{ tenths }} % 10 as string)
    end
{%- endmacro %}
