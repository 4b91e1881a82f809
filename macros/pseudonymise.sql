{#
    A stable pseudonym for a piece of personal data: sha256 of the trimmed, lower-cased value, so the
    same address typed "Ana@X.com " and "ana@x.com" joins to the same hash. Null stays null.
    Unsalted on purpose: other systems (GX suites, a CRM export) can compute the same key. It is a
    pseudonym, not anonymisation: a known address can be hashed and looked up.
#}
{% macro pseudonymise(column) -%}
    {{ sha256_hex('lower(trim(' ~ column ~ '))') }}
{%- endmacro %}
