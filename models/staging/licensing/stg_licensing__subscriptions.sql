with

source as (

    select * from {{ source('licensing', 'subscriptions') }}

),

renamed as (

    select
        cast(subscription_id as string) as subscription_id,
        cast(account_id as string) as account_id,
        cast(product_id as string) as product_id,
        cast(seats as integer) as seats,
        cast(mrr as decimal(18, 2)) as mrr,
        cast(start_date as date) as start_date,
        cast(term_end_date as date) as term_end_date,
        cast(end_date as date) as end_date,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by subscription_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
