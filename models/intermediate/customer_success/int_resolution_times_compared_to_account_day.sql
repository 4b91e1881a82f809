{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per spine day: the median hours to resolve the account's cases resolved in
    the var health_support_window_days days ending that day, over the same median across every
    account of its segment (resolution_time_vs_segment_median; null without resolved cases), and the
    newest resolution day behind it. Incremental: new spine days only.
#}

{%- set support_days = var('health_support_window_days') -%}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

cases_dated as (

    select * from {{ ref('int_support_cases_dated') }}

),

days as (

    select
        spine.account_id,
        spine.segment,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

resolution_times_by_account as (

    select
        days.account_id,
        days.segment,
        days.score_date,
        median(cases_dated.resolution_hours) as median_resolution_hours,
        max(cases_dated.resolved_date) as last_resolved_date
    from days
    inner join cases_dated
        on
            days.account_id = cases_dated.account_id
            and {{ in_trailing_days(
                'cases_dated.resolved_date', 'days.score_date', support_days
            ) }}
    group by days.account_id, days.segment, days.score_date

),

segment_days as (

    select distinct
        segment,
        score_date
    from days

),

resolution_times_by_segment as (

    select
        segment_days.segment,
        segment_days.score_date,
        median(cases_dated.resolution_hours) as segment_median_resolution_hours
    from segment_days
    inner join cases_dated
        on
            segment_days.segment = cases_dated.segment
            and {{ in_trailing_days(
                'cases_dated.resolved_date', 'segment_days.score_date', support_days
            ) }}
    group by segment_days.segment, segment_days.score_date

),

final as (

    select
        days.account_id,
        days.score_date,
        resolution_times_by_account.last_resolved_date,
        {{ safe_divide(
            'resolution_times_by_account.median_resolution_hours',
            'resolution_times_by_segment.segment_median_resolution_hours'
        ) }} as resolution_time_vs_segment_median
    from days
    left join resolution_times_by_account
        on
            days.account_id = resolution_times_by_account.account_id
            and days.score_date = resolution_times_by_account.score_date
    left join resolution_times_by_segment
        on
            days.segment = resolution_times_by_segment.segment
            and days.score_date = resolution_times_by_segment.score_date

)

select * from final
