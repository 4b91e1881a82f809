{#
    Reconciliation between layers (Fivetran's style): staging renames, casts and deduplicates, and
    nothing else, so every staging model holds exactly one row per distinct key of its raw table
    (the raw rows less the repeated deliveries of a key). Returns the models whose counts differ,
    with both counts.
#}

{%- set staged = [
    ('stg_crm__accounts', 'crm', 'accounts', ['account_id']),
    ('stg_crm__churn_events', 'crm', 'churn_events', ['account_id', 'churned_at']),
    ('stg_crm__contacts', 'crm', 'contacts', ['contact_id']),
    ('stg_crm__opportunities', 'crm', 'opportunities', ['opportunity_id']),
    ('stg_crm__referrals', 'crm', 'referrals', ['referral_id']),
    ('stg_crm__wallet_estimates', 'crm', 'wallet_estimates', ['account_id', 'as_of', 'category']),
    ('stg_cs__activities', 'cs', 'csm_activities', ['activity_id']),
    ('stg_cs__assessments', 'cs', 'csm_assessments', ['assessment_id']),
    ('stg_cs__success_goals', 'cs', 'success_goals', ['goal_id']),
    ('stg_licensing__subscriptions', 'licensing', 'subscriptions', ['subscription_id']),
    ('stg_product__downtime_incidents', 'product', 'downtime_incidents', ['incident_id']),
    ('stg_product__integrations', 'product', 'integrations', ['integration_id']),
    ('stg_product__usage_events', 'product', 'usage_events', ['event_id']),
    ('stg_product__users', 'product', 'users', ['user_id']),
    ('stg_support__cases', 'support', 'support_cases', ['case_id']),
    ('stg_surveys__responses', 'surveys', 'survey_responses', ['response_id']),
] -%}

with

{% for model, source_name, table, keys in staged %}

    {{ model }}_counted as (

        select
            '{{ model }}' as model_name,
            (select count(*) from {{ ref(model) }}) as staged_rows,
            (
                select count(*) from (
                    select distinct {{ keys | join(', ') }}
                    from {{ source(source_name, table) }}
                ) as raw_keys
            ) as raw_rows_less_duplicates

    ),

{% endfor %}

counts_unioned as (

    {% for model, source_name, table, keys in staged %}
        select * from {{ model }}_counted
        {% if not loop.last %}union all{% endif %}
    {% endfor %}

),

final as (

    select * from counts_unioned
    where staged_rows <> raw_rows_less_duplicates

)

select * from final
