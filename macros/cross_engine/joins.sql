{#
    The as-of join (DECISIONLOG.md#engines): each left row with the latest right row at or before
    it, e.g. the newest review on or before each day. DuckDB has `asof inner join` / `asof left
    join`; Spark has none, so it joins every earlier right row and keeps the latest with a
    `qualify` (a range join: the days times the right rows of the key, dearer than DuckDB's).
    Used as a pair:
        from days
        {{ asof_join('inner') }} reviews
            on days.account_id = reviews.account_id and days.score_date >= reviews.review_date
        {{ asof_latest_only(['days.account_id', 'days.score_date'], 'reviews.review_date') }}
    asof_latest_only names the left row (partition_by) and the right row's order (the inequality's
    right side); it renders nothing on DuckDB.
#}
{% macro asof_join(kind='inner') -%}
    {{- return(adapter.dispatch('asof_join', 'account_health')(kind)) -}}
{%- endmacro %}

{% macro default__asof_join(kind='inner') -%}
    asof {{ kind }} join
{%- endmacro %}

{% macro spark__asof_join(kind='inner') -%}
    {{ kind }} join
{%- endmacro %}

{% macro asof_latest_only(partition_by, order_by) -%}
    {{- return(adapter.dispatch('asof_latest_only', 'account_health')(partition_by, order_by)) -}}
{%- endmacro %}

{% macro default__asof_latest_only(partition_by, order_by) -%}
{%- endmacro %}

{% macro spark__asof_latest_only(partition_by, order_by) -%}
    qualify row_number() over (
        partition by {{ partition_by | join(', ') }}
        order by {{ order_by }} desc
    ) = 1
{%- endmacro %}
