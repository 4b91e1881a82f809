{#
    On an incremental run, the spine days a model still has to build: those after the last day it already
    holds for the account (a new account has none, so all its days pass). On a full build, every day.
    Used as the `where` of a model's `days` CTE, so appending one day reads one day.
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
