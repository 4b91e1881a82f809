with

source as (

    select * from {{ source('crm', 'opportunities') }}

),

renamed as (

    select
        cast(opportunity_id as string) as opportunity_id,
        cast(account_id as string) as account_id,
        cast(product_id as string) as product_id,
        cast(opportunity_type as string) as opportunity_type,
        cast(stage as string) as stage,
        cast(amount as decimal(18, 2)) as amount,
        cast(is_won as boolean) as is_won,
        cast(created_at as timestamp) as created_at,
        cast(closed_at as timestamp) as closed_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by opportunity_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
