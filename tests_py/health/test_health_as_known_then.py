"""A past day rebuilt from the data as it was known that day gives the same value for every component.

The full build scores D with everything landed since (subscriptions that ended later, cases resolved
later, opportunities closed later); the as-known build sees only what existed on D: rows created after D
are gone, and what happened to the rest after D (an end date, a resolution, a close) is not yet known.
Every component's raw value on D must agree. days_to_renewal in particular must read the contracted
term end (known from the start), not the actual end date (known only once the line ends).
"""

from __future__ import annotations

import datetime as dt
import shutil

import duckdb
from _health_build import AS_OF, build_health, read

from account_health.paths import PROJECT_DIR, Paths

D = dt.date(2026, 6, 30)
END = f"timestamp '{D + dt.timedelta(days=1)}'"  # the first moment after D

# what was known on D: rows that did not exist yet are dropped, later facts about older rows are unset
AS_KNOWN_ON_D = [
    f"delete from raw.accounts where customer_since > date '{D}'",
    f"delete from raw.contacts where created_at >= {END}",
    f"delete from raw.opportunities where created_at >= {END}",
    f"update raw.opportunities set closed_at = null, is_won = null, stage = 'negotiation' "
    f"where closed_at >= {END}",
    f"delete from raw.subscriptions where start_date > date '{D}'",
    f"update raw.subscriptions set end_date = null where end_date > date '{D}'",
    f"delete from raw.users where provisioned_at >= {END}",
    f"update raw.users set deactivated_at = null where deactivated_at >= {END}",
    f"delete from raw.usage_events where occurred_at >= {END}",
    f"delete from raw.integrations where enabled_at >= {END}",
    f"update raw.integrations set disabled_at = null where disabled_at >= {END}",
    f"delete from raw.support_cases where created_at >= {END}",
    f"update raw.support_cases set first_response_at = null where first_response_at >= {END}",
    f"update raw.support_cases set resolved_at = null, csat = null where resolved_at >= {END}",
    f"delete from raw.survey_responses where responded_at >= {END}",
    f"delete from raw.referrals where referred_at >= {END}",
    f"delete from raw.downtime_incidents where started_at >= {END}",
    f"update raw.downtime_incidents set ended_at = null where ended_at >= {END}",
    f"delete from raw.csm_assessments where assessed_at >= {END}",
    f"delete from raw.csm_activities where occurred_at >= {END}",
    f"update raw.success_goals set achieved_at = null, achieved_value = null, status = 'open' "
    f"where achieved_at >= {END}",
    f"delete from raw.wallet_estimates where as_of > date '{D}'",
]

COMPONENTS_ON_D = f"""
    select account_id, component_id, raw_value, component_status
    from intermediate.int_health_components_scored
    where score_date = date '{D}'
    order by account_id, component_id
"""


def test_a_past_day_rebuilt_from_what_was_known_then_has_the_same_components(
    built_from_scratch: Paths, tmp_path
) -> None:
    # the full build as of AS_OF: the session's (conftest.py), from the same landed data
    full = read(built_from_scratch, COMPONENTS_ON_D)
    assert full, "no health rows on D in the full build"

    then = Paths(tmp_path / "data")
    then.warehouse_path.parent.mkdir(parents=True)
    shutil.copy(built_from_scratch.warehouse_path, then.warehouse_path)
    with duckdb.connect(str(then.warehouse_path)) as con:
        for statement in AS_KNOWN_ON_D:
            con.execute(statement)
        ended_later = con.execute(
            "select count(*) from raw.subscriptions "
            f"where end_date is null and term_end_date <= date '{AS_OF}'"
        ).fetchone()[0]
    assert ended_later > 0, "the fixture must hold lines whose end was only learned after D"
    build_health(PROJECT_DIR, then, D, "--full-refresh")
    as_known = read(then, COMPONENTS_ON_D)

    differences = sorted(set(full) ^ set(as_known))
    assert differences == [], f"{len(differences)} component values differ, e.g. {differences[:6]}"
    renewal = [row for row in as_known if row[1] == "days_to_renewal" and row[2] is not None]
    assert renewal, "days_to_renewal was never measured on D"
