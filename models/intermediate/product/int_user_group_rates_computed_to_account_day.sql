{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date', 'user_group'],
        on_schema_change='fail',
    )
}}

{#
    The adoption rates of every user group on every account day, computed once from the user-group
    counts (int_user_groups_aggregated_to_account_day) and the seats licensed on the day: the
    scorecard's adoption components (int_product_measures_unioned) and the month-end snapshot
    (fct_user_group_adoption) both read them from here. Definitions: docs blocks in
    models/marts/adoption/_adoption__docs.md. Incremental by account day, like the counts: a daily
    run computes the days after the last one it holds per account.
#}

{%- set window_days = var('active_window_days') -%}

with

user_groups as (

    select * from {{ ref('int_user_groups_aggregated_to_account_day') }}

),

seats as (

    select * from {{ ref('int_seats_licensed_to_account_day') }}

),

rates_computed as (

    select
        user_groups.account_id,
        user_groups.user_group,
        user_groups.score_date,
        seats.licensed_seats,
        seats.available_feature_count,
        user_groups.provisioned_users,
        user_groups.activated_users,
        user_groups.active_users,
        user_groups.active_user_days,
        user_groups.events_count,
        user_groups.used_product_count,
        user_groups.used_feature_count,
        {{ safe_divide('user_groups.active_users', 'user_groups.provisioned_users') }}
            as active_user_rate,
        {{ safe_divide('user_groups.events_count', 'user_groups.active_users') }} as usage_depth,
        case
            when user_groups.provisioned_users > 0
                then {{ safe_divide(
                    'user_groups.used_feature_count', 'seats.available_feature_count'
                ) }}
        end as feature_breadth_rate,
        {{ safe_divide('user_groups.active_user_days', 'user_groups.active_users') }}
        / {{ window_days }} as stickiness_rate
    from user_groups
    left join seats
        on
            user_groups.account_id = seats.account_id
            and user_groups.score_date = seats.score_date
    where {{ spine_days_not_yet_built('user_groups') }}

),

final as (

    select * from rates_computed

)

select * from final
