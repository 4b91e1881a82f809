with

source as (

    select * from {{ source('cs', 'success_goals') }}

),

renamed as (

    select
        cast(goal_id as string) as goal_id,
        cast(account_id as string) as account_id,
        cast(goal as string) as goal,
        cast(status as string) as status,
        cast(target_value as double) as target_value,
        cast(achieved_value as double) as achieved_value,
        cast(due_at as date) as due_at,
        cast(achieved_at as date) as achieved_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from source
    qualify row_number() over (
        partition by goal_id
        order by _loaded_at desc, _load_id desc
    ) = 1

)

select * from renamed
