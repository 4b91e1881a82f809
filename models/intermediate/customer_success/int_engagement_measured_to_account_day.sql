{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date', 'component_id'],
        on_schema_change='fail',
    )
}}

{#
    Engagement measures, point-in-time, one row per account x day x component (long format).
    A value for day D uses only rows dated on or before D. A count over "the last N days" covers
    D - (N - 1) .. D. Before a source's first row the value is null (missing source, never red);
    once the source exists a count of 0 is a real 0 and is measured on D (measured_on = score_date).
    Incremental: only spine days after the newest day already built for the account are computed.
    The CS-touchpoint measures come from int_cs_touchpoints_measured_to_account_day.
#}

{%- set survey_days = var('health_survey_window_days') -%}
{%- set sales_days = var('health_sales_window_days') -%}
{%- set coverage_personas = var('health_coverage_personas') -%}

-- depends_on: {{ ref('health_components') }}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

touchpoints_measured as (

    select * from {{ ref('int_cs_touchpoints_measured_to_account_day') }}

),

contacts as (

    select * from {{ ref('int_contacts_persona_assigned') }}

),

survey_responses as (

    select * from {{ ref('stg_surveys__responses') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

days as (

    select
        spine.account_id,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

sources_started as (

    -- an empty table has no start: counts are 0 from the first day (a table that was not
    -- provided at all is missing, which int_health_measures_sourced applies)
    select
        {{ source_start_date('survey_responses', 'responded_at') }} as surveys_from,
        {{ source_start_date('opportunities', 'created_at') }} as opportunities_from

),

contacts_counted as (

    select
        days.account_id,
        days.score_date,
        count(contacts.contact_id) as contact_count,
        count(
            distinct case
                when
                    contacts.persona in ({{ quoted_list(coverage_personas) }})
                    then contacts.persona
            end
        ) as covered_persona_count
    from days
    left join contacts
        on
            days.account_id = contacts.account_id
            and contacts.created_at < days.score_date + interval 1 day
    group by days.account_id, days.score_date

),

respondents_counted as (

    select
        days.account_id,
        days.score_date,
        count(
            distinct coalesce(survey_responses.contact_id, survey_responses.response_id)
        ) as respondent_count
    from days
    left join survey_responses
        on
            days.account_id = survey_responses.account_id
            and {{ in_trailing_days(
                'survey_responses.responded_at', 'days.score_date', survey_days
            ) }}
    group by days.account_id, days.score_date

),

sales_touchpoints_counted as (

    select
        days.account_id,
        days.score_date,
        count(
            case
                when
                    {{ in_trailing_days(
                        'opportunities.created_at', 'days.score_date', sales_days
                    ) }}
                    then 1
            end
        )
        + count(
            case
                when
                    {{ in_trailing_days('opportunities.closed_at', 'days.score_date', sales_days) }}
                    then 1
            end
        ) as sales_touchpoint_count
    from days
    left join opportunities
        on
            days.account_id = opportunities.account_id
            and opportunities.created_at < days.score_date + interval 1 day
            and coalesce(opportunities.closed_at, opportunities.created_at)
            >= days.score_date - {{ days_interval(sales_days - 1) }}
    group by days.account_id, days.score_date

),

measures_joined as (

    select
        days.account_id,
        days.score_date,
        touchpoints_measured.days_since_cs_touchpoint,
        touchpoints_measured.cs_touchpoints_90d,
        touchpoints_measured.exec_sponsor_engaged_90d,
        case
            when contacts_counted.contact_count > 0
                then
                    contacts_counted.covered_persona_count
                    / {{ coverage_personas | length }}
        end as persona_coverage_rate,
        case
            when days.score_date >= sources_started.surveys_from
                then least(
                    {{ safe_divide(
                        'respondents_counted.respondent_count',
                        'contacts_counted.contact_count'
                    ) }},
                    1.0
                )
        end as survey_response_rate_365d,
        case
            when days.score_date >= sources_started.opportunities_from
                then sales_touchpoints_counted.sales_touchpoint_count
        end as sales_touchpoints_180d
    from days
    cross join sources_started
    left join touchpoints_measured
        on
            days.account_id = touchpoints_measured.account_id
            and days.score_date = touchpoints_measured.score_date
    left join contacts_counted
        on
            days.account_id = contacts_counted.account_id
            and days.score_date = contacts_counted.score_date
    left join respondents_counted
        on
            days.account_id = respondents_counted.account_id
            and days.score_date = respondents_counted.score_date
    left join sales_touchpoints_counted
        on
            days.account_id = sales_touchpoints_counted.account_id
            and days.score_date = sales_touchpoints_counted.score_date

),

measures_unpivoted as (

    {{ unpivot_measures(
        'measures_joined',
        health_component_ids('int_engagement_measured_to_account_day'),
        measured_on='score_date',
    ) }}

),

final as (

    select * from measures_unpivoted

)

select * from final
