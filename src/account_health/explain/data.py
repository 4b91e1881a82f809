"""What `account-health explain` shows about one account on one day, read from the serving database."""

from __future__ import annotations

import csv
import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from account_health.config import PROJECT_SEEDS, seed_overrides
from account_health.paths import PROJECT_DIR, Paths
from account_health.serving import open_serving

COMPONENTS_SEED = Path("scorecard/health_components.csv")
HISTORY_DAYS = 90


class ExplainError(ValueError):
    """The account or day cannot be explained; the message is one line."""


@dataclass(frozen=True)
class Component:
    component_id: str
    label: str
    description: str
    pillar: str
    status: str  # used, unweighted, missing or stale
    raw_value: float | None
    score: Decimal | None
    normalised_weight: Decimal | None
    contribution: Decimal | None
    contribution_delta_30d: Decimal | None
    measured_on: dt.date | None
    pull: Decimal | None  # points above (+) or below (-) the neutral score this component moves the score


@dataclass(frozen=True)
class Explanation:
    account_id: str
    account_name: str
    segment: str
    csm_owner: str | None
    current_arr_usd: Decimal | None
    next_renewal_date: dt.date | None
    is_active_customer: bool
    score_date: dt.date
    health_score: Decimal | None
    health_band: str | None
    score_band: str | None
    band_set_by: str | None
    band_override_rules: str | None
    override_rules_fired: str | None
    band_entered_on: dt.date | None
    score_delta_30d: Decimal | None
    top_change_drivers: str | None
    recommended_action: str | None
    action_owner_role: str | None
    action_due_date: dt.date | None
    next_review_due_date: dt.date | None
    scorecard_version: str | None
    score_status: str | None
    history: list[tuple[dt.date, Decimal | None]]
    components: list[Component]

    @property
    def missing(self) -> list[Component]:
        return [component for component in self.components if component.status == "missing"]

    @property
    def unweighted(self) -> list[Component]:
        return [component for component in self.components if component.status == "unweighted"]

    @property
    def stale(self) -> list[Component]:
        return [component for component in self.components if component.status == "stale"]


def component_labels(config_dir: Path) -> dict[str, tuple[str, str]]:
    """component_id -> (label, description) from the health_components seed the build read."""
    path = seed_overrides(config_dir).get(COMPONENTS_SEED, PROJECT_SEEDS / COMPONENTS_SEED)
    with path.open(newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["component_id"]: (
            row.get("label") or row["component_id"].replace("_", " "),
            row.get("description") or "",
        )
        for row in rows
    }


_DAY = """
    select
        health.account_id, accounts.account_name, health.segment, accounts.csm_owner,
        accounts.current_arr_usd, accounts.next_renewal_date, accounts.is_active_customer, health.score_date,
        health.health_score, health.health_band, health.score_band, health.band_set_by,
        health.band_override_rules, health.override_rules_fired, health.band_entered_on,
        health.score_delta_30d, health.top_change_drivers, health.recommended_action,
        health.action_owner_role, health.action_due_date, health.next_review_due_date,
        health.scorecard_version, health.score_status
    from fct_account_health_daily as health
    inner join dim_accounts as accounts on health.account_id = accounts.account_id
    where health.account_id = $account_id and health.score_date = $day
"""

_COMPONENTS = """
    select
        component_id, pillar, component_status, raw_value, component_score, normalised_weight, contribution,
        contribution_delta_30d, measured_on,
        case
            when component_status = 'used'
                then cast(normalised_weight * (component_score - $neutral) as decimal(10, 4))
        end as pull
    from fct_account_health_drivers
    where account_id = $account_id and score_date = $day
    order by component_status = 'used' desc, abs(pull) desc nulls last, component_id
"""


def neutral_score() -> float:
    """The score where a component neither lifts nor lowers the score (dbt var health_neutral_score)."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text()) or {}
    return float((project.get("vars") or {}).get("health_neutral_score", 50))


def explain(paths: Paths, account_id: str, as_of: dt.date | None = None) -> Explanation:
    """The account on `as_of` (default: its latest scored day), with its last 90 days of scores."""
    with open_serving(
        paths,
        requires=["fct_account_health_daily", "fct_account_health_drivers", "dim_accounts"],
        error=ExplainError,
    ) as con:
        known = con.execute(
            "select max(score_date), min(score_date) from fct_account_health_daily where account_id = ?",
            [account_id],
        ).fetchone()
        if known[0] is None:
            raise ExplainError(f"no account {account_id!r} with health scores in {paths.serving_path}")
        day = as_of or known[0]
        if not known[1] <= day <= known[0]:
            raise ExplainError(f"{account_id} is scored from {known[1]} to {known[0]}, not on {day}")
        parameters = {"account_id": account_id, "day": day}
        row = con.execute(_DAY, parameters).fetchone()
        if row is None:
            raise ExplainError(f"{account_id} has no health row on {day} (not a customer that day)")
        history = con.execute(
            "select score_date, health_score from fct_account_health_daily "
            "where account_id = $account_id and score_date between $day - $days and $day order by score_date",
            {**parameters, "days": HISTORY_DAYS},
        ).fetchall()
        rows = con.execute(_COMPONENTS, {**parameters, "neutral": neutral_score()}).fetchall()
    labels = component_labels(paths.config_dir)
    components = [
        # the query's columns after the id are the Component's fields after label and description
        Component(found[0], *labels.get(found[0], (found[0].replace("_", " "), "")), *found[1:])
        for found in rows
    ]
    return Explanation(*row, history=history, components=components)
