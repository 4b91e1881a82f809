"""Generator invariants on the `tiny` tier: contract shape, determinism, time window, catalog, and that the
latent health actually drives the signals (with noise)."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from account_health.contract import GENERATED_TABLES, TABLES
from account_health.generate import SCALES, generate
from account_health.paths import PROJECT_DIR

AS_OF = dt.date(2026, 10, 31)  # the same as-of as the `tiny` fixture
#: What the generator writes: every contract table but the company-only ones (churn_events).
GENERATED = {name: TABLES[name] for name in GENERATED_TABLES}

DUCKDB_TYPES = {
    "varchar": "VARCHAR",
    "integer": "INTEGER",
    "boolean": "BOOLEAN",
    "date": "DATE",
    "timestamp": "TIMESTAMP",
    "double": "DOUBLE",
    "decimal(18,2)": "DECIMAL(18,2)",
}


def _checksums(root: Path) -> dict[str, str]:
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def _reader(path: Path) -> str:
    files = f"'{path}/*'"
    table = TABLES[path.name]
    if table.file_format == "parquet":
        return f"read_parquet({files})"
    columns = "{" + ", ".join(f"'{c.name}': '{c.type}'" for c in table.columns) + "}"
    if table.file_format == "json":
        return f"read_json({files}, format = 'newline_delimited', columns = {columns})"
    return f"read_csv({files}, header = true, columns = {columns})"


@pytest.fixture(scope="module")
def con(tiny: tuple[Path, Path, dict[str, int]]) -> duckdb.DuckDBPyConnection:
    raw, truth, _ = tiny
    connection = duckdb.connect()
    for name in GENERATED:
        connection.execute(f"create view {name} as select * from {_reader(raw / name)}")
    for name in ("latent_health", "outcomes", "survey_waves"):
        connection.execute(
            f"create view truth_{name} as select * from read_parquet('{truth / name}.parquet')"
        )
    return connection


def test_scales_are_named_tiers() -> None:
    assert {"tiny", "demo", "large"} <= set(SCALES)
    assert SCALES["large"].n_accounts == 10_000


def test_medium_is_a_tenth_of_large_at_its_intensities() -> None:
    """The bench reads growth from `medium` to `large` as cost per event: only the size may differ."""
    medium, large = SCALES["medium"], SCALES["large"]
    assert medium.n_accounts * 10 == large.n_accounts == 10_000
    assert replace(medium, name="large", n_accounts=large.n_accounts) == large


def test_same_seed_and_as_of_give_identical_files(tiny, tmp_path: Path) -> None:
    raw, truth, rows = tiny
    again = generate(tmp_path / "raw", tmp_path / "truth", scale="tiny", seed=42, as_of=AS_OF)
    assert again == rows
    assert _checksums(tmp_path / "raw") == _checksums(raw)
    assert _checksums(tmp_path / "truth") == _checksums(truth)


def test_months_sets_the_history_ending_with_the_as_of_month(tmp_path: Path) -> None:
    """The bench's history doubling: `months` replaces the tier's window, which still ends at as-of."""
    generate(tmp_path / "raw", tmp_path / "truth", scale="tiny", seed=42, as_of=AS_OF, months=3)
    events = sorted(path.name for path in (tmp_path / "raw" / "usage_events").iterdir())
    assert events == [f"usage_events_2026_{month:02d}.parquet" for month in (8, 9, 10)]
    first, last = duckdb.sql(
        f"select min(occurred_at)::date, max(occurred_at)::date "
        f"from read_parquet('{tmp_path}/raw/usage_events/*.parquet')"
    ).fetchone()
    assert dt.date(2026, 8, 1) <= first < dt.date(2026, 8, 8) and last <= AS_OF
    with pytest.raises(ValueError, match="months must be at least 1"):
        generate(tmp_path / "raw0", tmp_path / "truth0", scale="tiny", seed=42, as_of=AS_OF, months=0)


def test_another_seed_gives_other_data(tiny, tmp_path: Path) -> None:
    raw, _, _ = tiny
    generate(tmp_path / "raw", tmp_path / "truth", scale="tiny", seed=7, as_of=AS_OF)
    assert _checksums(tmp_path / "raw") != _checksums(raw)


def test_every_contract_table_is_written_in_its_format(tiny) -> None:
    raw, _, rows = tiny
    assert set(rows) == set(GENERATED)
    for name, table in GENERATED.items():
        files = list((raw / name).iterdir())
        assert files, name
        assert {path.suffix for path in files} == {f".{table.file_format}"}, name
        assert rows[name] > 0, name
    events = sorted(path.name for path in (raw / "usage_events").iterdir())
    assert len(events) == SCALES["tiny"].n_months
    assert events[-1] == "usage_events_2026_10.parquet"


def test_columns_and_types_match_the_contract(tiny, con) -> None:
    raw, _, rows = tiny
    for name, table in GENERATED.items():
        described = con.execute(f"describe {name}").fetchall()
        assert [(row[0], row[1]) for row in described] == [
            (c.name, DUCKDB_TYPES[c.type]) for c in table.columns
        ], name
        assert con.execute(f"select count(*) from {name}").fetchone()[0] == rows[name]
    # the CSV header and the JSON keys are exactly the contract's columns, in order
    header = (raw / "accounts" / "accounts.csv").read_text().splitlines()[0]
    assert header.split(",") == TABLES["accounts"].column_names


def test_keys_are_unique_and_required_columns_filled(con) -> None:
    for name, table in GENERATED.items():
        keys = ", ".join(table.key)
        dupes = con.execute(
            f"select count(*) from (select {keys} from {name} group by all having count(*) > 1)"
        )
        assert dupes.fetchone()[0] == 0, name
        for column in table.required_columns:
            nulls = con.execute(f"select count(*) from {name} where {column} is null").fetchone()[0]
            assert nulls == 0, f"{name}.{column}"
        for column in table.columns:
            if column.accepted:
                values = {r[0] for r in con.execute(f"select distinct {column.name} from {name}").fetchall()}
                assert values - {None} <= set(column.accepted), f"{name}.{column.name}"
        for check in table.checks:
            broken = con.execute(f"select count(*) from {name} where not ({check.sql})").fetchone()[0]
            assert broken == 0, f"{name}: {check.reason}"


def test_nothing_happens_after_as_of(con) -> None:
    limit = f"timestamp '{AS_OF} 23:59:59'"
    timestamps = {
        "usage_events": ["occurred_at"],
        "users": ["provisioned_at", "deactivated_at"],
        "support_cases": ["created_at", "first_response_at", "resolved_at"],
        "survey_responses": ["responded_at"],
        "csm_assessments": ["assessed_at"],
        "csm_activities": ["occurred_at"],
        "downtime_incidents": ["started_at", "ended_at"],
        "integrations": ["enabled_at", "disabled_at"],
        "referrals": ["referred_at"],
        "opportunities": ["created_at", "closed_at"],
        "contacts": ["created_at"],
        "subscriptions": ["start_date", "end_date"],
        "accounts": ["customer_since"],
        "success_goals": ["achieved_at"],
    }
    for name, columns in timestamps.items():
        for column in columns:
            late = con.execute(f"select count(*) from {name} where {column} > {limit}").fetchone()[0]
            assert late == 0, f"{name}.{column}"
    first = con.execute("select min(occurred_at)::date from usage_events").fetchone()[0]
    assert str(first) >= "2025-05-01"


def test_events_only_for_owned_products_and_catalog_features(con) -> None:
    catalog = f"read_csv('{PROJECT_DIR / 'seeds/catalog/product_features.csv'}')"
    unknown = con.execute(
        f"""
        select count(*) from usage_events
        anti join {catalog} as features
            on features.product_id = usage_events.product_id and features.feature = usage_events.feature
        """
    ).fetchone()[0]
    assert unknown == 0
    unowned = con.execute(
        """
        select count(*) from usage_events
        where not exists (
            select 1 from subscriptions
            where subscriptions.account_id = usage_events.account_id
                and subscriptions.product_id = usage_events.product_id
                and subscriptions.start_date <= usage_events.occurred_at::date
                and coalesce(subscriptions.end_date, date '9999-01-01') > usage_events.occurred_at::date
        )
        """
    ).fetchone()[0]
    assert unowned == 0
    outside_user_life = con.execute(
        """
        select count(*) from usage_events
        inner join users on users.user_id = usage_events.user_id
        where usage_events.account_id <> users.account_id
            or usage_events.occurred_at < users.provisioned_at
            or usage_events.occurred_at >= coalesce(users.deactivated_at, timestamp '9999-01-01')
        """
    ).fetchone()[0]
    assert outside_user_life == 0


def test_weekdays_busier_than_weekends(con) -> None:
    weekday, weekend = con.execute(
        """
        select
            count(*) filter (where dayofweek(occurred_at) between 1 and 5) / 5,
            count(*) filter (where dayofweek(occurred_at) in (0, 6)) / 2
        from usage_events
        """
    ).fetchone()
    assert weekday > 2 * weekend


def test_survey_response_rate_is_plausible(con) -> None:
    rate = con.execute("select sum(responses) / sum(contacts_invited) from truth_survey_waves").fetchone()[0]
    assert 0.15 <= rate <= 0.35
    responses = con.execute("select count(*) from survey_responses").fetchone()[0]
    assert responses == con.execute("select sum(responses) from truth_survey_waves").fetchone()[0]


def test_latent_health_drives_usage(con) -> None:
    """Events per provisioned user in an account-month rise with latent health (rank correlation > 0)."""
    rho = con.execute(
        """
        with events as (
            select account_id, date_trunc('month', occurred_at) as month, count(*) as n
            from usage_events group by all
        ),
        active_users as (
            select truth_latent_health.account_id, truth_latent_health.month, count(users.user_id) as n_users
            from truth_latent_health
            inner join users on users.account_id = truth_latent_health.account_id
                and users.provisioned_at < truth_latent_health.month + interval 1 month
                and coalesce(users.deactivated_at, timestamp '9999-01-01') > truth_latent_health.month
            group by all
        ),
        ranked as (
            select
                rank() over (order by truth_latent_health.latent_health) as health_rank,
                rank() over (order by coalesce(events.n, 0) / active_users.n_users) as usage_rank
            from truth_latent_health
            inner join active_users using (account_id, month)
            left join events using (account_id, month)
        )
        select corr(health_rank, usage_rank) from ranked
        """
    ).fetchone()[0]
    assert rho > 0.1


def test_unhealthy_accounts_churn_more_and_some_churn_is_unrelated(con) -> None:
    reasons = dict(
        con.execute(
            "select reason, count(*) from truth_outcomes where outcome = 'churn' group by 1"
        ).fetchall()
    )
    assert reasons.get("unrelated_to_health", 0) > 0
    churned, renewed = con.execute(
        """
        select
            avg(latent_health_score) filter (where outcome = 'churn' and reason = 'health_driven'),
            avg(latent_health_score) filter (where outcome in ('flat', 'expansion') and reason = 'renewal')
        from truth_outcomes
        """
    ).fetchone()
    assert churned < renewed
    # a churned account has no open subscription left
    open_after_churn = con.execute(
        """
        select count(*) from truth_outcomes
        inner join subscriptions using (account_id)
        where truth_outcomes.outcome = 'churn'
            and (subscriptions.end_date is null or subscriptions.end_date > truth_outcomes.event_date::date)
        """
    ).fetchone()[0]
    assert open_after_churn == 0


def test_ground_truth_is_not_in_the_raw_folder(tiny, tmp_path: Path) -> None:
    raw, truth, _ = tiny
    assert not any(
        path.suffix == ".parquet" and path.stem in {"latent_health", "outcomes"} for path in raw.rglob("*")
    )
    assert {path.name for path in truth.iterdir()} >= {"latent_health.parquet", "outcomes.parquet"}
    with pytest.raises(ValueError, match="ground truth"):
        generate(tmp_path / "raw", tmp_path / "raw" / "truth", scale="tiny", as_of=AS_OF)


def test_shapes_of_accounts_and_contacts(con) -> None:
    sizes = dict(con.execute("select segment, median(employee_count) from accounts group by 1").fetchall())
    assert sizes["enterprise"] > sizes["mid_market"] > sizes["smb"]
    assert con.execute("select count(*) from accounts where is_test").fetchone()[0] >= 1
    assert con.execute("select count(*) from accounts where parent_account_id is not null").fetchone()[0] >= 0
    filled, blank = con.execute("select count(persona), count(*) - count(persona) from contacts").fetchone()
    assert 0 < filled < blank
    stages_of_tenure = con.execute(
        f"select count(*) filter (where customer_since >= date '{AS_OF}' - interval 18 month), count(*) "
        "from accounts"
    ).fetchone()
    assert 0 < stages_of_tenure[0] < stages_of_tenure[1]
    kinds = {r[0] for r in con.execute("select distinct provisioning from users").fetchall()}
    assert kinds == {"mandated", "self_serve"}
