with

source as (

    select * from {{ source('cs', 'csm_assessments') }}

),

renamed as (

    select
        cast(assessment_id as string) as assessment_id,
        cast(account_id as string) as account_id,
        cast(factor as string) as factor,
        cast(assessed_by as string) as assessed_by,
        cast(note as string) as note,
        cast(rating as integer) as rating,
        cast(assessed_at as timestamp) as assessed_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by assessment_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
