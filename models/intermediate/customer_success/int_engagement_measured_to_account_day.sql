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
#}

{%- set touchpoint_days = var('health_touchpoint_window_days') -%}
{%- set survey_days = var('health_survey_window_days') -%}
{%- set sales_days = var('health_sales_window_days') -%}
{%- set exec_personas = var('health_exec_personas') -%}
{%- set coverage_personas = var('health_coverage_personas') -%}

-- depends_on: {{ ref('health_components') }}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

activities as (

    select * from {{ ref('stg_cs__activities') }}

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
        spine.score_date,
        accounts.customer_since
    from spine
    inner join accounts
        on spine.account_id = accounts.account_id
    where {{ spine_days_not_yet_built() }}

),

activities_dated as (

    select
        activities.account_id,
        activities.activity_type,
        cast(activities.occurred_at as date) as activity_date,
        contacts.persona
    from activities
    left join contacts
        on activities.contact_id = contacts.contact_id

),

activity_days as (

    select distinct
        account_id,
        activity_date
    from activities_dated

),

sources_started as (

    -- an empty table has no start: counts are 0 from the first day (a table that was not
    -- provided at all is missing, which int_health_measures_sourced applies)
    select
        coalesce(
            (select min(activity_date) from activities_dated), cast('-infinity' as date)
        ) as activities_from,
        coalesce(
            (select cast(min(responded_at) as date) from survey_responses),
            cast('-infinity' as date)
        ) as surveys_from,
        coalesce(
            (select cast(min(created_at) as date) from opportunities), cast('-infinity' as date)
        ) as opportunities_from

),

last_touchpoint_found as (

    select
        days.account_id,
        days.score_date,
        activity_days.activity_date as last_activity_date
    from days
    asof left join activity_days
        on
            days.account_id = activity_days.account_id
            and days.score_date >= activity_days.activity_date

),

touchpoints_counted as (

    select
        days.account_id,
        days.score_date,
        count(activities_dated.activity_date) as touchpoint_count,
        count(
            case
                when
                    activities_dated.activity_type = 'exec_briefing'
                    or activities_dated.persona in (
                        {%- for item in exec_personas %}
                            '{{ item }}'{{ ',' if not loop.last }}
                        {%- endfor %}
                    )
                    then 1
            end
        ) as exec_touchpoint_count
    from days
    left join activities_dated
        on
            days.account_id = activities_dated.account_id
            and days.score_date >= activities_dated.activity_date
            and activities_dated.activity_date
            > days.score_date - {{ touchpoint_days }}
    group by days.account_id, days.score_date

),

contacts_counted as (

    select
        days.account_id,
        days.score_date,
        count(contacts.contact_id) as contact_count,
        count(
            distinct case
                when
                    contacts.persona in (
                        {%- for item in coverage_personas %}
                            '{{ item }}'{{ ',' if not loop.last }}
                        {%- endfor %}
                    )
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
            >= days.score_date - interval ({{ sales_days }} - 1) day
    group by days.account_id, days.score_date

),

measures_joined as (

    select
        days.account_id,
        days.score_date,
        case
            when days.score_date >= sources_started.activities_from
                then days.score_date - coalesce(
                    last_touchpoint_found.last_activity_date,
                    least(days.customer_since, days.score_date)
                )
        end as days_since_cs_touchpoint,
        case
            when days.score_date >= sources_started.activities_from
                then touchpoints_counted.touchpoint_count
        end as cs_touchpoints_90d,
        case
            when days.score_date >= sources_started.activities_from
                then least(touchpoints_counted.exec_touchpoint_count, 1)
        end as exec_sponsor_engaged_90d,
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
    left join last_touchpoint_found
        on
            days.account_id = last_touchpoint_found.account_id
            and days.score_date = last_touchpoint_found.score_date
    left join touchpoints_counted
        on
            days.account_id = touchpoints_counted.account_id
            and days.score_date = touchpoints_counted.score_date
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
