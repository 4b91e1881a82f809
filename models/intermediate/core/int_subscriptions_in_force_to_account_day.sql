{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per spine day with a subscription in force (start_date <= day < end_date):
    the MRR in force and the nearest contracted term end (term_end_date, known from the start of
    the term, never the actual end_date). Incremental: new spine days only.
#}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

days as (

    select
        spine.account_id,
        spine.segment,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

final as (

    select
        days.account_id,
        days.score_date,
        -- decimal(38, 2) on both engines: a decimal sum is 38 wide on DuckDB, p + 10 on Spark
        cast(sum(subscriptions.mrr) as decimal(38, 2)) as mrr,
        -- the contracted renewal date, known from the start of the term (never the actual end_date,
        -- which the data only gets after the day: see DECISIONLOG "days to renewal")
        min(subscriptions.term_end_date) as next_term_end_date
    from days
    inner join subscriptions
        on
            days.account_id = subscriptions.account_id
            and {{ subscription_in_force_on('days.score_date') }}
    group by days.account_id, days.score_date

)

select * from final
