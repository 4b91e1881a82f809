{#
    A one-row select of is_user_level: usage is measured per user only when the users table and
    events that carry a user_id were both provided (int_raw_tables_provided, the relation named
    `raw_tables_provided`); without either, usage is measured per account, the account being the
    one "user" (DECISIONLOG "Account-level usage").
#}
{% macro usage_is_user_level(raw_tables_provided='raw_tables_provided') -%}
    select coalesce(bool_and(is_provided), false) as is_user_level
    from {{ raw_tables_provided }}
    where table_name in ('users', 'usage_events.user_id')
{%- endmacro %}
