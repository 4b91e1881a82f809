{#
    On an incremental run, the account days a model still has to build: those after the last day it
    already holds for the account (a new account has none, so all its days pass). On a full build,
    every day. Used as the `where` of a model's `days` CTE over the spine, or over any account x day
    relation it reads (`spine` names its alias), so appending one day reads one day.
    (int_health_components_scored reads spine_accounts_built_through below: see the note there.)
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

{#
    The same "new days only" rule as one row per account of `spine`: its segment and the last day
    the model already holds for it (`built_through`, null on a full build or for a new account).
    For a model that needs the account's boundary itself, not only a `where` (the scoring engine
    joins it again after reading its measures).
#}
{% macro spine_accounts_built_through(spine='spine') -%}
    select
        {{ spine }}.account_id,
        {{ any_non_null(spine ~ '.segment') }} as segment,
        {% if is_incremental() -%}
            {{ any_non_null('built.built_through') }} as built_through
        {%- else -%}
            cast(null as date) as built_through
        {%- endif %}
    from {{ spine }}
    {% if is_incremental() -%}
        left join (
            select
                account_id,
                max(score_date) as built_through
            from {{ this }}
            group by account_id
        ) as built
            on {{ spine }}.account_id = built.account_id
    {% endif -%}
    group by {{ spine }}.account_id
{%- endmacro %}

{#
    The "new days only" rule of an incremental model keyed by event day (the usage aggregates): on
    an incremental run, `moment` is on or after the newest event_date the model holds less
    var('usage_late_arriving_days'), so events that arrive a few days late are still counted; on a
    full build, every day.
#}
{% macro event_days_not_yet_built(moment) -%}
    {%- if is_incremental() -%}
        {{ moment }} >= (
            select max(this_model.event_date)
            from {{ this }} as this_model
        ) - {{ days_interval(var('usage_late_arriving_days')) }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}
