with

source as (

    select * from {{ source('crm', 'churn_events') }}

),

renamed as (

    select
        cast(account_id as string) as account_id,
        cast(reason as string) as reason,
        cast(is_reactivation as boolean) as is_reactivation,
        cast(churned_at as date) as churned_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by account_id, churned_at
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
