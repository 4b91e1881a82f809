{#
    One row per account per contraction day: a day on which the account's MRR (the mrr of the
    subscriptions in force, start_date <= day < end_date) fell below the day before while staying
    above 0 (a fall to 0 is churn, not contraction). MRR only changes on a start or end date, so
    those are the only days looked at.
#}

with

subscriptions as (

    select * from {{ ref('stg_licensing__subscriptions') }}

),

change_days as (

    select distinct
        account_id,
        change_date
    from (
        select
            account_id,
            start_date as change_date
        from subscriptions
        union all
        select
            account_id,
            end_date as change_date
        from subscriptions
        where end_date is not null
    ) as change_dates

),

mrr_around_change as (

    select
        change_days.account_id,
        change_days.change_date,
        cast(sum(
            case
                when {{ subscription_in_force_on('change_days.change_date') }}
                    then subscriptions.mrr
                else 0
            end
        ) as decimal(38, 2)) as mrr_after,
        cast(sum(
            case
                when {{ subscription_in_force_on('change_days.change_date - 1') }}
                    then subscriptions.mrr
                else 0
            end
        ) as decimal(38, 2)) as mrr_before
    from change_days
    inner join subscriptions
        on change_days.account_id = subscriptions.account_id
    group by change_days.account_id, change_days.change_date

),

final as (

    select
        account_id,
        change_date,
        mrr_before,
        mrr_after
    from mrr_around_change
    where mrr_after < mrr_before and mrr_after > 0

)

select * from final
