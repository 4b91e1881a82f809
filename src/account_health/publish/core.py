"""Write-audit-publish of the marts into the serving database that BI tools read.

Write: every table of schema `marts` in the build warehouse (or every mart another engine wrote as Parquet:
publish/sources.py) is copied (column types, NOT NULL and primary keys kept) into a brand-new DuckDB file
`serving/account_health.duckdb.tmp-<run id>`, tables in its default schema, and written as Parquet into
`serving/parquet.tmp-<run id>/`.
Audit: the new file is checked (row counts equal the warehouse's, `dim_accounts` key unique, no personal
columns) before anyone can see it.
Publish: the current serving file is hard-linked to `serving/previous/account_health.duckdb`, then the new
file is moved over the serving path with `os.replace`, one atomic rename. A BI reader that opened the old
file keeps reading the old inode; the next open sees the new file. The serving path never disappears and
never holds a half-written database.

Parquet is published through a symlink: `serving/parquet -> parquet-<run id>`, replaced atomically with
`os.replace` of a new symlink. Renaming directories (old out, new in) would leave a moment with no
`serving/parquet` at all, and a reader that listed files of the old folder could find half of them moved.
With the symlink a reader resolves one complete folder or the other; old folders are removed once they are
neither current nor previous.

A publish killed at any point leaves the serving file and symlink as they were; the next publish takes the
publish lock and removes stale `*.tmp-*` leftovers. The test hook `ACCOUNT_HEALTH_TEST_PUBLISH_PAUSE`
(seconds, tests only) makes publish sleep after the temporary database has been written and before it is
audited and swapped in, so a test can SIGKILL it mid-way.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import shutil
import time
import uuid
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import duckdb

from account_health.paths import Paths
from account_health.publish.sources import MARTS_SCHEMA, MartsSource, WarehouseMarts
from account_health.resources import resources
from account_health.sql import quote_ident, quote_literal

MANIFEST_NAME = "manifest.json"
PREVIOUS_DIR = "previous"
LOCK_NAME = ".publish.lock"
PAUSE_ENV = "ACCOUNT_HEALTH_TEST_PUBLISH_PAUSE"
#: Column names that would mean personal data reached the serving database (staging pseudonymises them).
FORBIDDEN_COLUMNS = frozenset({"email", "full_name", "first_name", "last_name", "phone"})
#: Tables whose key must be unique in the serving database, whatever constraints the warehouse declared.
#: Decimal places DOUBLE/FLOAT values are rounded to before hashing (see table_checksum).
FLOAT_DECIMALS = 9
UNIQUE_KEYS: dict[str, tuple[str, ...]] = {"dim_accounts": ("account_id",)}


class PublishError(RuntimeError):
    """Publishing stopped; the serving database was not touched."""


@dataclass
class TableSnapshot:
    rows: int
    checksum: str


@dataclass
class PublishResult:
    run_id: str
    as_of: str | None
    serving_path: Path
    parquet_dir: Path
    manifest_path: Path
    tables: dict[str, TableSnapshot] = field(default_factory=dict)
    elapsed: float = 0.0

    @property
    def row_counts(self) -> dict[str, int]:
        return {name: table.rows for name, table in self.tables.items()}


@dataclass
class RollbackResult:
    serving_path: Path
    restored_run_id: str | None
    replaced_run_id: str | None


@contextlib.contextmanager
def publish_lock(serving_dir: Path) -> Iterator[None]:
    """One publish or rollback at a time per serving folder. The kernel drops the lock if we are killed."""
    serving_dir.mkdir(parents=True, exist_ok=True)
    with open(serving_dir / LOCK_NAME, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove(path: Path) -> None:
    if path.is_symlink() or path.is_file():
        path.unlink(missing_ok=True)
    elif path.is_dir():
        shutil.rmtree(path, ignore_errors=True)


def clean_stale(paths: Paths) -> list[Path]:
    """Remove leftovers of killed publishes. Call only while holding the publish lock."""
    serving = paths.serving_dir
    removed: list[Path] = []
    for pattern in ("*.tmp-*", f"{PREVIOUS_DIR}/*.tmp-*"):
        for leftover in serving.glob(pattern):
            _remove(leftover)
            removed.append(leftover)
    keep = {_link_target(serving / "parquet"), _link_target(serving / PREVIOUS_DIR / "parquet")}
    for folder in serving.glob("parquet-*"):
        if folder.name not in keep:
            _remove(folder)
            removed.append(folder)
    return removed


def _link_target(link: Path) -> str | None:
    return Path(os.readlink(link)).name if link.is_symlink() else None


def table_checksum(con: duckdb.DuckDBPyConnection, relation: str) -> TableSnapshot:
    """Row count and an order-independent content hash: the same rows give the same checksum.

    The sum of per-row hashes does not depend on row order (publishing twice must compare equal even
    when DuckDB returns rows in another order); the column names and types are hashed in too.
    DOUBLE and FLOAT values are hashed rounded to FLOAT_DECIMALS places: DuckDB sums floats in parallel,
    so a rebuild of the same data can differ in the last bit (40.4242375 vs 40.424237500000004), which
    is not a change anyone reading the marts could see.
    """
    columns = con.execute(f"describe select * from {relation}").fetchall()
    values = ", ".join(
        f"round({quote_ident(name)}, {FLOAT_DECIMALS})" if type_ in ("DOUBLE", "FLOAT") else quote_ident(name)
        for name, type_, *_ in columns
    )
    rows, row_hash = con.execute(
        f"select count(*), coalesce(sum(hash(row_values)::hugeint), 0)::varchar "
        f"from (select row({values}) as row_values from {relation} as t)"
    ).fetchone()
    schema = ";".join(f"{column[0]}:{column[1]}" for column in columns)
    digest = hashlib.sha256(f"{schema}|{rows}|{row_hash}".encode()).hexdigest()
    return TableSnapshot(rows=int(rows), checksum=digest)


def _audit(con: duckdb.DuckDBPyConnection, expected_rows: dict[str, int]) -> dict[str, TableSnapshot]:
    """Check the new serving file before anyone can see it; raise PublishError naming what is wrong."""
    problems: list[str] = []
    present = {
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() where database_name = current_database()"
        ).fetchall()
    }
    if not expected_rows:
        problems.append(f"the warehouse has no tables in schema {MARTS_SCHEMA!r}")
    snapshots: dict[str, TableSnapshot] = {}
    for table, rows in expected_rows.items():
        if table not in present:
            problems.append(f"{table}: missing from the new serving database")
            continue
        snapshots[table] = table_checksum(con, f"main.{quote_ident(table)}")
        if snapshots[table].rows != rows:
            problems.append(f"{table}: {snapshots[table].rows} rows, warehouse has {rows}")
    for table, key in UNIQUE_KEYS.items():
        if table in present:
            key_sql = ", ".join(quote_ident(column) for column in key)
            duplicates = con.execute(
                f"select count(*) from (select {key_sql} from main.{quote_ident(table)} "
                f"group by all having count(*) > 1)"
            ).fetchone()[0]
            if duplicates:
                problems.append(f"{table}: {duplicates} duplicated values of key ({', '.join(key)})")
    personal = con.execute(
        "select table_name, column_name from duckdb_columns() "
        "where database_name = current_database() and lower(column_name) in "
        f"({', '.join(quote_literal(name) for name in sorted(FORBIDDEN_COLUMNS))})"
    ).fetchall()
    problems += [f"{table}.{column}: personal data column in serving" for table, column in personal]
    if problems:
        raise PublishError("serving audit failed: " + "; ".join(problems))
    return snapshots


def _write_tmp(source: MartsSource, tmp_db: Path, tmp_parquet: Path) -> dict[str, TableSnapshot]:
    """Write and audit the new serving file and Parquet folder; return each table's snapshot."""
    tmp_parquet.mkdir(parents=True)
    con = duckdb.connect(str(tmp_db), config=resources().duckdb_config())
    try:
        source.attach(con)
        expected: dict[str, int] = {}
        for table in source.tables(con):
            con.execute(source.ddl(con, table))
            con.execute(f"insert into main.{quote_ident(table)} select * from {source.relation(table)}")
            expected[table] = con.execute(f"select count(*) from {source.relation(table)}").fetchone()[0]
        source.detach(con)
        con.execute("checkpoint")
        pause = float(os.environ.get(PAUSE_ENV, "0") or 0)
        if pause > 0:
            time.sleep(pause)
        snapshots = _audit(con, expected)
        for table in expected:
            target = tmp_parquet / f"{table}.parquet"
            con.execute(f"copy main.{quote_ident(table)} to {quote_literal(str(target))} (format parquet)")
        con.execute("checkpoint")
    finally:
        con.close()
    return snapshots


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_json(path: Path, payload: dict[str, Any]) -> None:
    tmp = path.with_name(f"{path.name}.tmp-{uuid.uuid4().hex[:8]}")
    tmp.write_text(json.dumps(payload, indent=2, sort_keys=True) + "\n")
    os.replace(tmp, path)


