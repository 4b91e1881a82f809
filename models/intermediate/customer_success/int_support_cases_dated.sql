{#
    One row per support case of a non-test account: its account's segment, priority, escalation,
    CSAT, the days it was created and resolved, and the hours it took to resolve (null while open).
#}

with

support_cases as (

    select * from {{ ref('stg_support__cases') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

final as (

    select
        support_cases.account_id,
        accounts.segment,
        support_cases.priority,
        support_cases.is_escalated,
        support_cases.csat,
        cast(support_cases.created_at as date) as created_date,
        cast(support_cases.resolved_at as date) as resolved_date,
        support_cases.created_at,
        support_cases.resolved_at,
        {{ boundaries_crossed('minute', 'support_cases.created_at', 'support_cases.resolved_at') }}
        / cast(60 as double) as resolution_hours
    from support_cases
    inner join accounts
        on support_cases.account_id = accounts.account_id
    where not accounts.is_test

)

select * from final
