{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['account_id', 'score_date'],
        on_schema_change='fail',
    )
}}

{#
    One row per account per scored day: its band history. previous_band is the last band before the
    day; band_entered_on the day the account entered the band it is in (a day without a band keeps
    the history); band_before_change the band it came from (null until its first change).
    Incremental: the new days continue from the last row already built.
#}

with

account_health_banded as (

    select * from {{ ref('int_account_health_banded') }}

),

days as (

    select
        account_health_banded.account_id,
        account_health_banded.score_date,
        account_health_banded.health_band
    from account_health_banded
    where {{ spine_days_not_yet_built('account_health_banded') }}

),

-- band history: the new days stacked on the last row already built
bands_stacked as (

    select
        account_id,
        score_date,
        health_band,
        cast(null as date) as built_band_entered_on,
        cast(null as string) as built_band_before_change,
        false as is_built
    from days
    {% if is_incremental() %}

        union all

        select
            account_id,
            score_date,
            health_band,
            band_entered_on as built_band_entered_on,
            band_before_change as built_band_before_change,
            true as is_built
        from {{ this }}
        qualify row_number() over (partition by account_id order by score_date desc) = 1

    {% endif %}

),

bands_lagged as (

    select
        *,
        {{ last_non_null('health_band') }} over (
            partition by account_id order by score_date
            rows between unbounded preceding and 1 preceding
        ) as previous_band
    from bands_stacked

),

band_changes_marked as (

    select
        *,
        case
            when is_built then built_band_entered_on
            when
                health_band is not null
                and (previous_band is null or health_band <> previous_band)
                then score_date
        end as band_entered_marker,
        case
            when is_built then built_band_before_change
            when health_band <> previous_band then previous_band
        end as band_before_marker
    from bands_lagged

),

band_history as (

    select
        account_id,
        score_date,
        health_band,
        previous_band,
        is_built,
        max(band_entered_marker) over running as band_entered_on,
        {{ last_non_null('band_before_marker') }} over running as band_before_change
    from band_changes_marked
    window running as (
        partition by account_id order by score_date
        rows between unbounded preceding and current row
    )

),

final as (

    select
        account_id,
        score_date,
        health_band,
        previous_band,
        band_entered_on,
        band_before_change
    from band_history
    where not is_built

)

select * from final
