{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date', 'user_group'],
        on_schema_change='fail',
    )
}}

{#
    Point-in-time user-group counts for every account x day x user group.

    Distinct users (and distinct features) in a rolling window, counted with a group membership that
    depends on the score day, cannot be written as one range-frame aggregate. So each fact becomes
    a range of score days it counts on, and a running sum of +1 at the range's start and -1 at its
    end gives, on every day, the number of ranges covering it (a sweep line):
    - an active day reaches the score days [event_date, event_date + active_window_days);
      overlapping reaches of one user (or one user's product, or catalog feature) merge into spells
      of activity;
    - a spell counts for a group only while the user is in the group (int_users_classified);
    - a product or feature counts only while the account owns the product
      (int_product_ownerships_merged), and
      once per account even when several users used it (ranges merged over users).
    Every range starts on or after the data behind it, so a day's value never depends on later data.
    Inputs are the small daily aggregates, never the raw events.

    Incremental by account day (spine_accounts_built_through, read once): a daily run counts only the
    days after the last one the model holds for the account, and reads only the activity that reaches them
    (active days within the window before the first new day). A spell that began earlier is then
    seen from that point on: the days it covers from there are the same, so are the counts.
#}

{%- set window_days = var('active_window_days') -%}
{%- set counters = [
    'provisioned_users', 'activated_users', 'active_users', 'active_user_days',
    'events_count', 'used_product_count', 'used_feature_count',
] -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

users_classified as (

    select * from {{ ref('int_users_classified') }}

),

user_days as (

    select * from {{ ref('int_usage_events_aggregated_to_user_day') }}

),

product_features as (

    select * from {{ ref('product_features') }}

),

ownerships as (

    select * from {{ ref('int_product_ownerships_merged') }}

),

-- per account, the last day already built (null on a full build and for a new account)
accounts_built_through as (

    {{ spine_accounts_built_through() }}

),

-- the active days whose reach [event_date, event_date + window) ends after that day
user_days_reaching_new_days as (

    select user_days.*
    from user_days
    inner join accounts_built_through
        on user_days.account_id = accounts_built_through.account_id
    where
        accounts_built_through.built_through is null
        or user_days.event_date + {{ window_days }} > accounts_built_through.built_through + 1

),

user_features as (

    select
        user_id,
        account_id,
        product_id,
        event_date,
        {{ list_unnested('features') }} as feature
    from user_days_reaching_new_days

),

-- active days at three levels: user, user x product, user x product x catalog feature
activity_days_unioned as (

    select distinct
        'user' as reach_level,
        user_id,
        account_id,
        '' as product_id,
        '' as feature,
        event_date
    from user_days_reaching_new_days

    union all

    select
        'product' as reach_level,
        user_id,
        account_id,
        product_id,
        '' as feature,
        event_date
    from user_days_reaching_new_days

    union all

    select
        'feature' as reach_level,
        user_features.user_id,
        user_features.account_id,
        user_features.product_id,
        user_features.feature,
        user_features.event_date
    from user_features
    inner join product_features
        on
            user_features.product_id = product_features.product_id
            and user_features.feature = product_features.feature

),

-- spells: one user's (product's, feature's) overlapping reaches merged
activity_spells as (

    {{ event_days_merged_to_spells(
        'activity_days_unioned',
        ['reach_level', 'user_id', 'account_id', 'product_id', 'feature'],
        window_days,
    ) }}

),

user_groups as (

    select
        {{ columns_unpivoted(
            [["'all_users'"], ["'new'"], ["'established'"], ["'by_choice'"], ["'mandated'"]],
            ['user_group'],
        ) }}

),

-- the memberships in force after the last day built
memberships as (

    select
        users_classified.user_id,
        users_classified.account_id,
        users_classified.user_group,
        users_classified.first_active_date,
        users_classified.valid_from,
        coalesce(users_classified.valid_to, {{ date_infinity() }}) as valid_to
    from users_classified
    inner join accounts_built_through
        on users_classified.account_id = accounts_built_through.account_id
    where
        accounts_built_through.built_through is null
        or users_classified.valid_to is null
        or users_classified.valid_to > accounts_built_through.built_through + 1

),

user_days_aggregated as (

    select
        user_id,
        account_id,
        event_date,
        sum(event_count) as event_count
    from user_days_reaching_new_days
    group by user_id, account_id, event_date

),

spells_joined_to_groups as (

    select
        activity_spells.reach_level,
        activity_spells.account_id,
        memberships.user_group,
        activity_spells.user_id,
        activity_spells.product_id,
        activity_spells.feature,
        greatest(activity_spells.spell_from, memberships.valid_from) as range_from,
        least(activity_spells.spell_to, memberships.valid_to) as range_to
    from activity_spells
    inner join memberships
        on
            activity_spells.user_id = memberships.user_id
            and activity_spells.spell_from < memberships.valid_to
            and activity_spells.spell_to > memberships.valid_from

),

-- products and features count only while owned
product_ranges_owned as (

    select
        spells.reach_level,
        spells.account_id,
        spells.user_group,
        spells.product_id,
        spells.feature,
        greatest(spells.range_from, ownerships.owned_from) as range_from,
        least(spells.range_to, ownerships.owned_to) as range_to
    from spells_joined_to_groups as spells
    inner join ownerships
        on
            spells.account_id = ownerships.account_id
            and spells.product_id = ownerships.product_id
            and spells.range_from < ownerships.owned_to
            and spells.range_to > ownerships.owned_from
    where spells.reach_level in ('product', 'feature')

),

-- once per account: the users' ranges of one product or feature merged
product_ranges_merged as (

    {{ merge_overlapping_ranges(
        'product_ranges_owned',
        ['reach_level', 'account_id', 'user_group', 'product_id', 'feature'],
    ) }}

),

-- each active day's events and the user-day itself count on the days it reaches, while in group
activity_days_weighted as (

    select
        memberships.account_id,
        memberships.user_group,
        user_days_aggregated.event_count,
        greatest(user_days_aggregated.event_date, memberships.valid_from) as range_from,
        least(user_days_aggregated.event_date + {{ window_days }}, memberships.valid_to)
            as range_to
    from user_days_aggregated
    inner join memberships
        on
            user_days_aggregated.user_id = memberships.user_id
            and user_days_aggregated.event_date < memberships.valid_to
            and user_days_aggregated.event_date + {{ window_days }} > memberships.valid_from

),

ranges_unioned as (

    select
        account_id,
        user_group,
        valid_from as range_from,
        valid_to as range_to,
        {{- counts_padded(counters, {'provisioned_users': '1'}) }}
    from memberships

    union all

    select
        account_id,
        user_group,
        greatest(valid_from, first_active_date) as range_from,
        valid_to as range_to,
        {{- counts_padded(counters, {'activated_users': '1'}) }}
    from memberships
    where first_active_date < valid_to

    union all

    select
        account_id,
        user_group,
        range_from,
        range_to,
        {{- counts_padded(counters, {'active_users': '1'}) }}
    from spells_joined_to_groups
    where reach_level = 'user'

    union all

    select
        account_id,
        user_group,
        range_from,
        range_to,
        {{- counts_padded(counters, {'active_user_days': '1', 'events_count': 'event_count'}) }}
    from activity_days_weighted

    union all

    select
        account_id,
        user_group,
        range_from,
        range_to,
        {{- counts_padded(counters, {
            'used_product_count': "case when reach_level = 'product' then 1 else 0 end",
            'used_feature_count': "case when reach_level = 'feature' then 1 else 0 end",
        }) }}
    from product_ranges_merged

),

score_days as (

    select
        spine.account_id,
        user_groups.user_group,
        spine.score_date
    from spine
    inner join accounts_built_through
        on spine.account_id = accounts_built_through.account_id
    cross join user_groups
    where
        accounts_built_through.built_through is null
        or spine.score_date > accounts_built_through.built_through

),

-- on each score day, the sum of the ranges covering it (a sweep line)
counts_on_score_days as (

    {{ ranges_counted_on_days(
        'ranges_unioned', 'score_days', ['account_id', 'user_group'], counters,
    ) }}

),

final as (

    select
        account_id,
        user_group,
        score_date,
        provisioned_users,
        activated_users,
        active_users,
        active_user_days,
        events_count,
        used_product_count,
        used_feature_count
    from counts_on_score_days

)

select * from final
