{#
    The account x day spine every health model hangs off: one row per account per day on which the
    account is a customer. A table rebuilt on every run: it is small (customers x days) and cheap, and
    rebuilding it lets a new account or a corrected customer_since appear without a full refresh of
    anything downstream. Downstream incremental models compute only the spine days after the newest
    day they already hold.

    A day is a customer day when a paid subscription line (mrr > 0) is in force on it
    (start_date <= day < end_date)
    or the day is within customer_grace_days (seed scorecard_parameters) after the last paid day
    (day < end_date + grace). Point-in-time: on day D an open line (end_date null) is in force, and an
    end_date before D was known on D, so the spine of past days never changes as data arrives. An
    ex-customer keeps the days it was one and gets no new ones; a reactivated account resumes. With no
    subscription data at all (a company that does not send licensing), every day from the start counts.

    Starts on the later of customer_since and the first usage-event date in the warehouse (before
    that there is no product data to score, so a score would be built from nothing), ends on
    as_of_date(). With no usage data at all the spine starts at customer_since.
#}

with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

usage_events as (

    select * from {{ ref('stg_product__usage_events') }}

),

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

scorecard_parameters as (

    select * from {{ ref('scorecard_parameters') }}

),

first_usage as (

    select cast(min(usage_events.occurred_at) as date) as first_usage_date
    from usage_events
    where usage_events.occurred_at < {{ as_of_date() }} + interval 1 day

),

grace as (

    select scorecard_parameters.customer_grace_days as grace_days
    from scorecard_parameters

),

accounts_started as (

    select
        accounts.account_id,
        accounts.segment,
        greatest(
            accounts.customer_since,
            coalesce(first_usage.first_usage_date, accounts.customer_since)
        ) as spine_start_date
    from accounts
    cross join first_usage
    where not accounts.is_test

),

-- the days each account was paying or in grace, one interval per subscription line, clipped to
-- the spine's start and the as-of date (lines may overlap; the days are made distinct below)
customer_intervals as (

    select
        accounts_started.account_id,
        accounts_started.segment,
        greatest(accounts_started.spine_start_date, subscriptions.start_date) as interval_start,
        least(
            coalesce(subscriptions.end_date + grace.grace_days, {{ as_of_date() }} + 1),
            {{ as_of_date() }} + 1
        ) as interval_end
    from accounts_started
    inner join subscriptions
        on
            accounts_started.account_id = subscriptions.account_id
            and subscriptions.mrr > 0
    cross join grace

    union all

    -- no licensing data at all: every day from the spine start is a customer day
    select
        accounts_started.account_id,
        accounts_started.segment,
        accounts_started.spine_start_date as interval_start,
        {{ as_of_date() }} + 1 as interval_end
    from accounts_started
    where not exists (select 1 from subscriptions)

),

days_spined as (

    select distinct
        account_id,
        segment,
        {{ days_in_range(
            'cast(interval_start as timestamp)', 'cast(interval_end as timestamp)'
        ) }} as score_date
    from customer_intervals
    where interval_start < interval_end

),

final as (

    select * from days_spined

)

select * from final
