{#
    Every survey answer, with its NPS class when it answers an nps survey: a promoter scores at or
    above var health_nps_promoter_min_score, a detractor at or below var
    health_nps_detractor_max_score (passives are neither). The one place NPS classes are decided:
    the daily measures (nps_365d, promoter_contacts_365d) and the monthly ones (the DEAR nps
    component, the experience trajectory's promoter share) all read these flags.
#}

{%- set promoter_min = var('health_nps_promoter_min_score') -%}
{%- set detractor_max = var('health_nps_detractor_max_score') -%}

with

survey_responses as (

    select * from {{ ref('stg_surveys__responses') }}

),

final as (

    select
        *,
        survey_type = 'nps' and score >= {{ promoter_min }} as is_nps_promoter,
        survey_type = 'nps' and score <= {{ detractor_max }} as is_nps_detractor
    from survey_responses

)

select * from final  -- noqa: AM04
