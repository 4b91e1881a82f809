{#
    The account x day spine every health model hangs off. A table rebuilt on every run: it is small
    (accounts x days) and cheap, and rebuilding it lets a new account or a corrected customer_since
    appear without a full refresh of anything downstream. Downstream incremental models compute
    only the spine days after the newest day they already hold.

    Starts on the later of customer_since and the first usage-event date in the warehouse (before
    that there is no product data to score, so a score would be built from nothing), ends on
    var('as_of_date'). With no usage data at all the spine starts at customer_since.
#}

with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

usage_events as (

    select * from {{ ref('stg_product__usage_events') }}

),

first_usage as (

    select cast(min(usage_events.occurred_at) as date) as first_usage_date
    from usage_events
    where usage_events.occurred_at < {{ as_of_date() }} + interval 1 day

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

days_spined as (

    select
        account_id,
        segment,
        cast(
            unnest(
                range(
                    cast(spine_start_date as timestamp),
                    cast({{ as_of_date() }} as timestamp) + interval 1 day,
                    interval 1 day
                )
            ) as date
        ) as score_date
    from accounts_started

),

final as (

    select * from days_spined

)

select * from final
