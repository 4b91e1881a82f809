{#
    Every CSAT answer of a non-test account, from both places one is given: a csat survey answer
    (when it was answered) and a support case's csat (given when the case is closed: its
    resolution, else its creation). The daily experience measure (csat_avg_180d) and the monthly
    DEAR signal (csat) both average these answers over their own windows.
#}

with

survey_responses as (

    select * from {{ ref('int_survey_responses_classified') }}

),

cases_dated as (

    select * from {{ ref('int_support_cases_dated') }}

),

csat_answers as (

    select
        account_id,
        score as csat,
        responded_at as answered_at
    from survey_responses
    where survey_type = 'csat'

    union all

    select
        account_id,
        csat,
        coalesce(resolved_at, created_at) as answered_at
    from cases_dated
    where csat is not null

),

final as (

    select
        account_id,
        csat,
        answered_at,
        cast(answered_at as date) as answered_date
    from csat_answers

)

select * from final
