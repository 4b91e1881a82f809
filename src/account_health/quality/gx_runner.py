"""Great Expectations plumbing shared by the raw, staging and mart suites.

GX's SQL datasource on DuckDB is broken upstream (every expectation fails with an IndexError), so every
suite here runs on a pandas DataFrame that the caller fetched from DuckDB. One `GxRunner` wraps one File
Data Context under `<quality_dir>/gx`; build it once per run (the import alone costs seconds, the context
about 0.1 s) and reuse it for every batch. Results go to `<quality_dir>/<layer>/<batch>.json` as plain
JSON (easy to diff and to read from tests or the CLI) and into GX's own results store, from which
`build_docs` renders Data Docs HTML under `<quality_dir>/data_docs/`.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Iterable

    import pandas as pd
    from great_expectations import ExpectationSuite
    from great_expectations.expectations import Expectation

DOCS_SITE = "local_site"


@dataclass(frozen=True)
class ExpectationFailure:
    """One failed expectation, in words a person can act on."""

    expectation: str
    column: str | None
    detail: str

    def __str__(self) -> str:
        where = f" on {self.column}" if self.column else ""
        return f"{self.expectation}{where}: {self.detail}"


@dataclass(frozen=True)
class SuiteOutcome:
    """The result of running one suite on one batch."""

    suite_name: str
    batch_name: str
    success: bool
    evaluated: int
    failures: list[ExpectationFailure] = field(default_factory=list)
    result_path: Path | None = None
    seconds: float = 0.0

    def summary(self) -> str:
        if self.success:
            return f"{self.suite_name}: {self.evaluated} expectations passed"
        return f"{self.suite_name} failed: " + "; ".join(str(failure) for failure in self.failures)


def _safe_name(name: str) -> str:
    """A file-system and GX-name safe version of `name` (batch names can come from hostile file names)."""
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("._") or "batch"


class GxRunner:
    """A File Data Context under `quality_dir/gx` that validates DataFrames against suites."""

    def __init__(self, quality_dir: Path) -> None:
        os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
        started = time.perf_counter()
        import great_expectations as gx
        from great_expectations.data_context.types.base import ProgressBarsConfig

        self._gx = gx
        self.quality_dir = Path(quality_dir)
        self.docs_dir = self.quality_dir / "data_docs"
        self.quality_dir.mkdir(parents=True, exist_ok=True)
        self.context = gx.get_context(mode="file", project_root_dir=str(self.quality_dir))
        variables = self.context.variables
        changed = False
        if self.context.config.analytics_enabled is not False:
            self.context.config.analytics_enabled = False
            changed = True
        bars = variables.progress_bars
        enabled = bars.get("globally", True) if isinstance(bars, dict) else getattr(bars, "globally", True)
        if bars is None or enabled:
            variables.progress_bars = ProgressBarsConfig(globally=False, metric_calculations=False)
            changed = True
        site = {
            "class_name": "SiteBuilder",
            "show_how_to_buttons": False,
            "store_backend": {
                "class_name": "TupleFilesystemStoreBackend",
                "base_directory": str(self.docs_dir) + "/",
            },
            "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
        }
        if (variables.data_docs_sites or {}) != {DOCS_SITE: site}:
            variables.data_docs_sites = {DOCS_SITE: site}
            changed = True
        if changed:
            variables.save()
        self._suites: dict[str, Any] = {}
        self._batch_definitions: dict[str, Any] = {}
        self._validations: dict[str, Any] = {}
        self.validated = 0
        self.setup_seconds = time.perf_counter() - started

    def register(self, layer: str, suite: ExpectationSuite) -> None:
        """Register `suite` ahead of its first batch (`validate_dataframe` does it otherwise)."""
        self._validation_definition(layer, suite)

    def _batch_definition(self, layer: str) -> Any:
        """The layer's one DataFrame asset and its whole-DataFrame batch definition, every suite of the
        layer validates through it. One asset per layer, not per table: a File Data Context rewrites its
        YAML on every asset and batch definition it adds, and did so twice per table (a fifth of a tiny
        run's validation); the table is the suite's name and the batch's, in the results and Data Docs."""
        context = self.context
        datasource_name = f"{layer}_dataframes"
        if datasource_name in context.data_sources.all():
            datasource = context.data_sources.get(datasource_name)
        else:
            datasource = context.data_sources.add_pandas(datasource_name)
        asset_name = f"{layer}_tables"
        if asset_name in datasource.get_asset_names():
            asset = datasource.get_asset(asset_name)
        else:
            asset = datasource.add_dataframe_asset(asset_name)
        names = [definition.name for definition in asset.batch_definitions]
        if "whole_dataframe" in names:
            return asset.get_batch_definition("whole_dataframe")
        return asset.add_batch_definition_whole_dataframe("whole_dataframe")

    def _validation_definition(self, layer: str, suite: ExpectationSuite) -> Any:
        """Register (once per runner) the suite and a validation definition for it on its layer's asset."""
        if suite.name in self._validations:
            return self._validations[suite.name]
        gx = self._gx
        context = self.context
        if layer not in self._batch_definitions:
            self._batch_definitions[layer] = self._batch_definition(layer)
        batch_definition = self._batch_definitions[layer]
        stored_suite = context.suites.add_or_update(suite)
        definition = context.validation_definitions.add_or_update(
            gx.ValidationDefinition(name=suite.name, data=batch_definition, suite=stored_suite)
        )
        self._suites[suite.name] = stored_suite
        self._validations[suite.name] = definition
        return definition

    def validate_dataframe(
        self,
        suite: ExpectationSuite,
        df: pd.DataFrame,
        *,
        layer: str,
        batch_name: str,
        index_columns: list[str] | None = None,
    ) -> SuiteOutcome:
        """Run `suite` on `df`; save the result JSON as `<quality_dir>/<layer>/<batch_name>.json`.

        `index_columns`: columns of `df` that name a row breaking an expectation in the result."""
        started = time.perf_counter()
        definition = self._validation_definition(layer, suite)
        result_format: Any = "SUMMARY"
        if index_columns:
            result_format = {"result_format": "SUMMARY", "unexpected_index_column_names": index_columns}
        result = definition.run(batch_parameters={"dataframe": df}, result_format=result_format)
        failures = [
            ExpectationFailure(
                expectation=item.expectation_config.type,
                column=item.expectation_config.kwargs.get("column")
                or _join(item.expectation_config.kwargs.get("column_list")),
                detail=_describe(item),
            )
            for item in result.results
            if not item.success
        ]
        out_dir = self.quality_dir / layer
        out_dir.mkdir(parents=True, exist_ok=True)
        result_path = out_dir / f"{_safe_name(batch_name)}.json"
        payload = {"suite": suite.name, "batch": batch_name, "result": result.to_json_dict()}
        result_path.write_text(json.dumps(payload, indent=2, default=str), encoding="utf-8")
        self.validated += 1
        return SuiteOutcome(
            suite_name=suite.name,
            batch_name=batch_name,
            success=bool(result.success),
            evaluated=len(result.results),
            failures=failures,
            result_path=result_path,
            seconds=time.perf_counter() - started,
        )

    def build_docs(self) -> Path:
        """Render Data Docs for every stored result, made to work offline (no CDN); returns the site's
        index.html."""
        from account_health.quality.offline_docs import make_offline

        self.context.build_data_docs(site_names=[DOCS_SITE])
        make_offline(self.docs_dir)
        return self.docs_dir / "index.html"


def new_suite(name: str, expectations: Iterable[Expectation]) -> ExpectationSuite:
    """A suite of `expectations`, each once (as GX's `add_expectation` keeps them), built in one go.

    `add_expectation` one by one compares each new expectation with every one before it, and once a suite
    of that name is in the File Data Context (every run after the first), it writes the stored suite again
    on every call."""
    import great_expectations as gx

    unique: dict[str, Expectation] = {}
    for expectation in expectations:
        configuration = expectation.configuration
        key = json.dumps([configuration.type, configuration.kwargs], sort_keys=True, default=str)
        unique.setdefault(key, expectation)
    return gx.ExpectationSuite(name=name, expectations=list(unique.values()))


def _join(columns: Any) -> str | None:
    return ", ".join(columns) if columns else None


def _describe(item: Any) -> str:
    """A short description of why an expectation failed: counts and a few offending values."""
    if item.exception_info and item.exception_info.get("raised_exception"):
        return f"error: {item.exception_info.get('exception_message')}"
    result = item.result or {}
    kwargs = {
        key: value
        for key, value in item.expectation_config.kwargs.items()
        if key not in ("column", "column_list", "batch_id", "result_format")
    }
    parts = []
    if "unexpected_count" in result:
        parts.append(f"{result['unexpected_count']} unexpected")
    if result.get("partial_unexpected_list"):
        parts.append(f"e.g. {result['partial_unexpected_list'][:5]}")
    if "observed_value" in result:
        parts.append(f"observed {result['observed_value']}")
    if kwargs:
        parts.append(f"expected {kwargs}")
    return ", ".join(parts) or "failed"
