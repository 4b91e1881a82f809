"""Read source files into the text staging table `_ah_src` (one per table and run), or reject them.

Everything is read as text first, so that a value that does not fit its type becomes a quarantined row with
the original string rather than a read error for the whole file. `_ah_src` (`create_src`) has one row per
record of every file of one table staged in this run: `_load_id` and `_file_index` (which file),
`_row_number` (1-based record number, header not counted), `_parse_error` (set when the record itself
could not be parsed: a malformed CSV line, a JSON line that is not an object), `_raw_record` (JSON text of
the original values when the file has columns the contract does not; null otherwise, and rebuilt from the
contract columns for a quarantined row) and one varchar column per contract column (null when an
optional column is absent). A per-table transform (a source mapping) can rewrite `_ah_src` in place
before the rules run.

File and column names never reach SQL text unquoted: the path goes in as a parameter (and through a
symlink with a plain name, because DuckDB expands glob characters in paths), column names through
`quote_ident` or as parameters.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from account_health.contract import Table
from account_health.sql import quote_ident, quote_literal

MAX_LINE_BYTES = 64 * 1024 * 1024  # longest CSV line DuckDB will parse; longer lines reject the file
# The unnumbered read's limit (`open_csv`): DuckDB's default. DuckDB cuts a file into buffers larger than
# the longest line allowed, so at 64 MB a 69 MB file is read by one thread; a longer line fails that read
# and the file is read again, numbered, with the full limit (`check`).
UNNUMBERED_MAX_LINE_BYTES = 2 * 1024 * 1024


class FileRejected(Exception):
    """The whole file cannot be landed; the message names the problem (and the column, if one)."""


def create_src(con: duckdb.DuckDBPyConnection, table: Table) -> None:
    """The empty text staging table for `table`'s files in this run."""
    columns = ", ".join(f"{quote_ident(name)} varchar" for name in table.column_names)
    con.execute(
        f"""
        create or replace temp table _ah_src (
            _load_id varchar, _file_index integer, _row_number bigint, _parse_error varchar,
            _raw_record varchar, {columns}
        )
        """
    )


@dataclass
class Staged:
    """What reading found: rows in `_ah_src`, and the header differences worth reporting."""

    rows_read: int
    extra_columns: list[str] = field(default_factory=list)
    absent_optional: list[str] = field(default_factory=list)
    malformed: int = 0


