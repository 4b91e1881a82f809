"""Land source files into schema `raw`: one transaction per file, idempotent by checksum.

For each file: skip it if its checksum was already loaded; stage it as text (`read`); type and check every
row in one SQL statement (`rules`); then, in one transaction, insert the good rows into `raw.<table>`,
the others into `raw._quarantine`, a row into `raw._loads`, validate the batch with the raw Great
Expectations suite and commit, or roll everything back and reject the file.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import logging
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from account_health.contract import TABLES, Table
from account_health.land.discover import FORMATS, SourceFile, discover
from account_health.land.mapping import SourceMapping, check_files, discover_mapped, stage_file
from account_health.land.read import FileRejected, Staged
from account_health.land.report import FileResult, LandReport
from account_health.land.rules import ACCOUNT_REFERENCE, checked_sql
from account_health.land.schema import ensure_raw_schema, quote_ident

if TYPE_CHECKING:
    from account_health.quality.raw import RawSuites

log = logging.getLogger(__name__)

STAGING_TABLES = ("_ah_src", "_ah_checked", "_ah_rejects", "_ah_rejects_scan")


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> dt.datetime:
    """Load time in UTC (naive, like every timestamp in the warehouse); lineage only, never in models."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def land(
    source_dir: Path,
    warehouse_path: Path,
    *,
    quality_dir: Path | None = None,
    as_of: dt.date | None = None,
    mapping: SourceMapping | None = None,
) -> LandReport:
    """Land every file under `source_dir` into the warehouse; never raises for a bad file, reports it.

    `quality_dir`: where the raw Great Expectations suite writes results and Data Docs; without it the GX
    gate is skipped (the SQL rules still apply). `as_of`: timestamps after this date are quarantined.
    `mapping`: a source mapping (`land.mapping`); a MappingError is raised before anything lands.
    """
    started = time.perf_counter()
    source_dir = Path(source_dir)
    files, warnings = discover(source_dir) if mapping is None else discover_mapped(source_dir, mapping)
    if mapping is not None:
        check_files(source_dir, files, mapping)
    report = LandReport(warnings=warnings)
    warehouse_path = Path(warehouse_path)
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    suites: RawSuites | None = None
    con = duckdb.connect(str(warehouse_path))
    try:
        ensure_raw_schema(con)
        with tempfile.TemporaryDirectory(prefix="ah-land-") as tmp:
            for index, source in enumerate(files):
                checksum = sha256(source.path)
                needs_loading = source.file_format is not None and _already_loaded(con, checksum) is None
                if suites is None and quality_dir is not None and needs_loading:
                    gx_started = time.perf_counter()
                    suites = _raw_suites(Path(quality_dir))
                    report.gx_seconds += time.perf_counter() - gx_started
                result = _land_file(
                    con, source, source_dir, checksum, Path(tmp), index, as_of, suites, mapping
                )
                report.files.append(result)
                log.info("%s %s: %s", result.status, result.path, result.message)
        if suites is not None and suites.runner.validated:
            gx_started = time.perf_counter()
            report.quality_docs = suites.runner.build_docs()
            report.gx_seconds += time.perf_counter() - gx_started
    finally:
        con.close()
    report.seconds = time.perf_counter() - started
    return report


def _raw_suites(quality_dir: Path) -> RawSuites:
    from account_health.quality.gx_runner import GxRunner
    from account_health.quality.raw import RawSuites

    return RawSuites(GxRunner(quality_dir))


def _already_loaded(con: duckdb.DuckDBPyConnection, checksum: str) -> tuple[str, str] | None:
    return con.execute(
        """
        select load_id, source_file from raw._loads
        where checksum = ? and status = 'loaded'
        order by _loaded_at limit 1
        """,
        [checksum],
    ).fetchone()


