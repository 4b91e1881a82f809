{#
    The product-usage measures (deployment, adoption, downtime) in the scorecard's long format: one
    row per account x day x component. raw_value null = not measurable that day (no data behind it);
    a real zero stays zero. Every rule is in DECISIONLOG.md#adoption-components and
    _int_product__models.yml.
#}

{%- set window_days = var('active_window_days') -%}
{%- set trend_days = var('trend_window_days') -%}

-- depends_on: {{ ref('health_components') }}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

seats as (

    select * from {{ ref('int_seats_licensed_to_account_day') }}

),

user_groups as (

    select * from {{ ref('int_user_groups_aggregated_to_account_day') }}

),

account_days as (

    select * from {{ ref('int_usage_aggregated_to_account_day') }}

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

-- per-user usage needs the users table and events that carry a user_id; without either, usage is
-- measured per account: the account is the one "user" (DECISIONLOG "Account-level usage")
usage_level_checked as (

    select coalesce(bool_and(is_provided), false) as is_user_level
    from raw_tables_provided
    where table_name in ('users', 'usage_events.user_id')

),

account_usage_windowed as (

    select
        spine.account_id,
        spine.score_date,
        count(distinct account_days.event_date) as account_active_days,
        sum(account_days.event_count) as account_event_count,
        -- products and features count only in products the account owns on the day, as per user
        count(distinct account_days.product_id) filter (
            where list_contains(seats.owned_product_ids, account_days.product_id)
        ) as account_used_product_count,
        len(list_distinct(flatten(list(account_days.features) filter (
            where list_contains(seats.owned_product_ids, account_days.product_id)
        )))) as account_used_feature_count
    from spine
    cross join usage_level_checked
    inner join seats
        on
            spine.account_id = seats.account_id
            and spine.score_date = seats.score_date
    inner join account_days
        on
            spine.account_id = account_days.account_id
            and spine.score_date >= account_days.event_date
            and spine.score_date - {{ window_days }} < account_days.event_date
    -- only computed when needed: a per-user warehouse never pays for this join
    where not usage_level_checked.is_user_level
    group by spine.account_id, spine.score_date

),

score_and_event_dates_unioned as (

    select distinct
        score_date,
        cast(null as date) as event_date
    from spine

    union all

    select distinct
        event_date as score_date,
        event_date
    from account_days

),

-- the usage feed's freshness: the newest event day in the warehouse on or before each score day
usage_feed_dated as (

    select distinct
        score_date,
        max(event_date) over (
            order by score_date
            range between unbounded preceding and current row
        ) as usage_feed_date
    from score_and_event_dates_unioned

),

-- the first day of usage history in the warehouse: onboarding before it is not observable
usage_history_started as (

    select min(event_date) as usage_history_start_date
    from account_days

),

first_event_aggregated_to_account as (

    select
        account_id,
        min(event_date) as first_event_date
    from account_days
    group by account_id

),

events_aggregated_to_account_day as (

    select
        account_id,
        event_date,
        sum(event_count) as event_count
    from account_days
    group by account_id, event_date

),

events_and_score_days_unioned as (

    select
        account_id,
        event_date as score_date,
        event_count,
        false as is_score_day
    from events_aggregated_to_account_day

    union all

    select
        account_id,
        score_date,
        0 as event_count,
        true as is_score_day
    from spine

),

events_windowed as (

    select
        account_id,
        score_date,
        is_score_day,
        sum(event_count) over (
            partition by account_id
            order by score_date
            range between interval ({{ trend_days - 1 }}) day preceding and current row
        ) as recent_event_count,
        sum(event_count) over (
            partition by account_id
            order by score_date
            range between interval ({{ 2 * trend_days - 1 }}) day preceding
            and interval ({{ trend_days }}) day preceding
        ) as prior_event_count
    from events_and_score_days_unioned

),

events_trended as (

    select
        account_id,
        score_date,
        coalesce(prior_event_count, 0) as prior_event_count,
        coalesce(recent_event_count, 0) as recent_event_count
    from events_windowed
    where is_score_day

),

all_users as (

    select * from user_groups
    where user_group = 'all_users'

),

groups_pivoted as (

    select
        account_id,
        score_date,
        max(case when user_group = 'by_choice' then active_users end) as by_choice_active_users,
        max(case when user_group = 'by_choice' then provisioned_users end)
            as by_choice_provisioned_users,
        max(case when user_group = 'mandated' then active_users end) as mandated_active_users,
        max(case when user_group = 'mandated' then provisioned_users end)
            as mandated_provisioned_users,
        max(case when user_group = 'new' then active_users end) as new_active_users,
        max(case when user_group = 'new' then provisioned_users end)
            as new_provisioned_users,
        max(case when user_group = 'established' then active_users end) as established_active_users,
        max(case when user_group = 'established' then provisioned_users end)
            as established_provisioned_users
    from user_groups
    where user_group <> 'all_users'
    group by account_id, score_date

),

measures_joined as (

    select
        spine.account_id,
        spine.score_date,
        usage_feed_dated.usage_feed_date,
        seats.licensed_seats,
        seats.owned_product_count,
        seats.available_feature_count,
        seats.first_subscription_start_date,
        first_event.first_event_date,
        usage_history_started.usage_history_start_date,
        all_users.provisioned_users,
        all_users.activated_users,
        all_users.active_users,
        all_users.active_user_days,
        all_users.events_count,
        all_users.used_product_count,
        all_users.used_feature_count,
        groups_pivoted.by_choice_active_users,
        groups_pivoted.by_choice_provisioned_users,
        groups_pivoted.mandated_active_users,
        groups_pivoted.mandated_provisioned_users,
        groups_pivoted.new_active_users,
        groups_pivoted.new_provisioned_users,
        groups_pivoted.established_active_users,
        groups_pivoted.established_provisioned_users,
        events_trended.recent_event_count,
        events_trended.prior_event_count,
        usage_level_checked.is_user_level,
        coalesce(account_usage.account_active_days, 0) as account_active_days,
        coalesce(account_usage.account_event_count, 0) as account_event_count,
        coalesce(account_usage.account_used_product_count, 0) as account_used_product_count,
        coalesce(account_usage.account_used_feature_count, 0) as account_used_feature_count,
        -- 0 when the account has none; null (missing) only when the table was not provided,
        -- which int_health_measures_sourced applies
        coalesce(integrations_counted.active_integrations, 0) as active_integrations,
        coalesce(downtime_aggregated.downtime_minutes, 0) as downtime_minutes_90d
    from spine
    cross join usage_history_started
    cross join usage_level_checked
    left join usage_feed_dated
        on spine.score_date = usage_feed_dated.score_date
    left join seats
        on
            spine.account_id = seats.account_id
            and spine.score_date = seats.score_date
    left join first_event_aggregated_to_account as first_event
        on spine.account_id = first_event.account_id
    left join all_users
        on
            spine.account_id = all_users.account_id
            and spine.score_date = all_users.score_date
    left join groups_pivoted
        on
            spine.account_id = groups_pivoted.account_id
            and spine.score_date = groups_pivoted.score_date
    left join events_trended
        on
            spine.account_id = events_trended.account_id
            and spine.score_date = events_trended.score_date
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

),

measures_computed as (

    select
        account_id,
        score_date,
        usage_feed_date,
        -- deployment
        -- over-provisioned accounts (more users than seats) are fully deployed: capped at 1
        -- (least() skips nulls: no provisioned-user count is null, not 1)
        case
            when licensed_seats > 0 and provisioned_users is not null
                then least({{ safe_divide('provisioned_users', 'licensed_seats') }}, 1.0)
        end as seat_provisioning_rate,
        case
            when usage_feed_date is not null
                then {{ safe_divide('activated_users', 'provisioned_users') }}
        end as activated_user_rate,
        -- not measurable when the account started before the usage history in the warehouse
        case
            when
                first_subscription_start_date is null
                or usage_history_start_date is null
                or first_subscription_start_date < usage_history_start_date
                then null
            when first_event_date <= score_date
                then greatest(first_event_date - first_subscription_start_date, 0)
            else score_date - first_subscription_start_date
        end as days_to_first_value,
        active_integrations,
        case
            when usage_feed_date is not null and is_user_level
                then {{ safe_divide('used_product_count', 'owned_product_count') }}
            when usage_feed_date is not null
                then {{ safe_divide('account_used_product_count', 'owned_product_count') }}
        end as bundle_adoption_rate,
        -- adoption
        case
            when usage_feed_date is not null
                then {{ safe_divide('active_users', 'provisioned_users') }}
        end as active_user_rate_30d,
        {%- for group in ['by_choice', 'mandated', 'new', 'established'] %}
            {%- set component = group ~ ('_user' if group == 'new' else '') ~ '_active_rate_30d' %}
            case
                when usage_feed_date is not null
                    then {{ safe_divide(group ~ '_active_users', group ~ '_provisioned_users') }}
            end as {{ component }},
        {%- endfor %}
        case
            when usage_feed_date is not null and is_user_level
                then {{ safe_divide('events_count', 'active_users') }}
            -- the account is the one user: its events, when it was active at all
            when usage_feed_date is not null and account_active_days > 0
                then account_event_count
        end as usage_depth_30d,
        case
            when usage_feed_date is not null and is_user_level and provisioned_users > 0
                then {{ safe_divide('used_feature_count', 'available_feature_count') }}
            when usage_feed_date is not null and not is_user_level
                then {{ safe_divide('account_used_feature_count', 'available_feature_count') }}
        end as feature_breadth_rate_30d,
        case
            when usage_feed_date is not null and is_user_level
                then {{ safe_divide('active_user_days', 'active_users') }} / {{ window_days }}
            when usage_feed_date is not null
                then account_active_days / {{ window_days }}
        end as stickiness_rate,
        case
            when usage_feed_date is not null
                then {{ safe_divide('recent_event_count', 'prior_event_count') }} - 1
        end as usage_trend_rate,
        -- experience
        downtime_minutes_90d
    from measures_joined

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
        cast(account_id as varchar) as account_id,
        cast(score_date as date) as score_date,
        cast(component_id as varchar) as component_id,
        raw_value,
        cast(measured_on as date) as measured_on
    from measures_unpivoted

)

select * from final
