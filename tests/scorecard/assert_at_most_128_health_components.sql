{#
    int_health_scores_aggregated_to_account_day lists a day's used, missing and stale components as
    one bit per registered component in a 128-bit integer (an aggregate DuckDB can spill); a 129th
    component would have no bit. Returns a row when the registry outgrows it.
#}

select count(*) as registered_components
from {{ ref('health_components') }}
having count(*) > 128
