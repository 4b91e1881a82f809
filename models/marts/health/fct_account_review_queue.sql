{#
    One row per current customer (dim_accounts.is_active_customer) that needs a CSM now: review due within var health_review_lookahead_days or
    overdue, or a band change with no CS activity since it happened. Ordered by ARR at risk
    (current ARR of accounts in a band health_bands marks is_at_risk; the others are at 0 and sort
    by ARR after them).
#}

{%- set lookahead_days = var('health_review_lookahead_days') -%}

with

health_current as (

    select * from {{ ref('int_account_health_current') }}

),

accounts as (

    select * from {{ ref('dim_accounts') }}

),

activities as (

    select * from {{ ref('stg_cs__activities') }}

),

health_bands as (

    select * from {{ ref('int_health_bands_versioned') }}

),

activity_after_change as (

    select
        health_current.account_id,
        max(cast(activities.occurred_at as date)) as last_activity_date
    from health_current
    inner join activities
        on
            health_current.account_id = activities.account_id
            and cast(activities.occurred_at as date) >= health_current.band_entered_on
            and activities.occurred_at < health_current.score_date + interval 1 day
    group by health_current.account_id

),

queue_flagged as (

    select
        health_current.account_id,
        accounts.account_name,
        accounts.segment,
        accounts.csm_owner,
        health_current.health_band,
        health_current.band_set_by,
        health_current.band_override_rules,
        health_current.band_before_change,
        health_current.recommended_action,
        health_current.action_owner_role,
        health_current.top_change_drivers,
        health_current.health_score,
        health_current.score_delta_30d,
        accounts.current_arr_usd,
        cast(
            case
                when health_bands.is_at_risk then accounts.current_arr_usd else 0
            end
            as decimal(18, 2)
        ) as arr_at_risk_usd,
        health_current.next_review_due_date < health_current.score_date as is_review_overdue,
        health_current.next_review_due_date
        <= health_current.score_date + {{ lookahead_days }} as is_review_due,
        health_current.band_before_change is not null
        and activity_after_change.last_activity_date is null as has_unactioned_band_change,
        health_current.score_date,
        health_current.band_entered_on,
        health_current.action_due_date,
        health_current.last_review_date,
        health_current.next_review_due_date
    from health_current
    inner join accounts
        on
            health_current.account_id = accounts.account_id
            -- customers only: an ex-customer keeps its history but leaves the queue
            and accounts.is_active_customer
    left join activity_after_change
        on health_current.account_id = activity_after_change.account_id
    left join health_bands
        on
            health_current.health_band = health_bands.band
            and {{ in_force_on('health_current.score_date', 'health_bands') }}

),

final as (

    select
        account_id,
        account_name,
        segment,
        csm_owner,
        health_band,
        band_set_by,
        band_override_rules,
        band_before_change,
        recommended_action,
        action_owner_role,
        top_change_drivers,
        cast(
            row_number() over (
                order by arr_at_risk_usd desc, current_arr_usd desc, account_id asc
            ) as integer
        ) as queue_rank,
        health_score,
        score_delta_30d,
        current_arr_usd,
        arr_at_risk_usd,
        is_review_overdue,
        is_review_due,
        has_unactioned_band_change,
        score_date,
        band_entered_on,
        action_due_date,
        last_review_date,
        next_review_due_date
    from queue_flagged
    where is_review_due or has_unactioned_band_change

)

select * from final
