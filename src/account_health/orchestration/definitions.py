"""Dagster definitions: landing -> dbt models (dagster-dbt) -> Great Expectations checks -> publish, daily.

`dagster dev -m account_health.orchestration.definitions` loads `defs`. The dbt manifest is produced by
`dbt parse` when the definitions load, into a temporary target folder (never the checkout's `target/`),
so the graph always matches the models on disk and a read-only checkout still loads.

Asset keys: raw tables are `raw/<table>` (the landing multi-asset produces them and the dbt sources map
onto them), dbt models are `<schema>/<model>` (dagster-dbt's default), the serving database is
`serving/account_health`. dbt's data tests become asset checks (dagster-dbt does that); the Great
Expectations suites are one blocking check, so a failed expectation stops the publish asset.
"""

import json
import os
import sys
from collections import defaultdict
from collections.abc import Callable, Iterator, Mapping
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import dagster as dg
from dagster import AssetExecutionContext
from dagster_dbt import DagsterDbtTranslator, DbtCliResource, DbtProject, dbt_assets

from account_health import alerts, contract, pipeline, steps
from account_health import build as dbt_build
from account_health.paths import PROJECT_DIR, Paths

DAILY_CRON = "0 5 * * *"
SCHEDULE_ENV = "ACCOUNT_HEALTH_SCHEDULE"
SERVING_KEY = dg.AssetKey(["serving", "account_health"])
GX_CHECK_NAME = "great_expectations_suites"
AS_OF_TAG = "account_health/as_of"


class AccountHealthResource(dg.ConfigurableResource):
    """Where the data lives and which as-of date a run computes (empty = yesterday, for the daily run)."""

    data_dir: str
    as_of: str = ""
    config_dir: str = ""  # empty: <data dir>/config (account_health.config)

    def paths(self) -> Paths:
        config = Path(self.config_dir).resolve() if self.config_dir else None
        return Paths(Path(self.data_dir).resolve(), config)

    def run_as_of(self, context: Any = None) -> date:
        """The run's tag (set by the schedule) wins, then the configured date, then yesterday."""
        tagged = context.run.tags.get(AS_OF_TAG) if context is not None else None
        value = tagged or self.as_of
        if value:
            return datetime.strptime(value, "%Y-%m-%d").date()
        return date.today() - timedelta(days=1)


class AccountHealthTranslator(DagsterDbtTranslator):
    """dbt sources are the landed raw tables: key them `raw/<table>` so landing feeds them."""

    def get_asset_key(self, dbt_resource_props: Mapping[str, Any]) -> dg.AssetKey:
        if dbt_resource_props["resource_type"] == "source":
            return dg.AssetKey(["raw", dbt_resource_props.get("identifier") or dbt_resource_props["name"]])
        return super().get_asset_key(dbt_resource_props)

    def get_group_name(self, dbt_resource_props: Mapping[str, Any]) -> str | None:
        fqn = dbt_resource_props.get("fqn") or []
        if dbt_resource_props["resource_type"] == "seed":
            return "config"
        return fqn[1] if len(fqn) > 2 else "dbt"


def _landing_asset() -> dg.AssetsDefinition:
    specs = [
        dg.AssetSpec(["raw", name], group_name="landing", description=table.grain, kinds={"duckdb"})
        for name, table in contract.TABLES.items()
    ]

    @dg.multi_asset(specs=specs, name="land_raw_files", can_subset=False)
    def land_raw_files(
        context: AssetExecutionContext, account_health: AccountHealthResource
    ) -> Iterator[dg.MaterializeResult]:
        """Land every raw file under the raw contract; a rejected file fails the run before dbt."""
        from account_health.land import land
        from account_health.land.mapping import load_optional

        paths = account_health.paths()
        report = land(
            paths.raw_dir,
            paths.warehouse_path,
            quality_dir=paths.quality_dir,
            as_of=account_health.run_as_of(context),
            mapping=load_optional(paths.sources_mapping_path),
        )
        for warning in report.warnings:
            context.log.warning(warning)
        outcome = steps.landed(report)
        if not outcome.passed:
            raise dg.Failure(description=outcome.failure)
        loaded: dict[str, int] = defaultdict(int)
        quarantined: dict[str, int] = defaultdict(int)
        for result in report.files:
            loaded[result.table] += result.rows_loaded
            quarantined[result.table] += result.rows_quarantined
        context.log.info(
            f"landed {report.rows_loaded} rows, quarantined {report.rows_quarantined} "
            f"({report.files_loaded} files loaded, {report.files_skipped} already loaded)"
        )
        for name in contract.TABLES:
            yield dg.MaterializeResult(
                asset_key=dg.AssetKey(["raw", name]),
                metadata={"rows_loaded": loaded[name], "rows_quarantined": quarantined[name]},
            )

    return land_raw_files


