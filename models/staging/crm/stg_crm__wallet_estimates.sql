with

source as (

    select * from {{ source('crm', 'wallet_estimates') }}

),

renamed as (

    select
        cast(account_id as string) as account_id,
        cast(category as string) as category,
        cast(main_competitor as string) as main_competitor,
        cast(total_category_spend as decimal(18, 2)) as total_category_spend,
        cast(as_of as date) as as_of,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by account_id, as_of, category
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
