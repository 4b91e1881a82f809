{#
    A user's groups change over time, so they are stored as validity ranges rather than one row per
    user per day. Each range [valid_from, valid_to) is in score days; valid_to null = open.
    - all_users and by_choice / mandated: from the provisioning day up to the deactivation day.
    - new / established: a user is new for var('new_user_days') days from the first day they were
      active; until that first day, for var('new_user_days') days from provisioning (a user who was
      provisioned long ago but never used the product is established, not new).
    A range only depends on data up to each of its days, so it is point-in-time.
#}

with

users as (

    select * from {{ ref('stg_product__users') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

user_days as (

    select * from {{ ref('int_usage_events_aggregated_to_user_day') }}

),

first_activity_aggregated_to_user as (

    select
        user_id,
        min(event_date) as first_active_date
    from user_days
    group by user_id

),

users_dated as (

    select
        users.user_id,
        users.account_id,
        users.provisioning,
        first_activity_aggregated_to_user.first_active_date,
        cast(users.provisioned_at as date) as provisioned_date,
        cast(users.deactivated_at as date) as deactivated_date,
        greatest(
            first_activity_aggregated_to_user.first_active_date,
            cast(users.provisioned_at as date)
        ) as onboarding_start_date
    from users
    inner join accounts
        on users.account_id = accounts.account_id
    left join first_activity_aggregated_to_user
        on users.user_id = first_activity_aggregated_to_user.user_id
    where
        not accounts.is_test
        and users.provisioned_at
        < {{ as_of_date() }} + interval 1 day

),

ranges_unioned as (

    select
        user_id,
        'all_users' as user_group,
        provisioned_date as valid_from,
        cast(null as date) as valid_to
    from users_dated

    union all

    select
        user_id,
        case
            when provisioning = 'self_serve' then 'by_choice' else 'mandated'
        end as user_group,
        provisioned_date as valid_from,
        cast(null as date) as valid_to
    from users_dated

    -- before the first activity: new while recently provisioned, then established
    union all

    select
        user_id,
        'new' as user_group,
        provisioned_date as valid_from,
        least(
            provisioned_date + {{ var('new_user_days') }},
            onboarding_start_date
        ) as valid_to
    from users_dated

    union all

    select
        user_id,
        'established' as user_group,
        provisioned_date + {{ var('new_user_days') }} as valid_from,
        onboarding_start_date as valid_to
    from users_dated

    -- from the first activity: new for new_user_days, then established
    union all

    select
        user_id,
        'new' as user_group,
        onboarding_start_date as valid_from,
        onboarding_start_date + {{ var('new_user_days') }} as valid_to
    from users_dated
    where onboarding_start_date is not null

    union all

    select
        user_id,
        'established' as user_group,
        onboarding_start_date + {{ var('new_user_days') }} as valid_from,
        cast(null as date) as valid_to
    from users_dated
    where onboarding_start_date is not null

),

ranges_clipped_to_deactivation as (

    select
        users_dated.user_id,
        users_dated.account_id,
        ranges_unioned.user_group,
        users_dated.provisioning,
        users_dated.provisioned_date,
        users_dated.first_active_date,
        users_dated.deactivated_date,
        ranges_unioned.valid_from,
        -- least() skips nulls in DuckDB: an open range ends at the deactivation day, if any
        least(ranges_unioned.valid_to, users_dated.deactivated_date) as valid_to
    from ranges_unioned
    inner join users_dated
        on ranges_unioned.user_id = users_dated.user_id

),

final as (

    select * from ranges_clipped_to_deactivation
    where valid_to is null or valid_to > valid_from

)

select * from final