def _normalise(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


def map_columns(table: Table, header: list[str]) -> tuple[dict[str, str], list[str], list[str]]:
    """Match the file's header to the contract (trimmed, case-insensitive).

    Returns (contract name -> header name, extra header names, absent optional contract columns).
    Raises FileRejected when a required column is missing or a contract column appears twice.
    """
    found: dict[str, str] = {}
    extra: list[str] = []
    contract = set(table.column_names)
    for name in header:
        key = _normalise(name)
        if key in contract:
            if key in found:
                raise FileRejected(f"column {key!r} appears twice in the header ({found[key]!r}, {name!r})")
            found[key] = name
        else:
            extra.append(name)
    missing = [name for name in table.required_columns if name not in found]
    if missing:
        listed = ", ".join(repr(name) for name in missing)
        have = ", ".join(repr(name) for name in header) or "none"
        plural = "s" if len(missing) > 1 else ""
        raise FileRejected(f"missing required column{plural} {listed} (the file has: {have})")
    absent = [name for name in table.column_names if name not in found]
    return found, extra, absent


@dataclass(frozen=True)
class FileKey:
    """Which file rows in `_ah_src` come from: its load id, its position among the table's files and its
    path under the source folder (the `_source_file` of its rows)."""

    load_id: str
    index: int
    source_file: str = ""


def _raw_record_expr(extra: list[str], source: str) -> str:
    """The whole record as JSON only when the file has columns beyond the contract (they would be lost
    otherwise); else null, rebuilt from the contract columns for the few rows that are quarantined."""
    return f"to_json({source})::varchar" if extra else "null::varchar"


def _select_text_columns(table: Table, found: dict[str, str], source: str) -> str:
    """`source."<header name>"::varchar as "<contract name>"` for each contract column (null if absent)."""
    parts = []
    for column in table.columns:
        if column.name in found:
            parts.append(f"{source}.{quote_ident(found[column.name])}::varchar as {quote_ident(column.name)}")
        else:
            parts.append(f"null::varchar as {quote_ident(column.name)}")
    return ",\n    ".join(parts)


ENDINGS = {b"\r\n": ("CRLF", "\\r\\n"), b"\n": ("LF", "\\n"), b"\r": ("CR", "\\r")}
MAX_HEADER_NAME_CHARS = 1_000  # a longer header cell is not a column name: the first line is not a header


LINE_END = re.compile(rb"\r\n|\n|\r")


def _header_line(path: Path) -> tuple[bytes, bytes]:
    """The first line's bytes and its terminator (CRLF, LF or CR; b"" when the file is one line)."""
    buffer = b""
    with path.open("rb") as handle:
        while True:
            chunk = handle.read(1 << 16)
            buffer += chunk
            match = LINE_END.search(buffer)
            # a CR at the very end of what was read may be the first half of a CRLF: read on
            if match is not None and (match.end() < len(buffer) or not chunk):
                return buffer[: match.start()], match.group()
            if not chunk:
                return buffer, b""
            if len(buffer) > MAX_LINE_BYTES:
                raise FileRejected(f"line 1: longer than {MAX_LINE_BYTES:,} bytes without a line break")


def _csv_header(path: Path) -> tuple[list[str], str]:
    """The header's column names (unique: blanks become column<N>) and DuckDB's `new_line` for the file.

    Every line must end like the header: CRLF (Windows, Excel), LF, or CR (old Mac Excel).
    """
    first, ending = _header_line(path)
    if not first and not ending:
        raise FileRejected("empty file: no header line")
    try:
        text = first.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FileRejected(
            f"line 1, column {error.start + 1}: not UTF-8 encoded (header); re-export the file as UTF-8"
        ) from error
    if not text.strip():
        raise FileRejected("line 1: blank; expected a header line")
    csv.field_size_limit(max(csv.field_size_limit(), MAX_LINE_BYTES))
    try:
        header = next(csv.reader([text], delimiter=",", quotechar='"', strict=True))
    except csv.Error as error:
        raise FileRejected(f"line 1: the header is not valid CSV ({error})") from error
    names: list[str] = []
    seen: dict[str, int] = {}
    for index, name in enumerate(header, start=1):
        if len(name) > MAX_HEADER_NAME_CHARS:
            raise FileRejected(
                f"line 1, column {index}: header name of {len(name):,} characters (max "
                f"{MAX_HEADER_NAME_CHARS:,}); is the first line a header?"
            )
        key = _normalise(name)
        if key and key in seen:
            raise FileRejected(
                f"line 1, column {index}: column {name.strip()!r} appears twice in the header "
                f"(also column {seen[key]}); remove or rename one"
            )
        seen[key] = index
        base = name if name.strip() else f"column{index}"
        unique, suffix = base, 2
        while unique in names:
            unique, suffix = f"{base}_{suffix}", suffix + 1
        names.append(unique)
    return names, ENDINGS.get(ending, ENDINGS[b"\n"])[1]


def _first_other_ending(path: Path, new_line: str) -> str:
    """Where a line first ends differently from the header (mixed line endings), as 'line N, column C'."""
    data = path.read_bytes()
    expected = next(ending for ending, (_, escaped) in ENDINGS.items() if escaped == new_line)
    names = {ending: name for ending, (name, _) in ENDINGS.items()}
    position = 0
    line = 1
    while True:
        match = LINE_END.search(data, position)
        if match is None:
            return ""
        if match.group() != expected:
            column = match.start() - position + 1
            return (
                f"line {line}, column {column}: line ends with {names[match.group()]} but line 1 with "
                f"{names[expected]} (mixed line endings); re-export the file with one kind of line ending"
            )
        position, line = match.end(), line + 1


def _text_rows_sql(
    table: Table, found: dict[str, str], extra: list[str], reader: str, numbered: bool = True
) -> str:
    """A select of the rows `reader` (a table function) reads, shaped like `_ah_src`: the load id and file
    index as the first two parameters, the 1-based record number, every contract column as text.

    `numbered=False`: the record number is null. `row_number() over ()` is a window DuckDB runs on one
    thread, so without it the read and everything reading it run on every core (`check` uses that for a
    file whose rows all pass, where no record number is ever shown)."""
    row_number = "row_number() over ()" if numbered else "null::bigint"
    return f"""
        select
            ?::varchar as _load_id, ?::integer as _file_index,
            {row_number} as _row_number,
            null::varchar as _parse_error,
            {_raw_record_expr(extra, "src")} as _raw_record,
            {_select_text_columns(table, found, "src")}
        from {reader} as src
        """


@dataclass(frozen=True)
class FileSource:
    """A file opened for reading: its columns matched to the contract and the select of its rows (a
    Parquet file's, `open_parquet`; a CSV file's is a `CsvSource`)."""

    path: Path
    found: dict[str, str]
    extra: list[str]
    absent: list[str]
    sql: str  # the rows as text, shaped like `_ah_src` (`_text_rows_sql`)
    params: list[object]


@dataclass(frozen=True)
class CsvSource(FileSource):
    """A CSV file opened for reading, with the line ending its header has."""

    new_line: str  # escaped for read_csv: \\n, \\r\\n or \\r


def open_csv(path: Path, table: Table, file: FileKey, numbered: bool = True) -> CsvSource:
    """Parse the header here (rejecting the file when it does not fit) and build the select that reads the
    body with DuckDB: a fixed dialect, every value as text, malformed lines kept aside (`store_rejects`).
    `numbered`: as in `_text_rows_sql`; unnumbered, lines are limited to `UNNUMBERED_MAX_LINE_BYTES`."""
    header, new_line = _csv_header(path)
    found, extra, absent = map_columns(table, header)
    columns = {name: "VARCHAR" for name in header}
    reader = f"""read_csv(
        ?, columns = ?, auto_detect = false, header = true, delim = ',', quote = '"', escape = '"',
        new_line = '{new_line}', store_rejects = true, rejects_table = '_ah_rejects',
        rejects_scan = '_ah_rejects_scan',
        max_line_size = {MAX_LINE_BYTES if numbered else UNNUMBERED_MAX_LINE_BYTES}
    )"""
    sql = _text_rows_sql(table, found, extra, reader, numbered)
    params = [file.load_id, file.index, str(path), columns]
    return CsvSource(path, found, extra, absent, sql, params, new_line=new_line)


def read_csv_rows(con: duckdb.DuckDBPyConnection, source: CsvSource, statement: str) -> int:
    """Run `statement` (which reads `source.sql` once, with its parameters) and return its row count.

    DuckDB's parser stops at a line that ends unlike the one it was told: the rejection names that line.
    """
    # DuckDB appends a scan to the rejects tables only when it rejected a line: without this, a clean file
    # read after one with bad lines would take their rejects for its own.
    con.execute("drop table if exists _ah_rejects")
    con.execute("drop table if exists _ah_rejects_scan")
    try:
        return con.execute(statement, source.params).fetchone()[0]
    except duckdb.InvalidInputException as error:
        mixed = _first_other_ending(source.path, source.new_line)
        if mixed:
            raise FileRejected(mixed) from error
        raise


def finish_csv(
    con: duckdb.DuckDBPyConnection,
    source: CsvSource,
    table: Table,
    file: FileKey,
    rows_read: int,
    numbered: str = "_ah_src",
) -> Staged:
    """After the read: reject a file with lines that are not UTF-8; put malformed lines into `_ah_src` as
    parse errors and renumber the file's parsed rows in `numbered` (the table its rows went to)."""
    rejects = con.execute(
        """
        select
            line,
            any_value(error_type),
            string_agg(distinct error_message, '; ' order by error_message),
            any_value(csv_line)
        from _ah_rejects
        where scan_id = (select max(scan_id) from _ah_rejects_scan)  -- the tables gather every scan
        group by line order by line
        """
    ).fetchall()
    bad_encoding = [row for row in rejects if row[1] == "INVALID ENCODING"]
    if bad_encoding:
        raise FileRejected(
            f"line {bad_encoding[0][0]}: not UTF-8 encoded ({len(bad_encoding)} lines affected); "
            "re-export the file as UTF-8"
        )
    if rejects:
        _add_malformed_lines(con, table, rejects, file, rows_read, numbered)
    return Staged(rows_read + len(rejects), source.extra, source.absent, malformed=len(rejects))


def stage_csv(con: duckdb.DuckDBPyConnection, path: Path, table: Table, file: FileKey) -> Staged:
    """CSV: header parsed here, body by DuckDB with fixed dialect; malformed lines become parse errors."""
    source = open_csv(path, table, file)
    rows_read = read_csv_rows(con, source, f"insert into _ah_src {source.sql}")
    return finish_csv(con, source, table, file, rows_read)


def _add_malformed_lines(
    con: duckdb.DuckDBPyConnection,
    table: Table,
    rejects: list[tuple],
    file: FileKey,
    parsed: int,
    numbered: str = "_ah_src",
) -> None:
    """Put lines DuckDB could not parse into `_ah_src` as parse errors, and renumber the parsed records
    (in `numbered`, the table they went to: `_ah_src`, or `_ah_pending` when checked straight from the file).

    DuckDB skips a rejected line, so the parsed records' ordinals shift after it; the k-th parsed record
    is the k-th record number that was not rejected (exact unless a quoted value spans lines).
    """
    con.execute(
        "create or replace temp table _ah_bad_lines (record_number bigint, reason varchar, line varchar)"
    )
    con.executemany(
        "insert into _ah_bad_lines values (?, ?, ?)",
        [
            (int(line) - 1, f"malformed CSV line {line}: {message}", text)
            for line, _type, message, text in rejects
        ],
    )
    total = parsed + len(rejects)
    con.execute(
        """
        create or replace temp table _ah_slots as
        select record_number, row_number() over (order by record_number) as ordinal
        from range(1, ? + 1) as slots(record_number)
        where record_number not in (select record_number from _ah_bad_lines)
        """,
        [total],
    )
    con.execute(
        f"""
        update {numbered} as numbered set _row_number = _ah_slots.record_number
        from _ah_slots where numbered._load_id = ? and numbered._row_number = _ah_slots.ordinal
        """,
        [file.load_id],
    )
    nulls = ", ".join("null" for _ in table.columns)
    con.execute(
        f"""
        insert into _ah_src
        select ?, ?, record_number, reason, to_json({{'line': line}})::varchar, {nulls}
        from _ah_bad_lines
        """,
        [file.load_id, file.index],
    )
    con.execute("drop table _ah_bad_lines")
    con.execute("drop table _ah_slots")


def _is_json_array(path: Path) -> bool:
    """Whether the file's first non-blank character (after a BOM) opens a JSON array."""
    with path.open("rb") as handle:
        start = handle.read(4096).removeprefix(b"\xef\xbb\xbf").lstrip()
    return start.startswith(b"[")


def stage_json(con: duckdb.DuckDBPyConnection, path: Path, table: Table, file: FileKey) -> Staged:
    """JSON: newline-delimited objects (the row number is the line number), or one array of objects (the
    row number is the element's position). A record that is not one JSON object is a parse error, and so is
    an object with a key twice (which value was meant?) or a list or object where a contract column is."""
    if path.stat().st_size == 0:
        raise FileRejected("empty file: no JSON records")
    try:
        if _is_json_array(path):
            con.execute(
                """
                create or replace temp table _ah_lines as
                select json::varchar as line, row_number() over () as line_number
                from read_json_objects(?, format = 'array')
                """,
                [str(path)],
            )
        else:
            con.execute(
                """
                create or replace temp table _ah_lines as
                select rtrim(unnest(lines), chr(13)) as line, unnest(range(1, len(lines) + 1)) as line_number
                from (select string_split(ltrim(content, chr(65279)), chr(10)) as lines from read_text(?))
                """,
                [str(path)],
            )
    except duckdb.InvalidInputException as error:
        if "UTF-8" in str(error):
            raise FileRejected("not UTF-8 encoded; re-export the file as UTF-8") from error
        raise FileRejected(f"not valid JSON: {_first_line(error)}") from error
    con.execute("delete from _ah_lines where trim(line) = ''")
    con.execute(
        """
        alter table _ah_lines add column is_object boolean;
        update _ah_lines
        set is_object = case when json_valid(line) then json_type(line) = 'OBJECT' else false end;
        """
    )
    keys = [
        row[0]
        for row in con.execute(
            """
            select key from (
                select unnest(json_keys(line)) as key, line_number from _ah_lines where is_object
            )
            group by key order by min(line_number), key
            """
        ).fetchall()
    ]
    objects = con.execute("select count(*) filter (where is_object) from _ah_lines").fetchone()[0]
    if objects == 0:
        raise FileRejected("no JSON object found: expected newline-delimited JSON, one object per line")
    found, extra, absent = map_columns(table, keys)
    selects, params, nested, nested_params = [], [], [], []
    for column in table.columns:
        if column.name in found:
            path_param = '$."' + found[column.name].replace("\\", "\\\\").replace('"', '\\"') + '"'
            selects.append(
                f"case when is_object then json_extract_string(line, ?) end as {quote_ident(column.name)}"
            )
            params.append(path_param)
            nested.append(
                f"case when json_type(line, ?) in ('ARRAY', 'OBJECT') then {quote_literal(column.name)} "
                f"|| ' is a JSON ' || lower(json_type(line, ?)) || ', not one value: ' "
                f"|| left(json_extract(line, ?)::varchar, 40) end"
            )
            nested_params += [path_param, path_param, path_param]
        else:
            selects.append(f"null::varchar as {quote_ident(column.name)}")
    select_list = ",\n            ".join(selects)
    nested_list = ", ".join(nested) or "null"
    rows_read = con.execute(
        f"""
        insert into _ah_src
        select
            ?, ?,
            line_number as _row_number,
            case
                when not json_valid(line) then 'invalid JSON on line ' || line_number
                when not is_object then 'line ' || line_number || ' is not a JSON object'
                when len(json_keys(line)) > len(list_distinct(json_keys(line))) then
                    'key ' || to_json(list_filter(json_keys(line), lambda key, i:
                        list_position(json_keys(line), key) < i)[1])::varchar
                    || ' appears twice in the JSON object on line ' || line_number
                else nullif(concat_ws('; ', {nested_list}), '')
            end as _parse_error,
            case when json_valid(line) then line else to_json(line)::varchar end as _raw_record,
            {select_list}
        from _ah_lines
        """,
        [file.load_id, file.index, *nested_params, *params],
    ).fetchone()[0]
    con.execute("drop table _ah_lines")
    malformed = con.execute(
        "select count(*) from _ah_src where _load_id = ? and _parse_error is not null", [file.load_id]
    ).fetchone()[0]
    return Staged(rows_read, extra, absent, malformed=malformed)


def open_parquet(
    con: duckdb.DuckDBPyConnection, path: Path, table: Table, file: FileKey, numbered: bool = True
) -> FileSource:
    """Read the file's schema here (rejecting a file that is empty or not Parquet) and build the select
    that reads its rows natively (typed), each value cast to text so the same rules apply as for CSV and
    JSON. `numbered`: as in `_text_rows_sql`."""
    if path.stat().st_size == 0:
        raise FileRejected("empty file: not a Parquet file")
    try:
        description = con.execute("select * from read_parquet(?) limit 0", [str(path)]).description
    except duckdb.Error as error:
        raise FileRejected(f"not a readable Parquet file: {_first_line(error)}") from error
    found, extra, absent = map_columns(table, [column[0] for column in description])
    sql = _text_rows_sql(table, found, extra, "read_parquet(?)", numbered)
    return FileSource(path, found, extra, absent, sql, [file.load_id, file.index, str(path)])


def stage_parquet(con: duckdb.DuckDBPyConnection, path: Path, table: Table, file: FileKey) -> Staged:
    """Parquet: read natively (typed), then cast to text so the same rules apply as for CSV and JSON."""
    source = open_parquet(con, path, table, file)
    rows_read = con.execute(f"insert into _ah_src {source.sql}", source.params).fetchone()[0]
    return Staged(rows_read, source.extra, source.absent)


def open_file(
    con: duckdb.DuckDBPyConnection, path: Path, file_format: str, table: Table, file: FileKey, numbered: bool
) -> FileSource:
    """Open a CSV or Parquet file for reading straight from disk (`open_csv`, `open_parquet`)."""
    if file_format == "csv":
        return open_csv(path, table, file, numbered=numbered)
    return open_parquet(con, path, table, file, numbered=numbered)


def has_malformed_lines(con: duckdb.DuckDBPyConnection, source: FileSource) -> bool:
    """Whether the last read of a CSV file put lines aside as malformed; a Parquet file has no lines."""
    return isinstance(source, CsvSource) and con.execute("select exists (from _ah_rejects)").fetchone()[0]


def read_rows(con: duckdb.DuckDBPyConnection, source: FileSource, statement: str) -> int:
    """Run `statement`, which reads `source.sql` once with its parameters; returns its row count."""
    if isinstance(source, CsvSource):
        return read_csv_rows(con, source, statement)
    return con.execute(statement, source.params).fetchone()[0]


def finish_rows(
    con: duckdb.DuckDBPyConnection,
    source: FileSource,
    table: Table,
    file: FileKey,
    rows_read: int,
    numbered: str = "_ah_src",
) -> Staged:
    """After the read: a CSV file's malformed lines and encoding (`finish_csv`); a Parquet file has none."""
    if isinstance(source, CsvSource):
        return finish_csv(con, source, table, file, rows_read, numbered)
    return Staged(rows_read, source.extra, source.absent)


def _first_line(error: Exception) -> str:
    return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__


STAGERS = {"csv": stage_csv, "json": stage_json, "parquet": stage_parquet}


def stage(
    con: duckdb.DuckDBPyConnection, path: Path, file_format: str, table: Table, file: FileKey
) -> Staged:
    """Append `path` to `_ah_src`; any read error becomes a FileRejected naming what DuckDB said.

    A rejected file may have left rows in `_ah_src`: the caller deletes them by `file.load_id`.
    """
    try:
        return STAGERS[file_format](con, path, table, file)
    except FileRejected:
        raise
    except duckdb.Error as error:
        raise FileRejected(f"unreadable {file_format.upper()} file: {_first_line(error)}") from error
