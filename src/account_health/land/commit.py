"""Write a table's checked files to raw.<table>, raw._quarantine and raw._history (`write`), inside the
one transaction per table that `load` opens, and the raw._loads rows of any files (`record_loads`).

Every file is all or nothing: everything that can reject one file happens before (reading, rules, Great
Expectations); an error inside the transaction rolls all of them back and `load` rejects them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import duckdb

from account_health.contract import Table
from account_health.land import inflight
from account_health.land.check import Direct
from account_health.land.discover import SourceFile
from account_health.land.read import Staged
from account_health.land.report import FileResult
from account_health.land.rules import ACCOUNT_REFERENCE
from account_health.sql import quote_ident


@dataclass
class Pending:
    """A file checked into `_ah_pending`, waiting for validation and its commit."""

    source: SourceFile
    relative: str
    checksum: str
    staged: Staged
    result: FileResult
    direct: Direct | None = None  # checked straight from the file (`check`), not staged in `_ah_src`


@dataclass(frozen=True)
class Counts:
    """One file's rows in `_ah_pending`: loaded, quarantined, orphans among the loaded, null tokens."""

    loaded: int = 0
    quarantined: int = 0
    orphans: int = 0
    null_tokens: int = 0


def prepare(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    pending: list[Pending],
    counted: dict[str, Counts] | None = None,
) -> dict[str, Counts]:
    """Before the transaction: the files to commit (`_ah_commit`) and their rows' counts (`counted`, when
    `counts` already ran after the checks: a file's counts do not change when another file is dropped)."""
    con.execute("create or replace temp table _ah_commit (_load_id varchar)")
    con.execute("insert into _ah_commit select unnest(?)", [[item.result.load_id for item in pending]])
    return counts(con, table) if counted is None else counted


def write(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    pending: list[Pending],
    sources: list[str],
    counts: dict[str, Counts],
    loaded_at: dt.datetime,
) -> None:
    """Inside the transaction, for every file of `pending` (its rows are all that is left in
    `_ah_pending`): its earlier version replaced (moved to raw._history), its good rows into raw.<table>,
    the rest into raw._quarantine, its result filled in. `sources`: the source file of each `_file_index`.
    """
    columns = ", ".join(quote_ident(column) for column in table.column_names)
    replaced = _supersede(con, table, loaded_at)
    inflight.committed(con)  # their rows are in place already
    # the source file by position in a list, not a join: a join costs more than the rest on big files
    con.execute(
        f"""
        insert into raw.{quote_ident(table.name)} ({columns}, _load_id, _source_file, _loaded_at)
        select {columns}, _load_id, list_extract(?::varchar[], _file_index + 1), ?
        from _ah_pending where _reason is null
        """,
        [sources, loaded_at],
    )
    con.execute(
        """
        insert into raw._quarantine
        select ?, list_extract(?::varchar[], _file_index + 1) as source_file, _row_number, _reason,
            _raw_record, _load_id, ?
        from _ah_pending where _reason is not null
        order by source_file, _row_number
        """,
        [table.name, sources, loaded_at],
    )
    for item in pending:
        _close(item, counts.get(item.result.load_id, Counts()), replaced.get(item.relative, (0, [])))


def _close(item: Pending, counts: Counts, replaced: tuple[int, list[str]]) -> None:
    """Fill in a committed file's result, after the count assertion: rows read = loaded + quarantined."""
    result = item.result
    if counts.loaded + counts.quarantined != item.staged.rows_read:
        raise RuntimeError(
            f"{item.relative}: rows read {item.staged.rows_read} != loaded {counts.loaded}"
            f" + quarantined {counts.quarantined}"
        )
    result.rows_read, result.rows_loaded, result.rows_quarantined = (
        item.staged.rows_read,
        counts.loaded,
        counts.quarantined,
    )
    result.status = "loaded"
    result.message = _loaded_message(item.staged, counts, replaced)


