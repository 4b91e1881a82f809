{#
    Point-in-time user-group counts for every account x day x user group.

    Distinct users (and distinct features) in a rolling window, counted with a group membership that
    depends on the score day, cannot be written as one range-frame aggregate. So each fact becomes
    a range of score days it counts on, and a running sum of +1 at the range's start and -1 at its
    end gives, on every day, the number of ranges covering it (a sweep line):
    - an active day reaches the score days [event_date, event_date + active_window_days);
      overlapping reaches of one user (or one user's product, or feature) merge into spells;
    - a spell counts for a group only while the user is in the group (int_users_classified);
    - a product or feature counts only while the account owns the product (subscriptions), and
      once per account even when several users used it (ranges merged over users).
    Every range starts on or after the data behind it, so a day's value never depends on later data.
    Inputs are the small daily aggregates, never the raw events.
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

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

product_features as (

    select * from {{ ref('product_features') }}

),

user_groups as (

    select unnest(['all_users', 'new', 'established', 'by_choice', 'mandated']) as user_group

),

memberships as (

    select
        user_id,
        account_id,
        user_group,
        first_active_date,
        valid_from,
        coalesce(valid_to, cast('infinity' as date)) as valid_to
    from users_classified

),

subscription_ranges as (

    select
        account_id,
        product_id,
        start_date as range_from,
        coalesce(end_date, cast('infinity' as date)) as range_to
    from subscriptions
    where start_date <= {{ as_of_date() }}

),

-- ownership: union of the account's subscription ranges of a product, merged into islands
ownerships as (

    select
        account_id,
        product_id,
        range_from as owned_from,
        range_to as owned_to
    from ({{ merge_overlapping_ranges('subscription_ranges', ['account_id', 'product_id']) }})

),

user_features as (

    select
        user_id,
        account_id,
        product_id,
        event_date,
        unnest(features) as feature
    from user_days

),

user_days_aggregated as (

    select
        user_id,
        account_id,
        event_date,
        sum(event_count) as event_count
    from user_days
    group by user_id, account_id, event_date

),

-- active days at three levels: user, user x product, user x product x catalog feature
activity_days_unioned as (

    select
        'user' as reach_level,
        user_id,
        account_id,
        '' as product_id,
        '' as feature,
        event_date
    from user_days_aggregated

    union all

    select
        'product' as reach_level,
        user_id,
        account_id,
        product_id,
        '' as feature,
        event_date
    from user_days

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

-- a day starts a spell when the day before it with activity is a window or more earlier, and
-- ends one when the next is a window or more later (lists: much cheaper than window functions)
activity_days_listed as (

    select
        reach_level,
        user_id,
        account_id,
        product_id,
        feature,
        list(event_date order by event_date) as event_dates
    from activity_days_unioned
    group by reach_level, user_id, account_id, product_id, feature

),

spell_boundaries_listed as (

    select
        reach_level,
        user_id,
        account_id,
        product_id,
        feature,
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
    from activity_days_listed

),

-- a spell runs from its first active day to its last active day + the window
activity_spells as (

    select
        reach_level,
        user_id,
        account_id,
        product_id,
        feature,
        unnest(spell_start_dates) as spell_from,
        unnest(spell_end_dates) + {{ window_days }} as spell_to
    from spell_boundaries_listed

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

changes_unioned as (

    select
        account_id,
        user_group,
        range_from as change_date,
        {%- for counter in counters %}
            {{ counter }},
        {%- endfor %}
        false as is_score_day
    from ranges_unioned
    where range_from < range_to

    union all

    select
        account_id,
        user_group,
        range_to as change_date,
        {{- counts_padded(counters, negated=true) }},
        false as is_score_day
    from ranges_unioned
    where range_from < range_to and range_to < cast('infinity' as date)

    union all

    select
        spine.account_id,
        user_groups.user_group,
        spine.score_date as change_date,
        {{- counts_padded(counters) }},
        true as is_score_day
    from spine
    cross join user_groups

),

changes_aggregated_to_day as (

    select
        account_id,
        user_group,
        change_date,
        {%- for counter in counters %}
            sum({{ counter }}) as {{ counter }},
        {%- endfor %}
        bool_or(is_score_day) as is_score_day
    from changes_unioned
    group by account_id, user_group, change_date

),

changes_summed as (

    select
        account_id,
        user_group,
        change_date as score_date,
        {%- for counter in counters %}
            cast(sum({{ counter }}) over running_total as bigint) as {{ counter }},
        {%- endfor %}
        is_score_day
    from changes_aggregated_to_day
    window running_total as (
        partition by account_id, user_group
        order by change_date
        rows between unbounded preceding and current row
    )

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
    from changes_summed
    where is_score_day

)

select * from final
