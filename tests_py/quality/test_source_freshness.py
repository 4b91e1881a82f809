"""`dbt source freshness` for real on a tiny landed warehouse: a stale source warns, a staler one errors.

The thresholds are the dbt vars `source_freshness_warn_after_hours` / `source_freshness_error_after_hours`
(dbt_project.yml, 36 and 72 hours), which every `_<source>__sources.yml` reads; the test ages the landed
`_loaded_at` of two tables and checks the status dbt gives each source, then overrides the vars to show the
thresholds come from config.
"""

from __future__ import annotations

import json

import duckdb

from account_health.build import dbt_dirs, invoke
from account_health.land import land
from account_health.paths import Paths

ACCOUNTS = (
    "account_id,account_name,parent_account_id,segment,industry,region,employee_count,customer_since,"
    "csm_owner,is_test\nA1,One,,smb,software,emea,50,2024-01-15,csm_1,false\n"
)
SUBSCRIPTIONS = (
    "subscription_id,account_id,product_id,seats,mrr,start_date,end_date\nS1,A1,core,3,10,2025-01-01,\n"
)
USERS = (
    "user_id,account_id,contact_id,provisioned_at,provisioning,role,deactivated_at\n"
    "U1,A1,,2025-01-02 10:00:00,mandated,member,\n"
)
SELECTED = ["source:crm.accounts", "source:licensing.subscriptions", "source:product.users"]


def _freshness(paths: Paths, vars_: dict[str, int] | None = None) -> tuple[bool, dict[str, str]]:
    command = ["source", "freshness", "--select", *SELECTED]
    if vars_:
        command += ["--vars", json.dumps(vars_)]
    step = invoke(paths, command)
    target, _ = dbt_dirs(paths)
    results = json.loads((target / "sources.json").read_text())["results"]
    statuses = {
        result["unique_id"].removeprefix("source.account_health."): result["status"] for result in results
    }
    return step.success, statuses


def test_stale_sources_warn_then_error_with_thresholds_from_vars(paths: Paths):
    for table, text in (("accounts", ACCOUNTS), ("subscriptions", SUBSCRIPTIONS), ("users", USERS)):
        (paths.raw_dir / table).mkdir(parents=True)
        (paths.raw_dir / table / f"{table}.csv").write_text(text)
    report = land(paths.raw_dir, paths.warehouse_path)
    assert report.ok and report.rows_loaded == 3
    with duckdb.connect(str(paths.warehouse_path)) as con:
        # users stay fresh; accounts landed 40 hours ago (> 36: warn), subscriptions 80 (> 72: error)
        con.execute("update raw.accounts set _loaded_at = _loaded_at - interval 40 hour")
        con.execute("update raw.subscriptions set _loaded_at = _loaded_at - interval 80 hour")

    success, statuses = _freshness(paths)
    assert statuses == {
        "crm.accounts": "warn",
        "licensing.subscriptions": "error",
        "product.users": "pass",
    }
    assert not success  # an error-level stale source fails the command (and so the build step)

    # tighter thresholds from config: the 40-hour-old accounts now error too
    success, statuses = _freshness(
        paths, {"source_freshness_warn_after_hours": 20, "source_freshness_error_after_hours": 30}
    )
    assert statuses == {"crm.accounts": "error", "licensing.subscriptions": "error", "product.users": "pass"}
