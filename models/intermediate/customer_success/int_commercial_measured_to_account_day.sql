{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date', 'component_id'],
        on_schema_change='fail',
    )
}}

{#
    Commercial and advocacy measures, point-in-time, long format (shared rules in
    int_engagement_measured_to_account_day). MRR on a day = the mrr of the subscriptions in force
    that day (start_date <= day < end_date). Contraction days come from
    int_account_contractions_dated.
    An expansion opportunity is stale when it has been open longer than the segment's norm
    (var health_expansion_norm_days).
#}

{%- set wallet_days = var('health_revenue_window_days') -%}
{%- set advocacy_days = var('health_advocacy_window_days') -%}
{%- set expansion_norms = var('health_expansion_norm_days') -%}

-- depends_on: {{ ref('health_components') }}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

mrr_on_day as (

    select * from {{ ref('int_subscriptions_in_force_to_account_day') }}

),

latest_wallet_found as (

    select * from {{ ref('int_wallets_found_to_account_day') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

referrals as (

    select * from {{ ref('stg_crm__referrals') }}

),

survey_responses as (

    select * from {{ ref('int_survey_responses_classified') }}

),

contraction_days as (

    select * from {{ ref('int_account_contractions_dated') }}

),

days as (

    select
        spine.account_id,
        spine.segment,
        spine.score_date
    from spine
    where {{ spine_days_not_yet_built() }}

),

sources_started as (

    -- an empty table has no start: counts are 0 from the first day (a table that was not
    -- provided at all is missing, which int_health_measures_sourced applies)
    select
        {{ source_start_date('subscriptions', 'start_date') }} as subscriptions_from,
        {{ source_start_date('opportunities', 'created_at') }} as opportunities_from,
        {{ source_start_date('referrals', 'referred_at') }} as referrals_from,
        {{ source_start_date('survey_responses', 'responded_at') }} as surveys_from

),

contractions_counted as (

    select
        days.account_id,
        days.score_date,
        count(contraction_days.change_date) as contraction_count
    from days
    left join contraction_days
        on
            days.account_id = contraction_days.account_id
            and {{ in_trailing_days(
                'contraction_days.change_date', 'days.score_date', wallet_days
            ) }}
    group by days.account_id, days.score_date

),

stale_expansions_counted as (

    select
        days.account_id,
        days.score_date,
        count(opportunities.opportunity_id) as stale_expansion_count
    from days
    inner join opportunities
        on
            days.account_id = opportunities.account_id
            and opportunities.opportunity_type in ('expansion', 'cross_sell')
            and opportunities.created_at < days.score_date + interval 1 day
            and (
                opportunities.closed_at is null
                or opportunities.closed_at >= days.score_date + interval 1 day
            )
            and {{ dbt.datediff(
                'cast(opportunities.created_at as date)', 'days.score_date', 'day'
            ) }} > case days.segment
                {%- for segment, norm_days in expansion_norms.items() %}
                    when '{{ segment }}' then {{ norm_days }}
                {%- endfor %}
            end
    group by days.account_id, days.score_date

),

referrals_counted as (

    select
        days.account_id,
        days.score_date,
        count(referrals.referral_id) as referral_count
    from days
    inner join referrals
        on
            days.account_id = referrals.account_id
            and {{ in_trailing_days('referrals.referred_at', 'days.score_date', advocacy_days) }}
    group by days.account_id, days.score_date

),

promoters_counted as (

    select
        days.account_id,
        days.score_date,
        count(
            distinct coalesce(survey_responses.contact_id, survey_responses.response_id)
        ) as promoter_count
    from days
    inner join survey_responses
        on
            days.account_id = survey_responses.account_id
            and survey_responses.survey_type = 'nps'
            and survey_responses.is_nps_promoter
            and {{ in_trailing_days(
                'survey_responses.responded_at', 'days.score_date', advocacy_days
            ) }}
    group by days.account_id, days.score_date

),

measures_joined as (

    select
        days.account_id,
        days.score_date,
        {{ safe_divide(
            'mrr_on_day.mrr * 12',
            'latest_wallet_found.total_category_spend'
        ) }} as share_of_wallet_rate,
        latest_wallet_found.as_of as share_of_wallet_rate_measured_on,
        case
            when days.score_date >= sources_started.opportunities_from
                then coalesce(stale_expansions_counted.stale_expansion_count, 0)
        end as stale_expansion_opportunities,
        days.score_date as stale_expansion_opportunities_measured_on,
        case
            when days.score_date >= sources_started.subscriptions_from
                then contractions_counted.contraction_count
        end as contraction_events_365d,
        days.score_date as contraction_events_365d_measured_on,
        {{ dbt.datediff(
            'days.score_date', 'mrr_on_day.next_term_end_date', 'day'
        ) }} as days_to_renewal,
        days.score_date as days_to_renewal_measured_on,
        case
            when days.score_date >= sources_started.referrals_from
                then coalesce(referrals_counted.referral_count, 0)
        end as referrals_365d,
        days.score_date as referrals_365d_measured_on,
        case
            when days.score_date >= sources_started.surveys_from
                then coalesce(promoters_counted.promoter_count, 0)
        end as promoter_contacts_365d,
        days.score_date as promoter_contacts_365d_measured_on
    from days
    cross join sources_started
    left join mrr_on_day
        on
            days.account_id = mrr_on_day.account_id
            and days.score_date = mrr_on_day.score_date
    left join contractions_counted
        on
            days.account_id = contractions_counted.account_id
            and days.score_date = contractions_counted.score_date
    left join latest_wallet_found
        on
            days.account_id = latest_wallet_found.account_id
            and days.score_date = latest_wallet_found.score_date
    left join stale_expansions_counted
        on
            days.account_id = stale_expansions_counted.account_id
            and days.score_date = stale_expansions_counted.score_date
    left join referrals_counted
        on
            days.account_id = referrals_counted.account_id
            and days.score_date = referrals_counted.score_date
    left join promoters_counted
        on
            days.account_id = promoters_counted.account_id
            and days.score_date = promoters_counted.score_date

),

measures_unpivoted as (

    {{ unpivot_measures(
        'measures_joined', health_component_ids('int_commercial_measured_to_account_day')
    ) }}

),

final as (

    select * from measures_unpivoted

)

select * from final
