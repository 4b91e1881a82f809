with

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

account_health as (

    select * from {{ ref('int_account_health_current') }}

),

raw_tables_provided as (

    select * from {{ ref('int_raw_tables_provided') }}

),

sources_listed as (

    select {{ sorted_list_aggregated('table_name', where='is_provided') }} as sources_provided
    from raw_tables_provided

),

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

-- customers on the as-of date: paying, or within the grace period after the last paid day
customers_on_as_of as (

    select account_id
    from spine
    where score_date = {{ as_of_date() }}

),

-- health only for today's customers: an ex-customer keeps its history but leaves bands and KPIs
current_health as (

    select * from account_health
    where score_date = {{ as_of_date() }}

),

customer_accounts as (

    select * from accounts
    where not is_test

),

-- License lines in force on the as-of date: started on or before it, and not yet ended
-- (end_date is exclusive). ARR is the annualised MRR of those lines: mrr * 12 months.
subscriptions_aggregated_to_account as (

    select
        account_id,
        sum(mrr * 12) as current_arr_usd,
        count(distinct product_id) as products_owned_count,
        -- the contracted renewal date, known from the start of its term (DECISIONLOG)
        min(term_end_date) as next_renewal_date
    from subscriptions
    where
        start_date <= {{ as_of_date() }}
        and (end_date is null or end_date > {{ as_of_date() }})
    group by account_id

),

accounts_joined as (

    select
        customer_accounts.account_id,
        customer_accounts.parent_account_id,
        customer_accounts.account_name,
        customer_accounts.segment,
        customer_accounts.industry,
        customer_accounts.region,
        customer_accounts.csm_owner,
        customer_accounts.employee_count,
        cast(
            {{ dbt.datediff('customer_accounts.customer_since', as_of_date(), 'day') }}
            as integer
        ) as tenure_days,
        cast(
            coalesce(subscriptions_aggregated_to_account.current_arr_usd, 0)
            as decimal(18, 2)
        ) as current_arr_usd,
        cast(
            coalesce(subscriptions_aggregated_to_account.products_owned_count, 0)
            as integer
        ) as products_owned_count,
        customers_on_as_of.account_id is not null as is_active_customer,
        customer_accounts.customer_since,
        subscriptions_aggregated_to_account.next_renewal_date,
        {{ as_of_date() }} as as_of_date,
        -- health on the as-of date (null when the account is not a customer that day)
        current_health.health_score,
        current_health.health_band,
        current_health.journey_stage,
        sources_listed.sources_provided
    from customer_accounts
    cross join sources_listed
    left join subscriptions_aggregated_to_account
        on customer_accounts.account_id = subscriptions_aggregated_to_account.account_id
    left join customers_on_as_of
        on customer_accounts.account_id = customers_on_as_of.account_id
    left join current_health
        on customer_accounts.account_id = current_health.account_id

),

final as (

    select * from accounts_joined

)

select * from final