def _land_file(
    con: duckdb.DuckDBPyConnection,
    source: SourceFile,
    source_dir: Path,
    checksum: str,
    tmp: Path,
    index: int,
    as_of: dt.date | None,
    suites: RawSuites | None,
    mapping: SourceMapping | None = None,
) -> FileResult:
    started = time.perf_counter()
    relative = source.relative_to(source_dir)
    table = TABLES[source.table]
    result = FileResult(path=source.path, table=table.name, status="rejected", load_id=uuid.uuid4().hex)
    try:
        if source.file_format is None:
            supported = ", ".join(sorted(FORMATS))
            raise FileRejected(f"unsupported file type {source.path.suffix!r} (expected one of {supported})")
        previous = _already_loaded(con, checksum)
        if previous is not None:
            result.status, result.load_id = "skipped", previous[0]
            result.message = f"already loaded (same checksum) as load {previous[0]} from {previous[1]}"
            return result
        # DuckDB expands glob characters in paths, so read through a link with a plain name.
        link = tmp / f"file{index}{source.path.suffix.lower()}"
        os.symlink(source.path.resolve(), link)
        staged, labels = stage_file(con, link, source.file_format, table, mapping)
        con.execute(checked_sql(table, f"raw.{quote_ident(table.name)}", as_of, labels=labels))
        _commit(con, table, relative, checksum, source.file_format, staged, result, suites)
    except (FileRejected, duckdb.Error) as rejection:
        # A DuckDB error past staging (out of memory, say) also rejects just this file: its
        # transaction was rolled back, the run goes on and reports it.
        detail = str(rejection) if isinstance(rejection, FileRejected) else f"could not land: {rejection}"
        result.status = "rejected"
        result.rows_read = result.rows_loaded = result.rows_quarantined = 0
        result.message = f"{relative}: {detail}"
        _record_load(con, result, relative, checksum, source.file_format, _now())
    finally:
        for name in STAGING_TABLES:
            con.execute(f"drop table if exists {name}")
        result.seconds = time.perf_counter() - started
    return result


def _commit(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    relative: str,
    checksum: str,
    file_format: str,
    staged: Staged,
    result: FileResult,
    suites: RawSuites | None,
) -> None:
    """Insert good rows, quarantine rows and the load record in one transaction; validate; commit."""
    loaded_at = _now()
    columns = ", ".join(quote_ident(name) for name in table.column_names)
    load_id = result.load_id
    orphans = _orphan_count(con, table)
    con.execute("begin transaction")
    try:
        loaded = con.execute(
            f"""
            insert into raw.{quote_ident(table.name)} ({columns}, _load_id, _source_file, _loaded_at)
            select {columns}, ?, ?, ? from _ah_checked where _reason is null order by _row_number
            """,
            [load_id, relative, loaded_at],
        ).fetchone()[0]
        quarantined = con.execute(
            """
            insert into raw._quarantine
            select ?, ?, _row_number, _reason, _raw_record, ?, ?
            from _ah_checked where _reason is not null order by _row_number
            """,
            [table.name, relative, load_id, loaded_at],
        ).fetchone()[0]
        if loaded + quarantined != staged.rows_read:
            raise RuntimeError(
                f"{relative}: rows read {staged.rows_read} != loaded {loaded} + quarantined {quarantined}"
            )
        result.rows_read, result.rows_loaded, result.rows_quarantined = staged.rows_read, loaded, quarantined
        result.status = "loaded"
        result.message = _loaded_message(staged, quarantined, orphans)
        if suites is not None:
            batch = con.execute(
                f"select {columns} from _ah_checked where _reason is null order by _row_number"
            ).df()
            outcome = suites.validate(table.name, batch, f"{table.name}__{relative}__{load_id}")
            if not outcome.success:
                raise FileRejected(f"Great Expectations suite {outcome.summary()}")
        _record_load(con, result, relative, checksum, file_format, loaded_at)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _orphan_count(con: duckdb.DuckDBPyConnection, table: Table) -> int:
    """Good rows whose account_id is not (yet) in raw.accounts: reported, left to dbt relationship tests."""
    if table.name == "accounts" or ACCOUNT_REFERENCE not in table.column_names:
        return 0
    return con.execute(
        """
        select count(*) from _ah_checked as batch
        where batch._reason is null and batch.account_id is not null
            and not exists (select 1 from raw.accounts where accounts.account_id = batch.account_id)
        """
    ).fetchone()[0]


def _loaded_message(staged: Staged, quarantined: int, orphans: int) -> str:
    notes = []
    if quarantined:
        notes.append(f"{quarantined} rows quarantined (see raw._quarantine)")
    if staged.malformed:
        notes.append(f"{staged.malformed} malformed records among them")
    if staged.extra_columns:
        notes.append("ignored extra columns: " + ", ".join(repr(name) for name in staged.extra_columns))
    if staged.absent_optional:
        notes.append("optional columns absent (null): " + ", ".join(staged.absent_optional))
    if orphans:
        notes.append(f"{orphans} rows reference an account_id not in raw.accounts (dbt relationship tests)")
    return "; ".join(notes)


def _record_load(
    con: duckdb.DuckDBPyConnection,
    result: FileResult,
    relative: str,
    checksum: str,
    file_format: str | None,
    loaded_at: dt.datetime,
) -> None:
    """One row per attempt in raw._loads, rejected ones included (their checksums never cause a skip)."""
    statement = "insert into raw._loads values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    params = [
        result.load_id,
        result.table,
        relative,
        checksum,
        file_format,
        result.status,
        result.rows_read,
        result.rows_loaded,
        result.rows_quarantined,
        result.message,
        loaded_at,
    ]
    con.execute(statement, params)