def _mart_keys(manifest: Mapping[str, Any], translator: DagsterDbtTranslator) -> list[dg.AssetKey]:
    return [
        translator.get_asset_key(node)
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["config"].get("schema") == "marts"
    ]


def dbt_target(paths: Paths) -> Path:
    """The one target (and log) folder of the dbt commands Dagster runs on this data folder.

    One folder for both commands of a run (freshness, build) and for every run, not one per run: dbt keeps
    its parsed project there (partial_parse.msgpack) and re-parses only the files that changed, where a new
    folder costs a full parse of the project (about 20 s) per command. Runs on one data folder go one at a
    time (account_health.orchestration.home), so two never write it at once.
    """
    return paths.data_dir / "dbt" / "dagster"


def _dbt_assets(
    project: DbtProject, manifest_path: Path, translator: DagsterDbtTranslator
) -> dg.AssetsDefinition:
    @dbt_assets(manifest=manifest_path, project=project, dagster_dbt_translator=translator, name="dbt_models")
    def dbt_models(
        context: AssetExecutionContext, dbt: DbtCliResource, account_health: AccountHealthResource
    ) -> Iterator[Any]:
        """The build plan of `account-health build` (account_health.build.BuildPlan): source freshness of
        the provided tables (an error stops the run), then `dbt build` of the selected models."""
        paths = account_health.paths()
        target = dbt_target(paths)
        as_of = account_health.run_as_of(context)
        plan = dbt_build.build_plan(paths, as_of=as_of)
        if plan.blocked:
            error, problems = plan.blocked
            raise dg.Failure(description=error, metadata={"problems": "\n".join(problems)})
        if plan.sources.not_provided:
            context.log.info(f"not provided: {', '.join(plan.sources.not_provided)}")

        def as_of_environment(day: date):
            return dbt_build.dbt_environment({**paths.dbt_env(), **dbt_build.as_of_env(day)})

        with as_of_environment(as_of):
            if plan.freshness:
                freshness = dbt.cli(
                    plan.freshness,
                    manifest=manifest_path,
                    target_path=target,
                    raise_on_error=False,
                ).wait()
                if not freshness.is_successful():
                    raise dg.Failure(description=dbt_build.FRESHNESS_FAILED)
        # a long history first, in slices (their events are not the run's: each asset materializes once)
        for day in plan.catch_up:
            context.log.info(f"history slice: dbt build as of {day}")
            with as_of_environment(day):
                dbt.cli(plan.catch_up_build, manifest=manifest_path, target_path=target).wait()
        with as_of_environment(as_of):
            yield from dbt.cli(plan.build, context=context, target_path=target).stream()
        plan.passed(paths)

    return dbt_models


def _gx_check(anchor: dg.AssetKey, upstream: list[dg.AssetKey], validator: Callable[[Paths], Any]):
    @dg.asset_check(
        asset=anchor,
        name=GX_CHECK_NAME,
        blocking=True,
        additional_deps=[key for key in upstream if key != anchor],
        description="Great Expectations suites on raw, staging and marts; a failure blocks publish.",
    )
    def great_expectations_suites(account_health: AccountHealthResource) -> dg.AssetCheckResult:
        outcome = steps.validated(validator(account_health.paths()))
        return dg.AssetCheckResult(
            passed=outcome.passed,
            severity=dg.AssetCheckSeverity.ERROR,
            description=None if outcome.passed else outcome.message[:2000],
        )

    return great_expectations_suites


def _publish_asset(marts: list[dg.AssetKey]) -> dg.AssetsDefinition:
    @dg.asset(key=SERVING_KEY, deps=marts, group_name="serving", kinds={"duckdb"})
    def publish_serving(
        context: AssetExecutionContext, account_health: AccountHealthResource
    ) -> dg.MaterializeResult:
        """Write, audit and atomically swap the serving database BI tools read (marts only)."""
        from account_health.publish import publish

        result = publish(account_health.paths(), account_health.run_as_of(context))
        return dg.MaterializeResult(
            metadata={
                "run_id": result.run_id,
                "serving_path": str(result.serving_path),
                "tables": len(result.tables),
                "rows": sum(result.row_counts.values()),
            }
        )

    return publish_serving


