with

source as (

    select * from {{ source('product', 'downtime_incidents') }}

),

renamed as (

    select
        cast(incident_id as varchar) as incident_id,
        cast(account_id as varchar) as account_id,
        cast(product_id as varchar) as product_id,
        cast(severity as varchar) as severity,
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
