{#
    The large table (millions of rows at demo scale, 100M at large), so two departures from the
    other staging models, both explained in DECISIONLOG.md#usage-events-incremental:

    - Incremental, not a view (on Spark too: macros/cross_engine/incremental.sql):
      each run reads only the landing batches after the newest _loaded_at already staged;
      delete+insert on event_id makes a re-delivered event replace the older copy (latest load
      wins, as everywhere in staging). Downstream models scan a plain table instead of re-running
      a dedupe window over every event on every query.
    - Cheap dedupe: landing already rejects duplicate event_ids, so instead of a row_number() window
      over every event (a full sort) we find the duplicated ids with one hash aggregate on event_id,
      pass the other events straight through and rank only the duplicated ones. Same result as the
      window, at about the cost of a plain copy.
#}
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='event_id',
        on_schema_change='fail',
    )
}}

with

source as (

    select * from {{ source('product', 'usage_events') }}
    {% if is_incremental() -%}
        -- An empty table (first run on an empty source) has no max: take everything.
        where _loaded_at > (
            select coalesce(max(staged._loaded_at), {{ timestamp_min() }})
            from {{ this }} as staged
        )
    {%- endif %}

),

duplicated_event_ids as (

    select event_id
    from source
    group by event_id
    having count(*) > 1

),

deduplicated as (

    select source.*
    from source
    anti join duplicated_event_ids
        on source.event_id = duplicated_event_ids.event_id

    union all

    select source.*
    from source
    semi join duplicated_event_ids
        on source.event_id = duplicated_event_ids.event_id
    qualify row_number() over (
        partition by source.event_id
        order by source._loaded_at desc, source._load_id desc
    ) = 1

),

renamed as (

    select
        cast(event_id as string) as event_id,
        cast(user_id as string) as user_id,
        cast(account_id as string) as account_id,
        cast(product_id as string) as product_id,
        cast(session_id as string) as session_id,
        cast(feature as string) as feature,
        cast(event_name as string) as event_name,
        cast(occurred_at as timestamp) as occurred_at,
        cast(_loaded_at as timestamp) as _loaded_at
    from deduplicated

)

select * from renamed
