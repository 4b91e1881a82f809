with

source as (

    select * from {{ source('crm', 'contacts') }}

),

renamed as (

    select
        cast(contact_id as string) as contact_id,
        cast(account_id as string) as account_id,
        {{ pseudonymise('email') }} as email_hash,
        nullif(split_part(lower(trim(email)), '@', 2), '') as email_domain,
        {{ pseudonymise('full_name') }} as full_name_hash,
        cast(title as string) as title,
        cast(department as string) as department,
        cast(persona as string) as persona,
        cast(created_at as timestamp) as created_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by contact_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
