with

source as (

    select * from {{ source('surveys', 'survey_responses') }}

),

renamed as (

    select
        cast(response_id as string) as response_id,
        cast(account_id as string) as account_id,
        cast(contact_id as string) as contact_id,
        cast(survey_type as string) as survey_type,
        cast(comment as string) as comment,
        cast(score as integer) as score,
        cast(responded_at as timestamp) as responded_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by response_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
