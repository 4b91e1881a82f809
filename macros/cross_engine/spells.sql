{#
    A select that merges the event days of `relation` (one row per `partition_by` group and
    event_date) into spells of reach: each event day reaches the days
    [event_date, event_date + window_days), and overlapping reaches of a group merge into one spell
    (partition columns, spell_from, spell_to). A day starts a spell when the group's previous event
    day is a window or more earlier, and ends one when the next is a window or more later (lists:
    much cheaper than window functions).
    Engines (DECISIONLOG.md#engines): the same lists on both. DuckDB's lists count from 1 and unnest
    the starts and ends side by side; Spark's count from 0 and take one generator per select, so
    Spark numbers the starts (posexplode) and reads the end of the same number.
#}
{% macro event_days_merged_to_spells(relation, partition_by, window_days) -%}
    {{- return(adapter.dispatch('event_days_merged_to_spells', 'account_health')(
        relation, partition_by, window_days
    )) -}}
{%- endmacro %}

{% macro default__event_days_merged_to_spells(relation, partition_by, window_days) -%}
    {%- set partition = partition_by | join(', ') -%}
    select
        {{ partition }},
        unnest(spell_start_dates) as spell_from,
        unnest(spell_end_dates) + {{ window_days }} as spell_to
    from (
        select
            {{ partition }},
            list_filter(
                event_dates,
                (event_date, day_index) -> day_index = 1
                or event_dates[day_index - 1] <= event_date - {{ window_days }}
            ) as spell_start_dates,
            list_filter(
                event_dates,
                (event_date, day_index) -> day_index = len(event_dates)
                or event_dates[day_index + 1] >= event_date + {{ window_days }}
            ) as spell_end_dates
        from (
            select
                {{ partition }},
                list(event_date order by event_date) as event_dates
            from {{ relation }}
            group by {{ partition }}
        ) as event_days_listed
    ) as spell_boundaries_listed
{%- endmacro %}

{% macro spark__event_days_merged_to_spells(relation, partition_by, window_days) -%}
    {%- set partition = partition_by | join(', ') -%}
    select
        {{ partition }},
        spell_from,
        spell_end_dates[spell_number] + {{ window_days }} as spell_to
    from (
        select
            {{ partition }},
            spell_end_dates,
            posexplode(spell_start_dates) as (spell_number, spell_from)
        from (
            select
                {{ partition }},
                filter(
                    event_dates,
                    (event_date, day_index) -> day_index = 0
                    or event_dates[day_index - 1] <= event_date - {{ window_days }}
                ) as spell_start_dates,
                filter(
                    event_dates,
                    (event_date, day_index) -> day_index = size(event_dates) - 1
                    or event_dates[day_index + 1] >= event_date + {{ window_days }}
                ) as spell_end_dates
            from (
                select
                    {{ partition }},
                    array_sort(collect_list(event_date)) as event_dates
                from {{ relation }}
                group by {{ partition }}
            ) as event_days_listed
        ) as spell_boundaries_listed
    ) as spell_starts_numbered
{%- endmacro %}
