"""Land source files into schema `raw`: every file all or nothing, idempotent by checksum.

Table by table (contract order): each file is skipped if its checksum was already loaded, otherwise read as
text and appended to the temp table `_ah_src` (`read`); the optional `transform` hook (a per-table source
mapping) may rewrite `_ah_src`; one SQL statement types and checks the rows of all the table's files
(`rules`) into `_ah_pending` (a big clean CSV file goes straight into `raw.<table>`, in flight until the
commit: `check`, `inflight`) and a second marks the duplicate keys among them; the raw Great Expectations
suite validates them in one run, as counts per file computed in SQL, rejecting only the files at fault;
and one transaction commits the rest: for each file its earlier version replaced if it is a re-export (the
old rows move to `raw._history`), its good rows into `raw.<table>`, the others into `raw._quarantine`, a
row into `raw._loads`. Data Docs are rebuilt only when the suite rejected a file, or when asked (`docs`).
The cost grows with rows, not with files.
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
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from account_health.contract import TABLES, Table
from account_health.land import inflight
from account_health.land.check import Checks, check_batch, checks_for, stage_or_check
from account_health.land.commit import Counts, Pending, counts, prepare, write
from account_health.land.discover import FORMATS, SourceFile, discover
from account_health.land.errors import WarehouseBusy, busy_message, disk_full_message
from account_health.land.mapping import SourceMapping, check_files, discover_mapped
from account_health.land.read import FileKey, FileRejected, Staged, create_src
from account_health.land.report import FileResult, LandReport
from account_health.land.schema import ensure_raw_schema
from account_health.resources import resources
from account_health.sql import quote_ident

if TYPE_CHECKING:
    from account_health.quality.raw import RawSuites

log = logging.getLogger(__name__)

#: Called with the connection and the table after a file is staged in `_ah_src` (text, contract column
#: names) and before the contract's rules run on it: the place to rewrite values of one source.
SourceTransform = Callable[[duckdb.DuckDBPyConnection, Table], None]


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
        return duckdb.connect(str(warehouse_path), config=resources().duckdb_config())
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
    mapping: SourceMapping | None = None,
    docs: bool = False,
) -> LandReport:
    """Land every file under `source_dir` into the warehouse; never raises for a bad file, reports it.

    `quality_dir`: where the raw Great Expectations suite writes results and Data Docs; without it the GX
    gate is skipped (the SQL rules still apply). Data Docs are rebuilt (`report.quality_docs`; None when
    not) only when the suite rejected a file, so the failure can be inspected, or with `docs`: otherwise
    the next `validate` rebuilds them from every stored result, landing's too (0.2-0.3 s saved per run).
    `as_of`: timestamps after this date are quarantined.
    Raises WarehouseBusy when another process holds the warehouse. A full disk stops the run with
    `report.failure` set (files committed before stay landed).
    """
    started = time.perf_counter()
    source_dir = Path(source_dir)
    found = discover(source_dir) if mapping is None else discover_mapped(source_dir, mapping)
    if mapping is not None:
        check_files(source_dir, found.files, mapping)  # a MappingError here: nothing has landed
    report = LandReport(warnings=found.warnings, misplaced=found.misplaced)
    warehouse_path = Path(warehouse_path)
    con = connect(warehouse_path)
    raw_suites = _GxSuites(
        Path(quality_dir) if quality_dir is not None else None,
        report,
        sorted({source.table for source in found.files if source.table in TABLES}),
    )

    doing = "landing"
    gx_failed = False
    try:
        ensure_raw_schema(con)
        report.warnings.extend(inflight.recover(con))
        with tempfile.TemporaryDirectory(prefix="ah-land-") as tmp:
            for table in TABLES.values():
                files = [source for source in found.files if source.table == table.name]
                if files:
                    doing = f"landing {table.name}"
                    gx_failed |= _land_table(
                        con,
                        table,
                        files,
                        source_dir,
                        Path(tmp),
                        as_of,
                        transform,
                        raw_suites,
                        report,
                        mapping,
                    )
        suites = raw_suites.started()
        if suites is not None and suites.runner.validated and (docs or gx_failed):
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


class _GxSuites:
    """The raw Great Expectations suites, prepared in a background thread from the moment the first file
    needs reading: GX's import and file context (0.1 s warm, seconds in a new process) then overlap
    DuckDB's read of the file, which runs on its own threads, and so does registering the suites of the
    tables with files (`tables`). A run with nothing new to load never imports GX. `report.gx_seconds`
    counts the time landing waited for them, not the time they took."""

    def __init__(self, quality_dir: Path | None, report: LandReport, tables: list[str]) -> None:
        self.quality_dir = quality_dir
        self.report = report
        self.tables = tables
        self._future: Future[RawSuites] | None = None

    def prepare(self) -> None:
        if self.quality_dir is None or self._future is not None:
            return
        executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ah-land-gx")
        self._future = executor.submit(_raw_suites, self.quality_dir, self.tables)
        executor.shutdown(wait=False)

    def __call__(self) -> RawSuites | None:
        """The suites (waiting for them if needed); None without a quality folder (no GX gate)."""
        self.prepare()
        if self._future is None:
            return None
        started = time.perf_counter()
        suites = self._future.result()
        self.report.gx_seconds += time.perf_counter() - started
        return suites

    def started(self) -> RawSuites | None:
        """The suites if this run prepared them, else None."""
        return self() if self._future is not None else None


def _raw_suites(quality_dir: Path, tables: list[str]) -> RawSuites:
    from account_health.quality.gx_runner import GxRunner
    from account_health.quality.raw import RawSuites

    suites = RawSuites(GxRunner(quality_dir))
    for table_name in tables:
        suites.prepare(table_name)
    return suites


def _create_batch(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """The run's temp tables for one table: `_ah_src` (text), `_ah_files`, `_ah_pending` (checked rows)."""
    create_src(con, table)
    con.execute("create or replace temp table _ah_files (_load_id varchar, source_file varchar)")
    columns = ", ".join(f"{quote_ident(column.name)} {column.type}" for column in table.columns)
    con.execute(
        f"""
        create or replace temp table _ah_pending (
            _load_id varchar, _file_index integer, _row_number bigint, {columns}, _null_tokens integer,
            _reason varchar,
            _raw_record varchar
        )
        """
    )
    # The keys a new row may not repeat: landed rows, except those of an earlier version of a file being
    # landed again (the new version replaces them).
    keys = ", ".join(quote_ident(name) for name in table.key)
    inflight.create(con, table)
    con.execute(
        f"""
        create or replace temp view _ah_known_keys as
        select {keys} from raw.{quote_ident(table.name)}
        where _source_file not in (select source_file from _ah_files)
        """
    )


