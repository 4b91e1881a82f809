{#
    The spells of activity each user's active days reach, at three levels: the user, the user x
    product, and the user x product x catalog feature. An active day reaches the score days
    [event_date, event_date + active_window_days); overlapping reaches of one user (product,
    feature) merge into one spell. A spell starts on its first active day, so it never depends on
    later data. int_user_groups_aggregated_to_account_day counts users, products and features from
    these spells.
#}

{%- set window_days = var('active_window_days') -%}

with

user_days as (

    select * from {{ ref('int_usage_events_aggregated_to_user_day') }}

),

product_features as (

    select * from {{ ref('product_features') }}

),

user_features as (

    select
        user_id,
        account_id,
        product_id,
        event_date,
        {{ list_unnested('features') }} as feature
    from user_days

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
    from user_days

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

activity_spells as (

    {{ event_days_merged_to_spells(
        'activity_days_unioned',
        ['reach_level', 'user_id', 'account_id', 'product_id', 'feature'],
        window_days,
    ) }}

),

final as (

    select
        cast(reach_level as string) as reach_level,
        cast(user_id as string) as user_id,
        cast(account_id as string) as account_id,
        cast(product_id as string) as product_id,
        cast(feature as string) as feature,
        cast(spell_from as date) as spell_from,
        cast(spell_to as date) as spell_to
    from activity_spells

)

select * from final
