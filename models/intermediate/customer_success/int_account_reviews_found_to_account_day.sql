{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per spine day on or after its first review: the last review day so far, a
    CSM assessment or a QBR or check-in activity. Incremental: new spine days only.
#}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

assessments as (

    select * from {{ ref('stg_cs__assessments') }}

),

activities as (

    select * from {{ ref('stg_cs__activities') }}

),

days as (

    select
        spine.account_id,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

review_dates as (

    select distinct
        account_id,
        cast(assessed_at as date) as review_date
    from assessments

    union

    select
        account_id,
        cast(occurred_at as date) as review_date
    from activities
    where activity_type in ('qbr', 'check_in')

),

final as (

    select
        days.account_id,
        days.score_date,
        review_dates.review_date as last_review_date
    from days
    {{ asof_join('inner') }} review_dates
        on
            days.account_id = review_dates.account_id
            and days.score_date >= review_dates.review_date
    {{ asof_latest_only(['days.account_id', 'days.score_date'], 'review_dates.review_date') }}

)

select * from final
