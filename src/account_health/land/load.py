"""Land source files into schema `raw`: one transaction per file, idempotent by checksum.

Table by table (contract order), each file is skipped if its checksum was already loaded, otherwise read
as text (`read`), optionally transformed (`transform`, the hook for a per-table source mapping), typed and
checked row by row in one SQL statement (`rules`) into the temp table `_ah_pending`. Then the good rows of
*all* the table's pending files are validated with the raw Great Expectations suite in one run (so the
cost grows with rows, not with files; a failing batch is validated again file by file to find the files
to reject), and each file is committed in its own transaction: the earlier version's rows if the file was
re-exported (moved to `raw._history`), the good rows into `raw.<table>`, the others into
`raw._quarantine`, a row into `raw._loads`.
"""

from __future__ import annotations

import datetime as dt
import errno
import hashlib
import logging
import os
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from account_health.contract import TABLES, Table
from account_health.land.discover import FORMATS, SourceFile, discover
from account_health.land.errors import WarehouseBusy, busy_message, disk_full_message
from account_health.land.read import FileRejected, Staged, stage
from account_health.land.report import FileResult, LandReport
from account_health.land.rules import ACCOUNT_REFERENCE, checked_sql
from account_health.land.schema import ensure_raw_schema, quote_ident

if TYPE_CHECKING:
    from account_health.quality.raw import RawSuites

log = logging.getLogger(__name__)

#: Called with the connection and the table after a file is staged in `_ah_src` (text, contract column
#: names) and before the contract's rules run on it: the place to rewrite values of one source.
SourceTransform = Callable[[duckdb.DuckDBPyConnection, Table], None]

STAGING_TABLES = ("_ah_src", "_ah_rejects", "_ah_rejects_scan")


