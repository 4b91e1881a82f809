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
