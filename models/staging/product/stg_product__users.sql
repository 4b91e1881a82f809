with

source as (

    select * from {{ source('product', 'users') }}

),

renamed as (

    select
        cast(user_id as string) as user_id,
        cast(account_id as string) as account_id,
        cast(contact_id as string) as contact_id,
        cast(provisioning as string) as provisioning,
        cast(role as string) as role,
        cast(provisioned_at as timestamp) as provisioned_at,
        cast(deactivated_at as timestamp) as deactivated_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by user_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
