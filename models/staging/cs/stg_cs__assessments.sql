with

source as (

    select * from {{ source('cs', 'csm_assessments') }}

),

renamed as (

    select
        cast(assessment_id as varchar) as assessment_id,
        cast(account_id as varchar) as account_id,
        cast(factor as varchar) as factor,
        cast(assessed_by as varchar) as assessed_by,
        cast(note as varchar) as note,
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