@dataclass
class Pending:
    """A file checked into `_ah_pending`, waiting for validation and its commit."""

    source: SourceFile
    relative: str
    checksum: str
    staged: Staged
    result: FileResult


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _now() -> dt.datetime:
    """Load time in UTC (naive, like every timestamp in the warehouse); lineage only, never in models."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def connect(warehouse_path: Path) -> duckdb.DuckDBPyConnection:
    """Open the warehouse read-write; a lock held by another process is a WarehouseBusy naming it."""
    warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    try:
        return duckdb.connect(str(warehouse_path))
    except duckdb.IOException as error:
        message = busy_message(warehouse_path, error)
        if message is None:
            raise
        raise WarehouseBusy(message) from None


def land(
    source_dir: Path,
    warehouse_path: Path,
    *,
    quality_dir: Path | None = None,
    as_of: dt.date | None = None,
    transform: SourceTransform | None = None,
) -> LandReport:
    """Land every file under `source_dir` into the warehouse; never raises for a bad file, reports it.

    `quality_dir`: where the raw Great Expectations suite writes results and Data Docs; without it the GX
    gate is skipped (the SQL rules still apply). `as_of`: timestamps after this date are quarantined.
    Raises WarehouseBusy when another process holds the warehouse. A full disk stops the run with
    `report.failure` set (files committed before stay landed).
    """
    started = time.perf_counter()
    source_dir = Path(source_dir)
    found = discover(source_dir)
    report = LandReport(warnings=found.warnings, misplaced=found.misplaced)
    warehouse_path = Path(warehouse_path)
    con = connect(warehouse_path)
    suites: RawSuites | None = None
    doing = "landing"
    try:
        ensure_raw_schema(con)
        with tempfile.TemporaryDirectory(prefix="ah-land-") as tmp:
            for table in TABLES.values():
                files = [source for source in found.files if source.table == table.name]
                if not files:
                    continue
                doing = f"landing {table.name}"
                _create_pending(con, table)
                pending = _check_files(con, table, files, source_dir, Path(tmp), as_of, transform, report)
                if pending and suites is None and quality_dir is not None:
                    gx_started = time.perf_counter()
                    suites = _raw_suites(Path(quality_dir))  # only when something is to be loaded
                    report.gx_seconds += time.perf_counter() - gx_started
                _validate_and_commit(con, table, pending, suites, report)
        if suites is not None and suites.runner.validated:
            doing = f"writing Data Docs to {suites.runner.docs_dir}"
            gx_started = time.perf_counter()
            report.quality_docs = suites.runner.build_docs()
            report.gx_seconds += time.perf_counter() - gx_started
    except OSError as error:
        if error.errno != errno.ENOSPC:
            raise
        report.failure = disk_full_message(error, doing)
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


def _create_pending(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    columns = ", ".join(f"{quote_ident(column.name)} {column.type}" for column in table.columns)
    con.execute(
        f"""
        create or replace temp table _ah_pending (
            {columns}, _row_number bigint, _raw_record varchar, _null_tokens integer, _reason varchar,
            _load_id varchar
        )
        """
    )
    # The keys a new row may not repeat: landed rows (except the earlier version of the file being
    # landed, which it replaces) and the good rows of files checked earlier in this run.
    keys = ", ".join(quote_ident(name) for name in table.key)
    con.execute("create or replace temp table _ah_current (source_file varchar)")
    con.execute(
        f"""
        create or replace temp view _ah_known_keys as
        select {keys} from raw.{quote_ident(table.name)}
        where _source_file not in (select source_file from _ah_current)
        union all
        select {keys} from _ah_pending where _reason is null
        """
    )


def _check_files(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    files: list[SourceFile],
    source_dir: Path,
    tmp: Path,
    as_of: dt.date | None,
    transform: SourceTransform | None,
    report: LandReport,
) -> list[Pending]:
    """Check every file of one table into `_ah_pending`; skipped and rejected files go to the report."""
    pending: list[Pending] = []
    for source in files:
        index = len(report.files)
        outcome = _check_file(con, table, source, source_dir, tmp, index, as_of, transform, pending)
        if isinstance(outcome, Pending):
            pending.append(outcome)
            report.files.append(outcome.result)
        else:
            report.files.append(outcome)
            log.info("%s %s: %s", outcome.status, outcome.path, outcome.message)
    return pending


def _validate_and_commit(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    pending: list[Pending],
    suites: RawSuites | None,
    report: LandReport,
) -> None:
    failed: dict[str, str] = {}
    if suites is not None and pending:
        gx_started = time.perf_counter()
        failed = _validate(con, table, pending, suites, report)
        report.gx_seconds += time.perf_counter() - gx_started
    for item in pending:
        started = time.perf_counter()
        try:
            if item.result.load_id in failed:
                raise FileRejected(failed[item.result.load_id])
            _commit(con, table, item)
        except (FileRejected, duckdb.Error) as rejection:
            _reject(con, item.result, item.relative, item.checksum, item.source.file_format, rejection)
        item.result.seconds += time.perf_counter() - started
        log.info("%s %s: %s", item.result.status, item.result.path, item.result.message)
    con.execute("drop view if exists _ah_known_keys")
    con.execute("drop table if exists _ah_pending")
    con.execute("drop table if exists _ah_current")


def _check_file(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    source: SourceFile,
    source_dir: Path,
    tmp: Path,
    index: int,
    as_of: dt.date | None,
    transform: SourceTransform | None,
    pending: list[Pending],
) -> FileResult | Pending:
    """Stage and check one file into `_ah_pending`; a FileResult when it is skipped or rejected."""
    started = time.perf_counter()
    relative = source.relative_to(source_dir)
    result = FileResult(path=source.path, table=table.name, status="rejected", load_id=uuid.uuid4().hex)
    checksum = ""
    try:
        if source.problem is not None:
            raise FileRejected(source.problem)
        if source.file_format is None:
            supported = ", ".join(sorted(FORMATS))
            raise FileRejected(f"unsupported file type {source.path.suffix!r} (expected one of {supported})")
        checksum = sha256(source.path)
        previous = _already_loaded(con, checksum)
        if previous is not None:
            result.status, result.load_id = "skipped", previous[0]
            result.message = f"already loaded (same checksum) as load {previous[0]} from {previous[1]}"
            return result
        twin = next((item for item in pending if item.checksum == checksum), None)
        if twin is not None:
            result.status, result.load_id = "skipped", twin.result.load_id
            result.message = f"same content (same checksum) as {twin.relative}, landed in this run"
            return result
        # DuckDB expands glob characters in paths, so read through a link with a plain name.
        link = tmp / f"file{index}{source.path.suffix.lower()}"
        os.symlink(source.path.resolve(), link)
        staged = stage(con, link, source.file_format, table)
        if transform is not None:
            transform(con, table)
        con.execute("delete from _ah_current")
        con.execute("insert into _ah_current values (?)", [relative])
        checked = checked_sql(table, "_ah_known_keys", as_of)
        insert = f"insert into _ah_pending by name select *, ? as _load_id from ({checked})"
        con.execute(insert, [result.load_id])
        return Pending(source, relative, checksum, staged, result)
    except (FileRejected, duckdb.Error) as rejection:
        con.execute("delete from _ah_pending where _load_id = ?", [result.load_id])
        _reject(con, result, relative, checksum, source.file_format, rejection)
        return result
    finally:
        for name in STAGING_TABLES:
            con.execute(f"drop table if exists {name}")
        result.seconds = time.perf_counter() - started


def _reject(
    con: duckdb.DuckDBPyConnection,
    result: FileResult,
    relative: str,
    checksum: str,
    file_format: str | None,
    rejection: Exception,
) -> None:
    """Record a rejected file; its message is one line naming the file and, where known, line and column."""
    if isinstance(rejection, FileRejected):
        detail = str(rejection)
    else:
        # A DuckDB error past staging (out of memory, disk full) also rejects just this file: its
        # transaction was rolled back, the run goes on and reports it.
        first = str(rejection).strip().splitlines()[0] if str(rejection).strip() else type(rejection).__name__
        detail = f"could not land: {first}"
    result.status = "rejected"
    result.rows_read = result.rows_loaded = result.rows_quarantined = 0
    result.message = f"{relative}: {detail}"
    _record_load(con, result, relative, checksum, file_format, _now())
    log.info("rejected %s: %s", result.path, result.message)


def _validate(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    pending: list[Pending],
    suites: RawSuites,
    report: LandReport,
) -> dict[str, str]:
    """Run the raw suite once on the good rows of all pending files; {load_id: message} of files to reject.

    Only when that batch fails is each file validated on its own, to reject just the files at fault.
    """
    columns = ", ".join(quote_ident(name) for name in table.column_names)
    select = f"select {columns} from _ah_pending where _reason is null"
    batch_name = f"{table.name}__{len(pending)}_files__{pending[0].result.load_id}"
    report.gx_runs += 1
    frame = con.execute(f"{select} order by _load_id, _row_number").df()
    outcome = suites.validate(table.name, frame, batch_name)
    if outcome.success:
        return {}
    failed: dict[str, str] = {}
    for item in pending:
        load_id = item.result.load_id
        report.gx_runs += 1
        frame = con.execute(f"{select} and _load_id = ? order by _row_number", [load_id]).df()
        single = suites.validate(table.name, frame, f"{table.name}__{item.relative}__{load_id}")
        if not single.success:
            failed[load_id] = f"Great Expectations suite {single.summary()}"
    if not failed:  # only the files together fail (a key across files): none can be committed alone
        failed = {item.result.load_id: f"Great Expectations suite {outcome.summary()}" for item in pending}
    return failed


def _commit(con: duckdb.DuckDBPyConnection, table: Table, item: Pending) -> None:
    """Replace an earlier version, insert good rows, quarantine and the load record in one transaction."""
    result, relative, staged = item.result, item.relative, item.staged
    loaded_at = _now()
    columns = ", ".join(quote_ident(name) for name in table.column_names)
    load_id = result.load_id
    orphans = _orphan_count(con, table, load_id)
    null_tokens = con.execute(
        "select coalesce(sum(_null_tokens), 0) from _ah_pending where _load_id = ? and _reason is null",
        [load_id],
    ).fetchone()[0]
    con.execute("begin transaction")
    try:
        replaced = _supersede(con, table, relative, load_id, loaded_at)
        loaded = con.execute(
            f"""
            insert into raw.{quote_ident(table.name)} ({columns}, _load_id, _source_file, _loaded_at)
            select {columns}, _load_id, ?, ? from _ah_pending
            where _load_id = ? and _reason is null order by _row_number
            """,
            [relative, loaded_at, load_id],
        ).fetchone()[0]
        quarantined = con.execute(
            """
            insert into raw._quarantine
            select ?, ?, _row_number, _reason, _raw_record, _load_id, ?
            from _ah_pending where _load_id = ? and _reason is not null order by _row_number
            """,
            [table.name, relative, loaded_at, load_id],
        ).fetchone()[0]
        if loaded + quarantined != staged.rows_read:
            raise RuntimeError(
                f"{relative}: rows read {staged.rows_read} != loaded {loaded} + quarantined {quarantined}"
            )
        result.rows_read, result.rows_loaded, result.rows_quarantined = staged.rows_read, loaded, quarantined
        result.status = "loaded"
        result.message = _loaded_message(staged, quarantined, orphans, null_tokens, replaced)
        _record_load(con, result, relative, item.checksum, item.source.file_format, loaded_at)
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _supersede(
    con: duckdb.DuckDBPyConnection, table: Table, relative: str, load_id: str, now: dt.datetime
) -> tuple[int, list[str]]:
    """A re-export: move the rows of the file's earlier version to raw._history; (rows, earlier loads)."""
    earlier = [
        row[0]
        for row in con.execute(
            "select load_id from raw._loads where table_name = ? and source_file = ? and status = 'loaded'",
            [table.name, relative],
        ).fetchall()
    ]
    if not earlier:
        return 0, []
    name = quote_ident(table.name)
    moved = con.execute(
        f"""
        insert into raw._history
        select ?, _source_file, _load_id, _loaded_at, to_json(landed)::varchar, ?, ?
        from raw.{name} as landed where _source_file = ?
        """,
        [table.name, load_id, now, relative],
    ).fetchone()[0]
    con.execute(f"delete from raw.{name} where _source_file = ?", [relative])
    con.execute(
        "update raw._loads set status = 'superseded' where table_name = ? and source_file = ? "
        "and status = 'loaded'",
        [table.name, relative],
    )
    return moved, earlier


