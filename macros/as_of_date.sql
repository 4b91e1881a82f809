{#
    The run's as-of date (YYYY-MM-DD) as a SQL date literal. Models use this instead of current_date so a
    build is reproducible and point-in-time: nothing reads the wall clock.

    It comes from the environment (ACCOUNT_HEALTH_AS_OF, set by `account-health` for each dbt call; a unit
    test sets it with `overrides: env_vars:`), not from a dbt var: dbt re-parses the whole project when a
    `--vars` value changes, but only the files that read an environment variable when that variable
    changes, so a daily run (a new as-of in the same data folder) re-parses ten models instead of all of
    them (DECISIONLOG.md#as-of-env). Unset, it is 2026-10-31, the generator's default.
#}
{% macro as_of_date() -%}
    cast('{{ env_var("ACCOUNT_HEALTH_AS_OF", "2026-10-31") }}' as date)
{%- endmacro %}