def _swap_symlink(link: Path, target_name: str) -> None:
    """Point `link` at `target_name` (relative) in one atomic rename."""
    tmp_link = link.with_name(f"{link.name}.tmp-{uuid.uuid4().hex[:8]}")
    os.symlink(target_name, tmp_link)
    os.replace(tmp_link, link)


def read_manifest(path: Path) -> dict[str, Any] | None:
    return json.loads(path.read_text()) if path.exists() else None


def publish(
    paths: Paths,
    as_of: date | None = None,
    *,
    run_id: str | None = None,
    source: MartsSource | None = None,
) -> PublishResult:
    """Copy the marts into a new serving database, audit it, and swap it in atomically.

    The marts come from the data folder's DuckDB warehouse unless `source` says otherwise (publish/sources.py:
    Parquet another engine wrote). Call only after build and validation passed. Raises PublishError (serving
    untouched) when the audit fails.
    """
    if source is None:
        if not paths.warehouse_path.exists():
            raise PublishError(f"no warehouse at {paths.warehouse_path}: run land and build first")
        source = WarehouseMarts(paths.warehouse_path)
    started = time.perf_counter()
    run_id = run_id or datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ") + "-" + uuid.uuid4().hex[:8]
    serving = paths.serving_dir
    previous = serving / PREVIOUS_DIR
    with publish_lock(serving):
        clean_stale(paths)
        previous.mkdir(parents=True, exist_ok=True)
        tmp_db = serving / f"{paths.serving_path.name}.tmp-{run_id}"
        tmp_parquet = serving / f"parquet.tmp-{run_id}"
        try:
            snapshots = _write_tmp(source, tmp_db, tmp_parquet)
        except Exception:
            _remove(tmp_db)
            _remove(tmp_parquet)
            raise
        manifest = {
            "run_id": run_id,
            "as_of": as_of.isoformat() if as_of else None,
            "published_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "warehouse": str(paths.warehouse_path),
            "tables": {name: asdict(snapshot) for name, snapshot in sorted(snapshots.items())},
        }
        _promote(paths, tmp_db, tmp_parquet, run_id, manifest)
    return PublishResult(
        run_id=run_id,
        as_of=manifest["as_of"],
        serving_path=paths.serving_path,
        parquet_dir=paths.serving_parquet_dir,
        manifest_path=serving / MANIFEST_NAME,
        tables=snapshots,
        elapsed=time.perf_counter() - started,
    )