def build_definitions(
    paths: Paths,
    *,
    as_of: date | None = None,
    validator: Callable[[Paths], Any] | None = None,
    target_dir: Path | None = None,
) -> dg.Definitions:
    """Definitions for one data folder. `validator` defaults to account_health.quality.validate.

    The project is parsed into `target_dir`, by default <data dir>/dbt/dagster-definitions: one folder
    per data folder (a reload re-parses only what changed), apart from the runs' (dbt_target), which a
    run may be writing while the code server reloads.
    """
    target = target_dir or paths.data_dir / "dbt" / "dagster-definitions"
    manifest_path = dbt_build.parse(paths, target)
    project = DbtProject(project_dir=PROJECT_DIR, profiles_dir=PROJECT_DIR, target_path=target)
    translator = AccountHealthTranslator()
    manifest = json.loads(manifest_path.read_text())
    marts = _mart_keys(manifest, translator)
    dbt_models = _dbt_assets(project, manifest_path, translator)

    checks = []
    validator = validator or pipeline.quality_validator()
    if validator is not None and marts:
        anchor = dg.AssetKey(["marts", "dim_accounts"])
        checks.append(_gx_check(anchor if anchor in marts else marts[0], marts, validator))

    job = dg.define_asset_job("daily_account_health", selection=dg.AssetSelection.all())

    @dg.schedule(
        job=job,
        cron_schedule=DAILY_CRON,
        execution_timezone="UTC",
        default_status=schedule_status(),
    )
    def daily_account_health_schedule(context: dg.ScheduleEvaluationContext) -> dg.RunRequest:
        """Every morning, compute the scores as of yesterday (the last complete day of data)."""
        scheduled = context.scheduled_execution_time.date() - timedelta(days=1)
        return dg.RunRequest(run_key=scheduled.isoformat(), tags={AS_OF_TAG: scheduled.isoformat()})

    @dg.sensor(name="band_change_alerts", minimum_interval_seconds=60, default_status=sensor_status())
    def band_change_alerts(
        context: dg.SensorEvaluationContext, account_health: AccountHealthResource
    ) -> dg.SkipReason:
        """After each publish, send the new band changes (account_health.alerts: the webhook in
        $ACCOUNT_HEALTH_ALERT_WEBHOOK, else <data dir>/alerts/band_changes.jsonl)."""
        cursor, sent = alerts.after_publish(account_health.paths(), context.cursor)
        context.update_cursor(cursor)
        if sent is None:
            return dg.SkipReason("nothing published since the last alert")
        return dg.SkipReason(
            f"{sent.changes} band changes sent to {sent.target}" if sent.changes else "no change"
        )

    return dg.Definitions(
        assets=[_landing_asset(), dbt_models, _publish_asset(marts)],
        asset_checks=checks,
        jobs=[job],
        schedules=[daily_account_health_schedule],
        sensors=[band_change_alerts],
        resources={
            "account_health": AccountHealthResource(
                data_dir=str(paths.data_dir), as_of=as_of.isoformat() if as_of else ""
            ),
            "dbt": DbtCliResource(project_dir=project, profiles_dir=str(PROJECT_DIR), dbt_executable=_dbt()),
        },
    )


def schedule_status() -> dg.DefaultScheduleStatus:
    """The daily schedule runs once Dagster's daemon is up (`account-health dagster`), unless
    ACCOUNT_HEALTH_SCHEDULE=stopped: a company that triggers runs itself turns it off there."""
    return dg.DefaultScheduleStatus.RUNNING if _automations_on() else dg.DefaultScheduleStatus.STOPPED


def sensor_status() -> dg.DefaultSensorStatus:
    """The band-change alert sensor follows the schedule's switch."""
    return dg.DefaultSensorStatus.RUNNING if _automations_on() else dg.DefaultSensorStatus.STOPPED


def _automations_on() -> bool:
    return os.environ.get(SCHEDULE_ENV, "running").strip().lower() != "stopped"


def _dbt() -> str:
    """The dbt beside this interpreter, so a venv works without being activated."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


@dg.definitions
def defs() -> dg.Definitions:
    return build_definitions(Paths.default())
