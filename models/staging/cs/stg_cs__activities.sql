with

source as (

    select * from {{ source('cs', 'csm_activities') }}

),

renamed as (

    select
        cast(activity_id as string) as activity_id,
        cast(account_id as string) as account_id,
        cast(contact_id as string) as contact_id,
        cast(activity_type as string) as activity_type,
        cast(occurred_at as timestamp) as occurred_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by activity_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
