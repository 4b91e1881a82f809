{#
    One row per churn of an account: when it churned, when (if ever) it came back, and from which
    evidence (DECISIONLOG "Churn: from what the company records"). Per account, the first kind of
    evidence that has any record for the account is used, in this order:
      1. churn_events      the company's own record (is_reactivation rows end a churn);
      2. lost_renewal      a renewal opportunity closed lost (a later won deal ends the churn);
      3. mrr_zero          MRR fell to 0 at a month-end (MRR back above 0 ends the churn).
    Read by the backtest (churn labels) and fct_revenue_retention (logo retention).
#}

with

churn_events as (

    select * from {{ ref('stg_crm__churn_events') }}

),

opportunities as (

    select * from {{ ref('stg_crm__opportunities') }}

),

mrr_changes as (

    select * from {{ ref('int_mrr_changes_classified') }}

),

evidence_unioned as (

    select
        account_id,
        'churn_events' as churn_evidence,
        1 as evidence_rank,
        churned_at as event_date,
        coalesce(is_reactivation, false) as is_return,
        reason
    from churn_events

    union all

    select
        account_id,
        'lost_renewal' as churn_evidence,
        2 as evidence_rank,
        cast(closed_at as date) as event_date,
        is_won as is_return,
        case when not is_won then 'renewal opportunity lost' end as reason
    from opportunities
    where
        closed_at is not null
        and is_won is not null
        and (is_won or opportunity_type = 'renewal')

    union all

    select
        account_id,
        'mrr_zero' as churn_evidence,
        3 as evidence_rank,
        month_end as event_date,
        movement_type = 'reactivation' as is_return,
        case when movement_type = 'churn' then 'MRR fell to 0' end as reason
    from mrr_changes
    where movement_type in ('churn', 'reactivation')

),

evidence_chosen as (

    select *
    from evidence_unioned
    -- the strongest evidence with a churn on record for the account
    qualify evidence_rank = min(
        case when not is_return then evidence_rank end
    ) over (partition by account_id)

),

returns_found as (

    select
        account_id,
        event_date as churned_on,
        churn_evidence,
        reason,
        is_return,
        -- a churn recorded again before the account came back is the same churn
        coalesce(
            lag(is_return) over (partition by account_id order by event_date, is_return), true
        ) as follows_a_return,
        -- the first return after the churn
        min(case when is_return then event_date end) over (
            partition by account_id
            order by event_date, is_return
            rows between 1 following and unbounded following
        ) as next_return_date
    from evidence_chosen

),

churns_identified as (

    select
        account_id,
        churn_evidence,
        reason,
        churned_on,
        next_return_date as reactivated_on,
        last_day(churned_on) as churn_month_end
    from returns_found
    where not is_return and follows_a_return

),

final as (

    select
        cast(account_id as string) as account_id,
        cast(churn_evidence as string) as churn_evidence,
        cast(reason as string) as reason,
        cast(churned_on as date) as churned_on,
        cast(churn_month_end as date) as churn_month_end,
        cast(reactivated_on as date) as reactivated_on
    from churns_identified

)

select * from final
