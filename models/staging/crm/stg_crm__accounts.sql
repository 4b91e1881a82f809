with

source as (

    select * from {{ source('crm', 'accounts') }}

),

renamed as (

    select
        cast(account_id as string) as account_id,
        cast(parent_account_id as string) as parent_account_id,
        cast(account_name as string) as account_name,
        cast(segment as string) as segment,
        cast(industry as string) as industry,
        cast(region as string) as region,
        cast(csm_owner as string) as csm_owner,
        cast(employee_count as integer) as employee_count,
        cast(is_test as boolean) as is_test,
        cast(customer_since as date) as customer_since,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by account_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