def _drop_batch(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("drop view if exists _ah_known_keys")
    inflight.drop(con)
    con.execute("drop table if exists _ah_rejects")
    con.execute("drop table if exists _ah_rejects_scan")
    for name in ("_ah_src", "_ah_files", "_ah_pending", "_ah_duplicates", "_ah_repeated", "_ah_commit"):
        con.execute(f"drop table if exists {name}")


def _land_table(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    files: list[SourceFile],
    source_dir: Path,
    tmp: Path,
    as_of: dt.date | None,
    transform: SourceTransform | None,
    suites: _GxSuites,
    report: LandReport,
    mapping: SourceMapping | None = None,
) -> bool:
    """Stage every file of `table`, check them all in one statement, validate once, commit once.

    Returns whether the Great Expectations suite rejected a file."""
    _create_batch(con, table)
    loaded_at = _now()
    checks = checks_for(table, as_of, mapping, transformed=transform is not None, loaded_at=loaded_at)
    failed: dict[str, str] = {}
    try:
        pending = _stage_files(con, checks, files, source_dir, tmp, report, suites.prepare, mapping)
        if pending:
            if transform is not None:
                transform(con, table)
            check_batch(con, checks, [item.direct for item in pending if item.direct is not None])
            runner = suites()
            counted = None
            if runner is not None:
                failed, counted = _validate(con, table, pending, runner, report)
            for item in pending:
                if item.result.load_id in failed:
                    _reject(con, item, FileRejected(failed[item.result.load_id]))
            if failed:
                con.execute("delete from _ah_pending where _load_id in (select unnest(?))", [list(failed)])
                inflight.discard(con, table, inflight.among(con, list(failed)))
            accepted = [item for item in pending if item.result.load_id not in failed]
            if accepted:
                _commit(con, table, accepted, [item.relative for item in pending], loaded_at, counted)
    finally:
        _drop_batch(con)
    return bool(failed)


def _stage_files(
    con: duckdb.DuckDBPyConnection,
    checks: Checks,
    files: list[SourceFile],
    source_dir: Path,
    tmp: Path,
    report: LandReport,
    reading: Callable[[], None],
    mapping: SourceMapping | None = None,
) -> list[Pending]:
    """Stage each file in `_ah_src` (or check a big CSV or Parquet file straight into `_ah_pending` or
    `raw.<table>`); skipped (same checksum) and rejected files go to the report only. `reading` is called
    before a file is read."""
    table = checks.table
    loaded = {
        row[0]: (row[1], row[2])
        for row in con.execute(
            "select checksum, any_value(load_id), any_value(source_file) from raw._loads "
            "where status = 'loaded' group by checksum"
        ).fetchall()
    }
    pending: list[Pending] = []
    for source in files:
        started = time.perf_counter()
        relative = source.relative_to(source_dir)
        result = FileResult(path=source.path, table=table.name, status="rejected", load_id=uuid.uuid4().hex)
        report.files.append(result)
        item = Pending(source, relative, "", Staged(0), result)
        try:
            if source.problem is not None:
                raise FileRejected(source.problem)
            if source.file_format is None:
                supported = ", ".join(sorted(FORMATS))
                raise FileRejected(
                    f"unsupported file type {source.path.suffix!r} (expected one of {supported})"
                )
            item.checksum = sha256(source.path)
            if item.checksum in loaded:
                load_id, first = loaded[item.checksum]
                result.status, result.load_id = "skipped", load_id
                result.message = f"already loaded (same checksum) as load {load_id} from {first}"
                log.info("skipped %s: %s", result.path, result.message)
                continue
            reading()  # a file to read: the GX suites can be prepared meanwhile
            # DuckDB expands glob characters in paths, so read through a link with a plain name.
            link = tmp / f"file{len(report.files)}{source.path.suffix.lower()}"
            os.symlink(source.path.resolve(), link)
            key = FileKey(result.load_id, len(pending), relative)
            item.staged, item.direct = stage_or_check(con, link, source.file_format, key, checks, mapping)
            loaded[item.checksum] = (result.load_id, relative)  # a copy later in this run is skipped
            pending.append(item)
        except (FileRejected, duckdb.Error) as rejection:
            for staging in ("_ah_src", "_ah_pending"):
                con.execute(f"delete from {staging} where _load_id = ?", [result.load_id])
            _reject(con, item, rejection)
        finally:
            result.seconds = time.perf_counter() - started
    if pending:
        con.execute(
            "insert into _ah_files select unnest(?), unnest(?)",
            [[item.result.load_id for item in pending], [item.relative for item in pending]],
        )
    return pending


def _reject(con: duckdb.DuckDBPyConnection, item: Pending, rejection: Exception) -> None:
    """Record a rejected file; its message is one line naming the file and, where known, line and column."""
    result = item.result
    if isinstance(rejection, FileRejected):
        detail = str(rejection)
    else:
        # A DuckDB error (out of memory, disk full) rejects the files it hit: their transaction was rolled
        # back, the run goes on and reports them.
        first = str(rejection).strip().splitlines()[0] if str(rejection).strip() else type(rejection).__name__
        detail = f"could not land: {first}"
    result.status = "rejected"
    result.rows_read = result.rows_loaded = result.rows_quarantined = 0
    result.message = f"{item.relative}: {detail}"
    _record_loads(con, [(result, item.relative, item.checksum, item.source.file_format)], _now())
    log.info("rejected %s: %s", result.path, result.message)


def _commit(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    accepted: list[Pending],
    sources: list[str],
    loaded_at: dt.datetime,
    counted: dict[str, Counts] | None = None,
) -> None:
    """Commit the accepted files of one table in one transaction: their rows (`commit.write`) and their
    raw._loads rows. Every file is all or nothing; an error rolls all of them back and rejects them (the
    rows of in-flight files, written before, are removed). `counted`: their rows' counts, if known."""
    counted = prepare(con, table, accepted, counted)
    con.execute("begin transaction")
    try:
        write(con, table, accepted, sources, counted, loaded_at)
        _record_loads(
            con,
            [(item.result, item.relative, item.checksum, item.source.file_format) for item in accepted],
            loaded_at,
        )
        con.execute("commit")
    except BaseException as error:
        con.execute("rollback")
        if not isinstance(error, duckdb.Error):
            raise
        inflight.discard(con, table, inflight.among(con, [item.result.load_id for item in accepted]))
        for item in accepted:
            _reject(con, item, error)


def _validate(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    pending: list[Pending],
    suites: RawSuites,
    report: LandReport,
) -> tuple[dict[str, str], dict[str, Counts]]:
    """Run the raw suite once on the good rows of all pending files; {load_id: message} of files to reject,
    and the commit's counts of every pending file's rows (`commit.counts`).

    The suite's expectations are counted per file in DuckDB and Great Expectations validates the counts,
    so a failure names the files at fault and a big file is not copied into pandas. GX's part is Python
    alone (0.1-0.2 s): it runs in a thread while DuckDB counts the rows for the commit, which no longer
    change (a rejected file's counts are not used; the others' do not depend on it).
    """
    gx_started = time.perf_counter()
    columns = ", ".join(quote_ident(name) for name in table.column_names)
    relation = f"(select {columns}, _load_id from _ah_good)"
    batch_name = f"{table.name}__{len(pending)}_files__{pending[0].result.load_id}"
    report.gx_runs += 1
    frame = suites.metrics(con, table.name, relation, "_load_id", "_ah_repeated")
    report.gx_seconds += time.perf_counter() - gx_started
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="ah-land-gx") as executor:
        validating = executor.submit(suites.validate_metrics, table.name, frame, batch_name)
        counted = counts(con, table)
        outcome, failed = validating.result()
    report.gx_seconds += outcome.seconds
    if outcome.success and not failed:
        return {}, counted
    if not failed:  # GX failed although no count is above 0: reject all rather than commit unchecked
        failed = {item.result.load_id: outcome.summary() for item in pending}
    return {load_id: f"Great Expectations suite {message}" for load_id, message in failed.items()}, counted


def _record_loads(
    con: duckdb.DuckDBPyConnection,
    files: list[tuple[FileResult, str, str, str | None]],
    loaded_at: dt.datetime,
) -> None:
    """The raw._loads rows of many files in one statement (one per file would cost a round trip each)."""
    columns: list[list[object]] = [[] for _ in range(11)]
    for result, relative, checksum, file_format in files:
        values = (
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
        )
        for column, value in zip(columns, values, strict=True):
            column.append(value)
    unnested = ", ".join("unnest(?)" for _ in columns)
    con.execute(f"insert into raw._loads select {unnested}", columns)