def _orphan_count(con: duckdb.DuckDBPyConnection, table: Table, load_id: str) -> int:
    """Good rows whose account_id is not (yet) in raw.accounts: reported, left to dbt relationship tests."""
    if table.name == "accounts" or ACCOUNT_REFERENCE not in table.column_names:
        return 0
    return con.execute(
        """
        select count(*) from _ah_pending as batch
        where batch._load_id = ? and batch._reason is null and batch.account_id is not null
            and not exists (select 1 from raw.accounts where accounts.account_id = batch.account_id)
        """,
        [load_id],
    ).fetchone()[0]


def _loaded_message(
    staged: Staged, quarantined: int, orphans: int, null_tokens: int, replaced: tuple[int, list[str]]
) -> str:
    notes = []
    rows, earlier = replaced
    if earlier:
        notes.append(
            f"new version of an already loaded file: replaced its {rows} rows from load "
            f"{', '.join(earlier)} (kept in raw._history)"
        )
    if quarantined:
        notes.append(f"{quarantined} rows quarantined (see raw._quarantine)")
    if staged.malformed:
        notes.append(f"{staged.malformed} malformed records among them")
    if staged.extra_columns:
        notes.append("ignored extra columns: " + ", ".join(repr(name) for name in staged.extra_columns))
    if staged.absent_optional:
        notes.append("optional columns absent (null): " + ", ".join(staged.absent_optional))
    if null_tokens:
        notes.append(f"{null_tokens} optional values were null tokens (NULL, N/A, #N/A) and loaded as null")
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
