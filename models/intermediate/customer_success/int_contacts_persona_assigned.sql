with

contacts as (

    select * from {{ ref('stg_crm__contacts') }}

),

accounts as (

    select * from {{ ref('stg_crm__accounts') }}

),

persona_rules as (

    select * from {{ ref('persona_rules') }}

),

-- Test accounts leave the pipeline here. Contacts whose account is not (yet) in the CRM export are
-- kept: they are real people, and the staging relationship test already warns about them.
contacts_of_customers as (

    select contacts.*
    from contacts
    left join accounts
        on contacts.account_id = accounts.account_id
    where not coalesce(accounts.is_test, false)

),

-- The first rule (lowest rule_priority) whose pattern matches the lower-cased title. A missing
-- title is matched as '' so the seed's catch-all rule, not this SQL, decides the default persona.
title_rules_matched as (

    select
        contacts_of_customers.contact_id,
        persona_rules.persona,
        persona_rules.rule_priority
    from contacts_of_customers
    inner join persona_rules
        on {{ regexp_found(
            "lower(coalesce(contacts_of_customers.title, ''))",
            'persona_rules.title_pattern',
        ) }}
    qualify row_number() over (
        partition by contacts_of_customers.contact_id
        order by persona_rules.rule_priority
    ) = 1

),

personas_assigned as (

    select
        contacts_of_customers.contact_id,
        contacts_of_customers.account_id,
        contacts_of_customers.email_hash,
        contacts_of_customers.email_domain,
        contacts_of_customers.title,
        contacts_of_customers.department,
        contacts_of_customers.created_at,
        coalesce(
            contacts_of_customers.persona,
            title_rules_matched.persona
        ) as persona,
        case
            when contacts_of_customers.persona is not null then 'crm'
            when title_rules_matched.persona is not null then 'title_rule'
        end as persona_source,
        case
            when contacts_of_customers.persona is null
                then title_rules_matched.rule_priority
        end as persona_rule_priority
    from contacts_of_customers
    left join title_rules_matched
        on contacts_of_customers.contact_id = title_rules_matched.contact_id

),

final as (

    select * from personas_assigned

)

select * from final
