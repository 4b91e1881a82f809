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
