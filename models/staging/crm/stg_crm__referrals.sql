with

source as (

    select * from {{ source('crm', 'referrals') }}

),

renamed as (

    select
        cast(referral_id as string) as referral_id,
        cast(account_id as string) as account_id,
        cast(contact_id as string) as contact_id,
        cast(referred_company as string) as referred_company,
        cast(outcome as string) as outcome,
        cast(referred_at as timestamp) as referred_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by referral_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
