{#
    Which registry members a group holds, in a fixed-size aggregate (DECISIONLOG.md#engines,
    #medium-does-not-build): int_health_scores_aggregated_to_account_day lists the components used,
    missing and stale per account-day in the registry's order. Three steps:
    - registry_member(position): a member's token from its place in the registry (1, 2, ...);
    - registry_members_aggregated(member): aggregate, the set of the group's tokens (the caller may
      follow it with `filter (where ...)`);
    - registry_members_listed(members, registry_ids): the registry's ids (a list in registry order)
      the set holds, joined with ', '; null when it holds none.
    DuckDB: a token is one bit of a uhugeint (128 members at most,
    tests/scorecard/assert_at_most_128_health_components.sql) and the set their bit_or, which DuckDB
    can spill to disk. Spark has no 128-bit integer: a token is the position itself and the set its
    collect_set (at most one entry per member), read back by position. Same lists, same order, null
    when empty on both (DuckDB's bit_or of no row is null, Spark's collect_set is empty).
#}
{% macro registry_member(position) -%}
    {{- return(adapter.dispatch('registry_member', 'account_health')(position)) -}}
{%- endmacro %}

{% macro default__registry_member(position) -%}
    cast(1 as uhugeint) << cast({{ position }} - 1 as uhugeint)
{%- endmacro %}

{% macro spark__registry_member(position) -%}
    cast({{ position }} as integer)
{%- endmacro %}

{% macro registry_members_aggregated(member) -%}
    {{- return(adapter.dispatch('registry_members_aggregated', 'account_health')(member)) -}}
{%- endmacro %}

{% macro default__registry_members_aggregated(member) -%}
    bit_or({{ member }})
{%- endmacro %}

{% macro spark__registry_members_aggregated(member) -%}
    collect_set({{ member }})
{%- endmacro %}

{% macro registry_members_listed(members, registry_ids) -%}
    {{- return(adapter.dispatch('registry_members_listed', 'account_health')(
        members, registry_ids
    )) -}}
{%- endmacro %}

{% macro default__registry_members_listed(members, registry_ids) -%}
    case
        when {{ members }} is not null
            then array_to_string(
                list_filter(
                    {{ registry_ids }},
                    (member_id, position) -> (
                        {{ members }} >> cast(position - 1 as uhugeint)
                    ) & 1 = 1
                ),
                ', '
            )
    end
{%- endmacro %}

{% macro spark__registry_members_listed(members, registry_ids) -%}
    case
        when size({{ members }}) > 0
            then array_join(
                filter(
                    {{ registry_ids }},
                    (member_id, position) -> array_contains({{ members }}, position + 1)
                ),
                ', '
            )
    end
{%- endmacro %}
