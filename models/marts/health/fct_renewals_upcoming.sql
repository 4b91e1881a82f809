{#
    One row per current customer whose contracted renewal (dim_accounts.next_renewal_date, the
    earliest term end of its lines in force) falls within the longest window of seed renewal_windows
    after the as-of date, with its health and next step, so a CS leader sees the ARR renewing soon by
    band. The window is the shortest one that holds the renewal; a renewal already overdue (the term
    ended before the as-of date and was not renewed yet) is in the shortest window, flagged.
#}

with

accounts as (

    select * from {{ ref('dim_accounts') }}

),

health_current as (

    select * from {{ ref('int_account_health_current') }}

),

renewal_windows as (

    select * from {{ ref('renewal_windows') }}

),

renewals_dated as (

    select
        accounts.account_id,
        accounts.account_name,
        accounts.segment,
        accounts.csm_owner,
        accounts.next_renewal_date,
        accounts.current_arr_usd,
        accounts.as_of_date,
        {{ dbt.datediff('accounts.as_of_date', 'accounts.next_renewal_date', 'day') }}
            as days_to_renewal
    from accounts
    where accounts.is_active_customer and accounts.next_renewal_date is not null

),

renewals_windowed as (

    select
        renewals_dated.*,
        min(renewal_windows.window_days) as window_days
    from renewals_dated
    inner join renewal_windows
        on renewals_dated.days_to_renewal <= renewal_windows.window_days
    group by all

),

final as (

    select
        renewals_windowed.account_id,
        renewals_windowed.account_name,
        renewals_windowed.segment,
        renewals_windowed.csm_owner,
        renewals_windowed.next_renewal_date,
        renewal_windows.window_label,
        renewals_windowed.current_arr_usd,
        health_current.health_band,
        health_current.health_score,
        health_current.band_set_by,
        health_current.band_override_rules,
        health_current.recommended_action,
        health_current.next_review_due_date,
        renewals_windowed.as_of_date,
        cast(renewals_windowed.days_to_renewal as integer) as days_to_renewal,
        cast(renewals_windowed.window_days as integer) as window_days,
        renewals_windowed.days_to_renewal < 0 as is_renewal_overdue
    from renewals_windowed
    inner join renewal_windows
        on renewals_windowed.window_days = renewal_windows.window_days
    left join health_current
        on renewals_windowed.account_id = health_current.account_id

)

select * from final
