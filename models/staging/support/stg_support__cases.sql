with

source as (

    select * from {{ source('support', 'support_cases') }}

),

renamed as (

    select
        cast(case_id as string) as case_id,
        cast(account_id as string) as account_id,
        cast(contact_id as string) as contact_id,
        cast(product_id as string) as product_id,
        cast(priority as string) as priority,
        cast(category as string) as category,
        cast(csat as integer) as csat,
        cast(is_escalated as boolean) as is_escalated,
        cast(created_at as timestamp) as created_at,
        cast(first_response_at as timestamp) as first_response_at,
        cast(resolved_at as timestamp) as resolved_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by case_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
