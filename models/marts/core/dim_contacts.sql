with

contacts as (

    select * from {{ ref('int_contacts_persona_assigned') }}

),

final as (

    select
        contact_id,
        account_id,
        email_hash,
        email_domain,
        title,
        department,
        persona,
        persona_source,
        created_at
    from contacts

)

select * from final