def _promote(paths: Paths, tmp_db: Path, tmp_parquet: Path, run_id: str, manifest: dict[str, Any]) -> None:
    """Keep the current files as previous, then swap the new ones in. Each step is one rename."""
    serving = paths.serving_dir
    previous = serving / PREVIOUS_DIR
    current_db = paths.serving_path
    parquet_link = paths.serving_parquet_dir
    if parquet_link.exists() and not parquet_link.is_symlink():
        # A plain folder (an older layout or a hand-made copy): move it under a versioned name first.
        legacy = f"parquet-legacy-{run_id}"
        os.replace(parquet_link, serving / legacy)
        _swap_symlink(parquet_link, legacy)

    if current_db.exists():
        # A hard link, not a move: the serving path must exist at every instant.
        staged = previous / f"{current_db.name}.tmp-{run_id}"
        os.link(current_db, staged)
        os.replace(staged, previous / current_db.name)
        if (serving / MANIFEST_NAME).exists():
            shutil.copyfile(serving / MANIFEST_NAME, previous / f"{MANIFEST_NAME}.tmp-{run_id}")
            os.replace(previous / f"{MANIFEST_NAME}.tmp-{run_id}", previous / MANIFEST_NAME)
    if parquet_link.is_symlink():
        _swap_symlink(previous / "parquet", os.path.join("..", os.readlink(parquet_link)))

    os.replace(tmp_db, current_db)
    new_parquet = f"parquet-{run_id}"
    os.replace(tmp_parquet, serving / new_parquet)
    _swap_symlink(parquet_link, new_parquet)
    _write_json(serving / MANIFEST_NAME, manifest)
    _fsync_dir(serving)
    clean_stale(paths)


def rollback(paths: Paths) -> RollbackResult:
    """Swap the previous serving database (and its Parquet and manifest) back in; the current one becomes
    the previous, so a second rollback undoes the first."""
    serving = paths.serving_dir
    previous = serving / PREVIOUS_DIR
    previous_db = previous / paths.serving_path.name
    with publish_lock(serving):
        if not previous_db.exists():
            raise PublishError(f"nothing to roll back to: {previous_db} does not exist")
        clean_stale(paths)
        tag = uuid.uuid4().hex[:8]
        current_db = paths.serving_path
        current_manifest = read_manifest(serving / MANIFEST_NAME)
        previous_manifest = read_manifest(previous / MANIFEST_NAME)

        staged = previous / f"{current_db.name}.tmp-{tag}"
        if current_db.exists():
            os.link(current_db, staged)
        os.replace(previous_db, current_db)
        if staged.exists():
            os.replace(staged, previous_db)

        current_parquet = _link_target(paths.serving_parquet_dir)
        previous_parquet = _link_target(previous / "parquet")
        if previous_parquet:
            _swap_symlink(paths.serving_parquet_dir, previous_parquet)
        if current_parquet:
            _swap_symlink(previous / "parquet", os.path.join("..", current_parquet))

        if previous_manifest is not None:
            _write_json(serving / MANIFEST_NAME, previous_manifest)
        if current_manifest is not None:
            _write_json(previous / MANIFEST_NAME, current_manifest)
        _fsync_dir(serving)
    return RollbackResult(
        serving_path=current_db,
        restored_run_id=(previous_manifest or {}).get("run_id"),
        replaced_run_id=(current_manifest or {}).get("run_id"),
    )
