{#
    The registry and the measure models agree, both ways: every component of health_components is
    emitted by the model its source_model names (a seeded component no model measures would silently
    never be scored), and every component a measure model emits is seeded with that model as its
    source (a measured component the seed does not know would be dropped by the engine's join).
    A measure model without rows (a company without accounts) has nothing to check; a source_model
    that is no measure model fails the seed's accepted_values test. Returns the components that break
    it and why.
#}

with

health_components as (

    select * from {{ ref('health_components') }}

),

product_measures as (

    select * from {{ ref('int_product_measures_unioned') }}

),

engagement_measures as (

    select * from {{ ref('int_engagement_measured_to_account_day') }}

),

outcome_measures as (

    select * from {{ ref('int_outcomes_measured_to_account_day') }}

),

experience_measures as (

    select * from {{ ref('int_experience_measured_to_account_day') }}

),

commercial_measures as (

    select * from {{ ref('int_commercial_measured_to_account_day') }}

),

components_measured as (

    select distinct
        'int_product_measures_unioned' as source_model,
        component_id
    from product_measures
    union all
    select distinct
        'int_engagement_measured_to_account_day' as source_model,
        component_id
    from engagement_measures
    union all
    select distinct
        'int_outcomes_measured_to_account_day' as source_model,
        component_id
    from outcome_measures
    union all
    select distinct
        'int_experience_measured_to_account_day' as source_model,
        component_id
    from experience_measures
    union all
    select distinct
        'int_commercial_measured_to_account_day' as source_model,
        component_id
    from commercial_measures

),

models_with_rows as (

    select distinct source_model from components_measured

),

seeded_not_measured as (

    select
        health_components.component_id,
        health_components.source_model,
        'seeded, but its source model does not emit it' as problem
    from health_components
    left join components_measured
        on
            health_components.component_id = components_measured.component_id
            and health_components.source_model = components_measured.source_model
    where
        components_measured.component_id is null
        and health_components.source_model in (
            select models_with_rows.source_model from models_with_rows
        )

),

measured_not_seeded as (

    select
        components_measured.component_id,
        components_measured.source_model,
        'measured, but not seeded with this source model' as problem
    from components_measured
    left join health_components
        on
            components_measured.component_id = health_components.component_id
            and components_measured.source_model = health_components.source_model
    where health_components.component_id is null

),

final as (

    select * from seeded_not_measured
    union all
    select * from measured_not_seeded

)

select * from final