def counts(con: duckdb.DuckDBPyConnection, table: Table) -> dict[str, Counts]:
    """Per file in `_ah_pending`, in one scan: rows loaded and quarantined, good rows whose account_id is
    not in raw.accounts, null tokens loaded as null.

    Orphans are reported, not quarantined: dbt relationship tests own referential integrity.
    """
    orphans, account = "0", ""
    if table.name != "accounts" and ACCOUNT_REFERENCE in table.column_names:
        orphans = (
            "count(*) filter (where pending._reason is null and pending.account_id is not null "
            "and not exists (select 1 from raw.accounts where accounts.account_id = pending.account_id))"
        )
        account = ", account_id"
    # the rows of in-flight files are all good and hold no null token (`inflight.insert_sql`)
    return {
        row[0]: Counts(*row[1:])
        for row in con.execute(
            f"""
            select pending._load_id,
                count(*) filter (where pending._reason is null),
                count(*) filter (where pending._reason is not null),
                {orphans},
                coalesce(sum(pending._null_tokens) filter (where pending._reason is null), 0)
            from (
                select _load_id, _reason, _null_tokens{account} from _ah_pending
                union all
                select _load_id, null, 0{account} from raw.{quote_ident(table.name)}
                semi join _ah_fast using (_load_id)
            ) as pending
            group by pending._load_id
            """
        ).fetchall()
    }


def _supersede(
    con: duckdb.DuckDBPyConnection, table: Table, now: dt.datetime
) -> dict[str, tuple[int, list[str]]]:
    """Re-exports: move the rows of the earlier version of each file being committed to raw._history.

    Returns {source_file: (rows moved, earlier load ids)} for the files that replaced an earlier version.
    """
    earlier: dict[str, list[str]] = {}
    for load_id, source_file in con.execute(
        """
        select load_id, source_file from raw._loads
        where table_name = ? and status = 'loaded' and source_file in (
            select source_file from _ah_files where _load_id in (select _load_id from _ah_commit)
        )
        order by _loaded_at
        """,
        [table.name],
    ).fetchall():
        earlier.setdefault(source_file, []).append(load_id)
    if not earlier:
        return {}
    name = quote_ident(table.name)
    moved = dict(
        con.execute(
            f"""
            select landed._source_file, count(*) from raw.{name} as landed
            where landed._source_file in (select unnest(?)) and landed._load_id not in (from _ah_commit)
            group by 1
            """,
            [list(earlier)],
        ).fetchall()
    )
    con.execute(
        f"""
        insert into raw._history
        select ?, landed._source_file, landed._load_id, landed._loaded_at, to_json(landed)::varchar,
            files._load_id, ?
        from raw.{name} as landed
        inner join _ah_files as files on landed._source_file = files.source_file
        where files._load_id in (select _load_id from _ah_commit) and landed._load_id not in (from _ah_commit)
        """,
        [table.name, now],
    )
    con.execute(
        f"delete from raw.{name} "
        "where _source_file in (select unnest(?)) and _load_id not in (from _ah_commit)",
        [list(earlier)],
    )
    con.execute(
        "update raw._loads set status = 'superseded' where table_name = ? and status = 'loaded' "
        "and source_file in (select unnest(?))",
        [table.name, list(earlier)],
    )
    return {source_file: (moved.get(source_file, 0), ids) for source_file, ids in earlier.items()}


def _loaded_message(staged: Staged, counts: Counts, replaced: tuple[int, list[str]]) -> str:
    notes = []
    rows, earlier = replaced
    if earlier:
        notes.append(
            f"new version of an already loaded file: replaced its {rows} rows from load "
            f"{', '.join(earlier)} (kept in raw._history)"
        )
    if counts.quarantined:
        notes.append(f"{counts.quarantined} rows quarantined (see raw._quarantine)")
    if staged.malformed:
        notes.append(f"{staged.malformed} malformed records among them")
    if staged.extra_columns:
        notes.append("ignored extra columns: " + ", ".join(repr(name) for name in staged.extra_columns))
    if staged.absent_optional:
        notes.append("optional columns absent (null): " + ", ".join(staged.absent_optional))
    if counts.null_tokens:
        notes.append(
            f"{counts.null_tokens} optional values were null tokens (NULL, N/A, #N/A) and loaded as null"
        )
    if counts.orphans:
        notes.append(
            f"{counts.orphans} rows reference an account_id not in raw.accounts (dbt relationship tests)"
        )
    return "; ".join(notes)
