-- Every health component says which raw tables it is computed from, and every component_sources
-- row names a component: a component without sources could never be marked "not provided".
with

health_components as (

    select * from {{ ref('health_components') }}

),

component_sources as (

    select * from {{ ref('component_sources') }}

),

final as (

    select health_components.component_id
    from health_components
    anti join component_sources
        on health_components.component_id = component_sources.component_id

)

select * from final
