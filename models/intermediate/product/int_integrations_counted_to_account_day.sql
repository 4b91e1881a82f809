{#
    One row per account per spine day with an integration switched on during it and not disabled
    before its end: the number of such integrations (active_integrations).
#}

with

spine as (

    select * from {{ ref('int_account_days_spined') }}

),

integrations as (

    select * from {{ ref('stg_product__integrations') }}

),

final as (

    select
        spine.account_id,
        spine.score_date,
        count(*) as active_integrations
    from spine
    inner join integrations
        on
            spine.account_id = integrations.account_id
            and spine.score_date + interval 1 day > integrations.enabled_at
            and (
                integrations.disabled_at is null
                or spine.score_date + interval 1 day <= integrations.disabled_at
            )
    group by spine.account_id, spine.score_date

)

select * from final
