{#
    Lists (DECISIONLOG.md#engines). DuckDB spells them list(), list_sort, list_distinct,
    list_contains, len, unnest and []; Spark collect_list / collect_set, array_sort,
    array_distinct, array_contains, size, explode and array(). The aggregates here take non-null
    values (collect_list and collect_set skip nulls, list() keeps them), and each returns the same
    list on both engines: sorted, or of a size that does not depend on order.
#}

{#
    aggregate: the group's values, sorted; with `where` (a SQL condition), those of the rows it
    keeps, and null when it keeps none (DuckDB's list() of no rows is null, Spark's collect_list
    empty, so Spark says null itself)
#}
{% macro sorted_list_aggregated(expression, where=none) -%}
    {{- return(adapter.dispatch('sorted_list_aggregated', 'account_health')(expression, where)) -}}
{%- endmacro %}

{% macro default__sorted_list_aggregated(expression, where=none) -%}
    {%- if where is none -%}
        list_sort(list({{ expression }}))
    {%- else -%}
        list({{ expression }} order by {{ expression }}) filter (where {{ where }})
    {%- endif -%}
{%- endmacro %}

{% macro spark__sorted_list_aggregated(expression, where=none) -%}
    {%- if where is none -%}
        array_sort(collect_list({{ expression }}))
    {%- else -%}
        case
            when count(*) filter (where {{ where }}) > 0
                then array_sort(collect_list({{ expression }}) filter (where {{ where }}))
        end
    {%- endif -%}
{%- endmacro %}

{#
    window: the distinct values of the window's rows, sorted; `window` is the window's specification
    (`partition by ...`). A window where a group by would need a list aggregate whose states DuckDB
    cannot spill (int_usage_events_aggregated_to_user_day).
#}
{% macro distinct_sorted_list_windowed(expression, window) -%}
    {{- return(adapter.dispatch('distinct_sorted_list_windowed', 'account_health')(expression, window)) -}}
{%- endmacro %}

{% macro default__distinct_sorted_list_windowed(expression, window) -%}
    list_sort(list_distinct(list({{ expression }}) over ({{ window }})))
{%- endmacro %}

{% macro spark__distinct_sorted_list_windowed(expression, window) -%}
    array_sort(collect_set({{ expression }}) over ({{ window }}))
{%- endmacro %}

{# aggregate of a list column: the distinct elements of the group's lists, sorted #}
{% macro lists_merged_aggregated(list_expression) -%}
    {{- return(adapter.dispatch('lists_merged_aggregated', 'account_health')(list_expression)) -}}
{%- endmacro %}

{% macro default__lists_merged_aggregated(list_expression) -%}
    list_sort(list_distinct(flatten(list({{ list_expression }}))))
{%- endmacro %}

{% macro spark__lists_merged_aggregated(list_expression) -%}
    array_sort(array_distinct(flatten(collect_list({{ list_expression }}))))
{%- endmacro %}

{#
    aggregate of a list column: how many distinct elements the group's lists hold, over the rows
    `where` keeps (a SQL condition, or none for all). Null when no row is kept (DuckDB's list() of
    no rows is null; Spark's collect_list is empty, so Spark says null itself). A bigint on both
    (Spark's size is an int).
#}
{% macro lists_merged_counted(list_expression, where=none) -%}
    {{- return(adapter.dispatch('lists_merged_counted', 'account_health')(list_expression, where)) -}}
{%- endmacro %}

{% macro default__lists_merged_counted(list_expression, where=none) -%}
    len(list_distinct(flatten(list({{ list_expression }})
    {%- if where is not none %} filter (where {{ where }}){% endif %})))
{%- endmacro %}

{% macro spark__lists_merged_counted(list_expression, where=none) -%}
    {%- set kept = ' filter (where ' ~ where ~ ')' if where is not none else '' -%}
    case
        when count(*){{ kept }} > 0
            then cast(size(array_distinct(flatten(
                collect_list({{ list_expression }}){{ kept }}
            ))) as bigint)
    end
{%- endmacro %}

{# whether the list holds the element #}
{% macro list_has(list_expression, element) -%}
    {{- return(adapter.dispatch('list_has', 'account_health')(list_expression, element)) -}}
{%- endmacro %}

{% macro default__list_has(list_expression, element) -%}
    list_contains({{ list_expression }}, {{ element }})
{%- endmacro %}

{% macro spark__list_has(list_expression, element) -%}
    array_contains({{ list_expression }}, {{ element }})
{%- endmacro %}

{# an empty list (its element type taken from the other branch of a coalesce or case) #}
{% macro empty_list() -%}
    {{- return(adapter.dispatch('empty_list', 'account_health')()) -}}
{%- endmacro %}

{% macro default__empty_list() -%}
    []
{%- endmacro %}

{% macro spark__empty_list() -%}
    array()
{%- endmacro %}

{# a select-list expression: one row per element of the list (none for an empty or null list) #}
{% macro list_unnested(list_expression) -%}
    {{- return(adapter.dispatch('list_unnested', 'account_health')(list_expression)) -}}
{%- endmacro %}

{% macro default__list_unnested(list_expression) -%}
    unnest({{ list_expression }})
{%- endmacro %}

{% macro spark__list_unnested(list_expression) -%}
    explode({{ list_expression }})
{%- endmacro %}
