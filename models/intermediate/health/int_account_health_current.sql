{#
    One row per account: its health on the newest scored day (the run's as-of date for live accounts).
    Feeds dim_accounts, the review queue and the band_changes snapshot.
#}

with

account_health as (

    select * from {{ ref('int_account_health_scored') }}

),

final as (

    select *
    from account_health
    qualify row_number() over (partition by account_id order by score_date desc) = 1

)

select * from final  -- noqa: AM04
