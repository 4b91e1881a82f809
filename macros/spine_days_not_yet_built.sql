{#
    On an incremental run, the account days a model still has to build: those after the last day it
    already holds for the account (a new account has none, so all its days pass). On a full build,
    every day. Used as the `where` of a model's `days` CTE over the spine, or over any account x day
    relation it reads (`spine` names its alias), so appending one day reads one day.
    (int_health_components_scored keeps its own block: see the note there.)
#}
{% macro spine_days_not_yet_built(spine='spine') -%}
    {%- if is_incremental() -%}
        {{ spine }}.score_date > coalesce(
            (
                select max(built.score_date)
                from {{ this }} as built
                where built.account_id = {{ spine }}.account_id
            ),
            {{ spine }}.score_date - interval 1 day
        )
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
