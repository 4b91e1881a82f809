"""The raw contract (DECISIONLOG.md#raw-contract): one place that says what each landed table must look like.

The generator writes to it, landing enforces it, the raw Great Expectations suite checks it and the dbt
sources mirror it. A change to a raw table starts here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LINEAGE_COLUMNS: dict[str, str] = {
    "_load_id": "varchar",
    "_source_file": "varchar",
    "_loaded_at": "timestamp",
}

SEGMENTS = ("enterprise", "mid_market", "smb")
PERSONAS = ("executive_sponsor", "economic_buyer", "champion", "admin", "end_user")
OPPORTUNITY_TYPES = ("new_business", "renewal", "expansion", "cross_sell")
OPPORTUNITY_STAGES = ("prospecting", "qualification", "proposal", "negotiation", "closed_won", "closed_lost")
PROVISIONING = ("mandated", "self_serve")
PRIORITIES = ("p1", "p2", "p3", "p4")
SURVEY_TYPES = ("nps", "csat", "success_check")
REFERRAL_OUTCOMES = ("pending", "won", "lost")
SEVERITIES = ("minor", "major", "critical")
SUCCESS_FACTORS = (
    "partner_not_vendor",
    "executive_relationships",
    "business_value",
    "required_resources",
    "technical_debt",
    "right_product",
)
ACTIVITY_TYPES = (
    "onboarding_session",
    "training",
    "check_in",
    "qbr",
    "exec_briefing",
    "escalation_call",
)
GOAL_STATUSES = ("open", "achieved", "missed", "abandoned")


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    accepted: tuple[str, ...] = ()
    description: str = ""


@dataclass(frozen=True)
class Check:
    """A row-level rule over the typed columns; rows failing it are quarantined with `reason`."""

    sql: str
    reason: str


@dataclass(frozen=True)
class Table:
    name: str
    grain: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    file_format: str  # what the generator writes: csv, json (newline-delimited) or parquet
    checks: tuple[Check, ...] = field(default_factory=tuple)
    loaded_at_field: str = "_loaded_at"
    #: False for a table only a company can provide (churn_events): the generator never writes it.
    generated: bool = True

    @property
    def column_names(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def required_columns(self) -> list[str]:
        return [column.name for column in self.columns if column.required]


def _c(name: str, type_: str, required: bool = False, accepted: tuple[str, ...] = ()) -> Column:
    return Column(name=name, type=type_, required=required, accepted=accepted)


TABLES: dict[str, Table] = {
    table.name: table
    for table in (
        Table(
            name="accounts",
            grain="One row per customer account.",
            columns=(
                _c("account_id", "varchar", True),
                _c("account_name", "varchar", True),
                _c("parent_account_id", "varchar"),
                _c("segment", "varchar", True, SEGMENTS),
                _c("industry", "varchar"),
                _c("region", "varchar"),
                _c("employee_count", "integer"),
                _c("customer_since", "date", True),
                _c("csm_owner", "varchar"),
                _c("is_test", "boolean", True),
            ),
            key=("account_id",),
            file_format="csv",
            checks=(Check("employee_count is null or employee_count >= 0", "negative employee_count"),),
        ),
        Table(
            name="contacts",
            grain="One row per person at a customer.",
            columns=(
                _c("contact_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("email", "varchar"),
                _c("full_name", "varchar"),
                _c("title", "varchar"),
                _c("department", "varchar"),
                _c("persona", "varchar", False, PERSONAS),
                _c("created_at", "timestamp", True),
            ),
            key=("contact_id",),
            file_format="json",
        ),
        Table(
            name="opportunities",
            grain="One row per CRM opportunity.",
            columns=(
                _c("opportunity_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("opportunity_type", "varchar", True, OPPORTUNITY_TYPES),
                _c("product_id", "varchar"),
                _c("stage", "varchar", True, OPPORTUNITY_STAGES),
                _c("amount", "decimal(18,2)"),
                _c("created_at", "timestamp", True),
                _c("closed_at", "timestamp"),
                _c("is_won", "boolean"),
            ),
            key=("opportunity_id",),
            file_format="csv",
            checks=(
                Check("amount is null or amount >= 0", "negative amount"),
                Check("closed_at is null or closed_at >= created_at", "closed_at before created_at"),
            ),
        ),
        Table(
            name="subscriptions",
            grain="One row per license line item over a period.",
            columns=(
                _c("subscription_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("product_id", "varchar", True),
                _c("seats", "integer", True),
                _c("mrr", "decimal(18,2)", True),
                _c("start_date", "date", True),
                _c("term_end_date", "date"),
                _c("end_date", "date"),
            ),
            key=("subscription_id",),
            file_format="csv",
            checks=(
                Check("seats >= 0", "negative seats"),
                Check("mrr >= 0", "negative mrr"),
                Check("end_date is null or end_date > start_date", "end_date not after start_date"),
                Check(
                    "term_end_date is null or term_end_date > start_date",
                    "term_end_date not after start_date",
                ),
            ),
        ),
        Table(
            name="users",
            grain="One row per product user.",
            columns=(
                _c("user_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("contact_id", "varchar"),
                _c("provisioned_at", "timestamp", True),
                _c("provisioning", "varchar", True, PROVISIONING),
                _c("role", "varchar"),
                _c("deactivated_at", "timestamp"),
            ),
            key=("user_id",),
            file_format="csv",
            checks=(
                Check(
                    "deactivated_at is null or deactivated_at >= provisioned_at",
                    "deactivated_at before provisioned_at",
                ),
            ),
        ),
        Table(
            name="usage_events",
            grain="One row per product event.",
            columns=(
                _c("event_id", "varchar", True),
                # optional: an account-level usage export has no user (DECISIONLOG "Optional columns")
                _c("user_id", "varchar"),
                _c("account_id", "varchar", True),
                _c("product_id", "varchar", True),
                _c("feature", "varchar", True),
                _c("event_name", "varchar"),
                _c("occurred_at", "timestamp", True),
                _c("session_id", "varchar"),
            ),
            key=("event_id",),
            file_format="parquet",
        ),
        Table(
            name="integrations",
            grain="One row per integration switched on.",
            columns=(
                _c("integration_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("product_id", "varchar"),
                _c("integration_type", "varchar", True),
                _c("enabled_at", "timestamp", True),
                _c("disabled_at", "timestamp"),
            ),
            key=("integration_id",),
            file_format="csv",
            checks=(
                Check("disabled_at is null or disabled_at >= enabled_at", "disabled_at before enabled_at"),
            ),
        ),
        Table(
            name="support_cases",
            grain="One row per support case.",
            columns=(
                _c("case_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("contact_id", "varchar"),
                _c("product_id", "varchar"),
                _c("created_at", "timestamp", True),
                _c("first_response_at", "timestamp"),
                _c("resolved_at", "timestamp"),
                _c("priority", "varchar", True, PRIORITIES),
                _c("category", "varchar"),
                _c("is_escalated", "boolean"),
                _c("csat", "integer"),
            ),
            key=("case_id",),
            file_format="json",
            checks=(
                Check("csat is null or csat between 1 and 5", "csat outside 1-5"),
                Check("resolved_at is null or resolved_at >= created_at", "resolved_at before created_at"),
            ),
        ),
        Table(
            name="survey_responses",
            grain="One row per survey answer.",
            columns=(
                _c("response_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("contact_id", "varchar"),
                _c("survey_type", "varchar", True, SURVEY_TYPES),
                _c("score", "integer", True),
                _c("responded_at", "timestamp", True),
                _c("comment", "varchar"),
            ),
            key=("response_id",),
            file_format="json",
            checks=(
                Check(
                    "survey_type <> 'nps' or score between 0 and 10",
                    "nps score outside 0-10",
                ),
                Check(
                    "survey_type not in ('csat', 'success_check') or score between 1 and 5",
                    "csat or success_check score outside 1-5",
                ),
            ),
        ),
        Table(
            name="referrals",
            grain="One row per peer recommendation.",
            columns=(
                _c("referral_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("contact_id", "varchar"),
                _c("referred_company", "varchar"),
                _c("referred_at", "timestamp", True),
                _c("outcome", "varchar", False, REFERRAL_OUTCOMES),
            ),
            key=("referral_id",),
            file_format="csv",
        ),
        Table(
            name="downtime_incidents",
            grain="One row per outage or equipment downtime.",
            columns=(
                _c("incident_id", "varchar", True),
                _c("account_id", "varchar"),
                _c("product_id", "varchar", True),
                _c("started_at", "timestamp", True),
                _c("ended_at", "timestamp"),
                _c("severity", "varchar", True, SEVERITIES),
            ),
            key=("incident_id",),
            file_format="csv",
            checks=(Check("ended_at is null or ended_at >= started_at", "ended_at before started_at"),),
        ),
        Table(
            name="csm_assessments",
            grain="One row per qualitative rating of one critical success factor.",
            columns=(
                _c("assessment_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("factor", "varchar", True, SUCCESS_FACTORS),
                _c("rating", "integer", True),
                _c("assessed_at", "timestamp", True),
                _c("assessed_by", "varchar"),
                _c("note", "varchar"),
            ),
            key=("assessment_id",),
            file_format="json",
            checks=(Check("rating between 1 and 5", "rating outside 1-5"),),
        ),
        Table(
            name="csm_activities",
            grain="One row per CS or sales touchpoint.",
            columns=(
                _c("activity_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("contact_id", "varchar"),
                _c("activity_type", "varchar", True, ACTIVITY_TYPES),
                _c("occurred_at", "timestamp", True),
            ),
            key=("activity_id",),
            file_format="csv",
        ),
        Table(
            name="success_goals",
            grain="One row per agreed business outcome.",
            columns=(
                _c("goal_id", "varchar", True),
                _c("account_id", "varchar", True),
                _c("goal", "varchar", True),
                _c("target_value", "double"),
                _c("achieved_value", "double"),
                _c("due_at", "date"),
                _c("achieved_at", "date"),
                _c("status", "varchar", True, GOAL_STATUSES),
            ),
            key=("goal_id",),
            file_format="csv",
        ),
        Table(
            name="wallet_estimates",
            grain="One row per account, estimate date and spend category.",
            columns=(
                _c("account_id", "varchar", True),
                _c("as_of", "date", True),
                _c("category", "varchar", True),
                _c("total_category_spend", "decimal(18,2)", True),
                _c("main_competitor", "varchar"),
            ),
            key=("account_id", "as_of", "category"),
            file_format="csv",
            checks=(Check("total_category_spend >= 0", "negative total_category_spend"),),
        ),
        Table(
            name="churn_events",
            grain="One row per churn (or reactivation) of an account as the company records it.",
            columns=(
                _c("account_id", "varchar", True),
                _c("churned_at", "date", True),
                _c("reason", "varchar"),
                _c("is_reactivation", "boolean"),
            ),
            key=("account_id", "churned_at"),
            file_format="csv",
            generated=False,
        ),
    )
}


#: The tables the synthetic generator writes (every contract table but the company-only ones).
GENERATED_TABLES: tuple[str, ...] = tuple(name for name, table in TABLES.items() if table.generated)


def raw_table_ddl(table: Table, schema: str = "raw") -> str:
    """`create table` for a raw table: contract columns (nullable: quarantine enforces them) + lineage."""
    columns = [f"{column.name} {column.type}" for column in table.columns]
    columns += [f"{name} {type_}" for name, type_ in LINEAGE_COLUMNS.items()]
    body = ",\n    ".join(columns)
    return f"create table if not exists {schema}.{table.name} (\n    {body}\n)"
