{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date', 'component_id'],
        on_schema_change='fail',
    )
}}

{#
    The product-usage measures (deployment, adoption, downtime) in the scorecard's long format: one
    row per account x day x component. raw_value null = not measurable that day (no data behind it);
    a real zero stays zero. Every rule is in DECISIONLOG.md#adoption-components and
    _int_product__models.yml. Incremental by account day: a daily run measures the days after the
    last one the model holds per account (its inputs hold every day; the windows are theirs).
#}

{%- set window_days = var('active_window_days') -%}

-- depends_on: {{ ref('health_components') }}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

seats as (

    select * from {{ ref('int_seats_licensed_to_account_day') }}

),

user_group_rates as (

    select * from {{ ref('int_user_group_rates_computed_to_account_day') }}

),

usage_feed_dated as (

    select * from {{ ref('int_usage_feed_dated_to_account_day') }}

),

usage_trended as (

    select * from {{ ref('int_usage_trended_to_account_day') }}

),

account_usage_windowed as (

    select * from {{ ref('int_account_usage_windowed_to_account_day') }}

),

integrations_counted_to_account_day as (

    select * from {{ ref('int_integrations_counted_to_account_day') }}

),

downtime_aggregated_to_account_day as (

    select * from {{ ref('int_downtime_aggregated_to_account_day') }}

),

raw_tables_provided as (

    select * from {{ ref('int_raw_tables_provided') }}

),

-- per user, or per account when the raw tables cannot say who (macro usage_is_user_level)
usage_level_checked as (

    {{ usage_is_user_level() }}

),

all_users as (

    select * from user_group_rates
    where user_group = 'all_users' and {{ spine_days_not_yet_built('user_group_rates') }}

),

group_rates_pivoted as (

    select
        account_id,
        score_date,
        max(case when user_group = 'by_choice' then active_user_rate end)
            as by_choice_active_user_rate,
        max(case when user_group = 'mandated' then active_user_rate end)
            as mandated_active_user_rate,
        max(case when user_group = 'new' then active_user_rate end) as new_active_user_rate,
        max(case when user_group = 'established' then active_user_rate end)
            as established_active_user_rate
    from user_group_rates
    where user_group <> 'all_users' and {{ spine_days_not_yet_built('user_group_rates') }}
    group by account_id, score_date

),

measures_computed as (

    select
        spine.account_id,
        spine.score_date,
        usage_feed.usage_feed_date,
        -- deployment
        -- over-provisioned accounts (more users than seats) are fully deployed: capped at 1
        -- (least() skips nulls: no provisioned-user count is null, not 1)
        case
            when seats.licensed_seats > 0 and all_users.provisioned_users is not null
                then least(
                    {{ safe_divide('all_users.provisioned_users', 'seats.licensed_seats') }}, 1.0
                )
        end as seat_provisioning_rate,
        case
            when usage_feed.usage_feed_date is not null
                then {{ safe_divide('all_users.activated_users', 'all_users.provisioned_users') }}
        end as activated_user_rate,
        -- not measurable when the account started before the usage history in the warehouse
        case
            when
                seats.first_subscription_start_date is null
                or usage_feed.usage_history_start_date is null
                or seats.first_subscription_start_date < usage_feed.usage_history_start_date
                then null
            when usage_feed.first_event_date <= spine.score_date
                then greatest({{ dbt.datediff(
                    'seats.first_subscription_start_date', 'usage_feed.first_event_date', 'day'
                ) }}, 0)
            else {{ dbt.datediff(
                'seats.first_subscription_start_date', 'spine.score_date', 'day'
            ) }}
        end as days_to_first_value,
        -- 0 when the account has none; null (missing) only when the table was not provided,
        -- which int_health_measures_sourced applies
        coalesce(integrations_counted.active_integrations, 0) as active_integrations,
        case
            when usage_feed.usage_feed_date is not null and usage_level_checked.is_user_level
                then {{ safe_divide('all_users.used_product_count', 'seats.owned_product_count') }}
            when usage_feed.usage_feed_date is not null
                then {{ safe_divide(
                    'coalesce(account_usage.account_used_product_count, 0)',
                    'seats.owned_product_count',
                ) }}
        end as bundle_adoption_rate,
        -- adoption: per user, or per account when the account is the one user
        case
            when usage_feed.usage_feed_date is not null then all_users.active_user_rate
        end as active_user_rate_30d,
        {%- for group in ['by_choice', 'mandated', 'new', 'established'] %}
            {%- set component = group ~ ('_user' if group == 'new' else '') ~ '_active_rate_30d' %}
            case
                when usage_feed.usage_feed_date is not null
                    then group_rates_pivoted.{{ group }}_active_user_rate
            end as {{ component }},
        {%- endfor %}
        case
            when usage_feed.usage_feed_date is not null and usage_level_checked.is_user_level
                then all_users.usage_depth
            when usage_feed.usage_feed_date is not null and account_usage.account_active_days > 0
                then account_usage.account_event_count
        end as usage_depth_30d,
        case
            when usage_feed.usage_feed_date is not null and usage_level_checked.is_user_level
                then all_users.feature_breadth_rate
            when usage_feed.usage_feed_date is not null
                then {{ safe_divide(
                    'coalesce(account_usage.account_used_feature_count, 0)',
                    'seats.available_feature_count',
                ) }}
        end as feature_breadth_rate_30d,
        case
            when usage_feed.usage_feed_date is not null and usage_level_checked.is_user_level
                then all_users.stickiness_rate
            when usage_feed.usage_feed_date is not null
                then coalesce(account_usage.account_active_days, 0) / {{ window_days }}
        end as stickiness_rate,
        case
            when usage_feed.usage_feed_date is not null
                then {{ safe_divide(
                    'usage_trended.recent_event_count', 'usage_trended.prior_event_count'
                ) }} - 1
        end as usage_trend_rate,
        -- experience
        coalesce(downtime_aggregated.downtime_minutes, 0) as downtime_minutes_90d
    from spine
    cross join usage_level_checked
    left join usage_feed_dated as usage_feed
        on
            spine.account_id = usage_feed.account_id
            and spine.score_date = usage_feed.score_date
    left join seats
        on
            spine.account_id = seats.account_id
            and spine.score_date = seats.score_date
    left join all_users
        on
            spine.account_id = all_users.account_id
            and spine.score_date = all_users.score_date
    left join group_rates_pivoted
        on
            spine.account_id = group_rates_pivoted.account_id
            and spine.score_date = group_rates_pivoted.score_date
    left join usage_trended
        on
            spine.account_id = usage_trended.account_id
            and spine.score_date = usage_trended.score_date
    left join integrations_counted_to_account_day as integrations_counted
        on
            spine.account_id = integrations_counted.account_id
            and spine.score_date = integrations_counted.score_date
    left join downtime_aggregated_to_account_day as downtime_aggregated
        on
            spine.account_id = downtime_aggregated.account_id
            and spine.score_date = downtime_aggregated.score_date
    left join account_usage_windowed as account_usage
        on
            spine.account_id = account_usage.account_id
            and spine.score_date = account_usage.score_date
    where {{ spine_days_not_yet_built() }}

),

{# usage measures date from the newest event; state on the day (seats, onboarding, integrations,
   incidents) from the score day itself #}
measures_unpivoted as (

    {{ unpivot_measures(
        'measures_computed',
        health_component_ids('int_product_measures_unioned'),
        measured_on='usage_feed_date',
        measured_on_overrides={
            'seat_provisioning_rate': 'score_date',
            'days_to_first_value': 'score_date',
            'active_integrations': 'score_date',
            'downtime_minutes_90d': 'score_date',
        },
    ) }}

),

final as (

    select
        cast(account_id as string) as account_id,
        cast(score_date as date) as score_date,
        cast(component_id as string) as component_id,
        raw_value,
        cast(measured_on as date) as measured_on
    from measures_unpivoted

)

select * from final
