with

source as (

    select * from {{ source('product', 'integrations') }}

),

renamed as (

    select
        cast(integration_id as string) as integration_id,
        cast(account_id as string) as account_id,
        cast(product_id as string) as product_id,
        cast(integration_type as string) as integration_type,
        cast(enabled_at as timestamp) as enabled_at,
        cast(disabled_at as timestamp) as disabled_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by integration_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
