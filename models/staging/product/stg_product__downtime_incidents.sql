with

source as (

    select * from {{ source('product', 'downtime_incidents') }}

),

renamed as (

    select
        cast(incident_id as string) as incident_id,
        cast(account_id as string) as account_id,
        cast(product_id as string) as product_id,
        cast(severity as string) as severity,
        cast(started_at as timestamp) as started_at,
        cast(ended_at as timestamp) as ended_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by incident_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
