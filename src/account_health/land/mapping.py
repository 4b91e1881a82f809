"""The declarative source mapping (`<config dir>/sources.yml`): a company's own exports -> the raw contract.

Per raw table it says which files to land (globs relative to the `--from` folder), which of the file's
columns feeds each contract column, how values map onto the contract's (`Enterprise` -> `enterprise`), the
date and timestamp formats, constants for required columns the export lacks, and what to skip (lines before
the header, records matching a pattern). No code: landing applies it as DuckDB SQL over the staged text
(`_ah_src`) before the contract's rules, so a quarantine reason names the file's own column
(`bad type: 'Signup Date'='31/02/2024' is not date`) and `_raw_record` keeps the record as exported.

A bad mapping is a `MappingError`, one line naming the mapping file, the line and the key, raised before
anything lands: by `load_mapping` for what the file itself gets wrong (unknown table or column, a value map
target the contract does not accept, a format string without a day, month and year), and by `check_files`
for what only the data shows (a mapped column the file does not have, values a value map leaves unmapped).
Files of a table the mapping does not name land exactly as without a mapping.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import yaml

from account_health.contract import TABLES, Column, Table
from account_health.land.discover import FORMATS, Discovered, SourceFile, discover
from account_health.land.read import FileKey, FileRejected, Staged, create_src, stage
from account_health.sql import quote_ident, quote_literal

TOP_LEVEL_KEYS = ("version", "date_format", "timestamp_format", "tables")
TABLE_KEYS = (
    "files",
    "skip_lines",
    "skip_rows",
    "columns",
    "values",
    "date_format",
    "timestamp_format",
    "formats",
    "defaults",
)
TEXT_FORMATS = ("csv", "json")  # formats that have lines to skip before the header
SHOWN_VALUES = 5  # unmapped values an error lists
# A sample moment a format string must round-trip (format, then parse) to prove it has a day, month, year.
_SAMPLE = dt.datetime(2024, 3, 15, 13, 45, 30)


class MappingError(ValueError):
    """The source mapping is wrong; the message is one line: file, line, key, what is wrong."""


@dataclass(frozen=True)
class TableMapping:
    """How one raw table is read from a company's files. Column keys are contract column names."""

    table: str
    files: tuple[str, ...]
    columns: dict[str, str] = field(default_factory=dict)  # contract column -> the file's column
    values: dict[str, dict[str, str | None]] = field(default_factory=dict)  # keys lower-cased, trimmed
    formats: dict[str, tuple[str, ...]] = field(default_factory=dict)  # date/timestamp column -> formats
    defaults: dict[str, str] = field(default_factory=dict)  # contract column -> constant (as text)
    skip_lines: int = 0
    skip_rows: dict[str, str] = field(default_factory=dict)  # the file's column -> regular expression

    def source_name(self, column: str) -> str:
        """The file's column that feeds a contract column (its own name when not renamed)."""
        return self.columns.get(column, column)

    def labels(self) -> dict[str, str]:
        """How quarantine reasons name each renamed contract column: the file's column, quoted."""
        return {column: "'" + source + "'" for column, source in self.columns.items()}

    def source_table(self, table: Table) -> Table:
        """The contract as the file spells it: one varchar column per distinct source column.

        A source column is required when it feeds a required contract column that has no default;
        columns named only in `skip_rows` are optional here and checked by `check_files`.
        """
        required: dict[str, bool] = {}
        for column in table.columns:
            name = _normalised(self.source_name(column.name))
            needed = column.required and column.name not in self.defaults
            required[name] = required.get(name, False) or needed
        for name in self.skip_rows:
            required.setdefault(_normalised(name), False)
        columns = tuple(Column(name, "varchar", needed) for name, needed in required.items())
        return Table(table.name, table.grain, columns, key=(), file_format=table.file_format)


@dataclass(frozen=True)
class SourceMapping:
    path: Path
    tables: dict[str, TableMapping]


def _normalised(name: str) -> str:
    """How landing matches a header name (trimmed, case-insensitive)."""
    return name.replace("\ufeff", "").strip().lower()


# --- reading and checking the mapping file -------------------------------------------------------------


class _Located:
    """Line numbers of the keys of a YAML document, so an error can point at the line to fix."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines: dict[tuple[str, ...], int] = {}
        node = yaml.compose(text)
        if node is not None:
            self._walk(node, ())

    def _walk(self, node: yaml.Node, at: tuple[str, ...]) -> None:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                key = (*at, str(key_node.value))
                self.lines[key] = key_node.start_mark.line + 1
                self._walk(value_node, key)

    def error(self, at: tuple[str, ...], message: str) -> MappingError:
        probe = at
        while probe and probe not in self.lines:
            probe = probe[:-1]
        line = f", line {self.lines[probe]}" if probe else ""
        key = f" {'.'.join(at)}:" if at else ""
        return MappingError(f"{self.path}{line}:{key} {message}")


def load_mapping(path: Path) -> SourceMapping:
    """Read and check a mapping file; raise MappingError (one line) on anything wrong in it."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as error:
        raise MappingError(f"{path}: cannot read the source mapping ({error})") from error
    try:
        document = yaml.safe_load(text)
        located = _Located(path, text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f", line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise MappingError(f"{path}{where}: not valid YAML: {problem}") from error
    if document is None:
        return SourceMapping(path, {})
    if not isinstance(document, dict):
        raise located.error((), "expected a mapping with a `tables:` key")
    _known_keys(located, (), document, TOP_LEVEL_KEYS)
    if document.get("version", 1) != 1:
        raise located.error(("version",), f"unsupported version {document['version']!r} (expected 1)")
    shared = {kind: document.get(f"{kind}_format") for kind in ("date", "timestamp")}
    tables = document.get("tables") or {}
    if not isinstance(tables, dict):
        raise located.error(("tables",), "expected one entry per raw table")
    mappings = {}
    for name, spec in tables.items():
        if name not in TABLES:
            raise located.error(("tables", str(name)), f"unknown table (raw tables: {', '.join(TABLES)})")
        mappings[name] = _table_mapping(located, TABLES[name], spec or {}, shared)
    return SourceMapping(path, mappings)


def load_optional(path: Path) -> SourceMapping | None:
    """The mapping at `path`, or None when there is no such file (files then land as the contract says)."""
    return load_mapping(path) if Path(path).is_file() else None


def _known_keys(located: _Located, at: tuple[str, ...], spec: Mapping[str, Any], known: tuple) -> None:
    for key in spec:
        if key not in known:
            raise located.error((*at, str(key)), f"unknown key (expected one of: {', '.join(known)})")


def _table_mapping(located: _Located, table: Table, spec: Any, shared: dict[str, Any]) -> TableMapping:
    at = ("tables", table.name)
    if not isinstance(spec, dict):
        raise located.error(at, "expected keys such as files, columns, values, formats, defaults")
    _known_keys(located, at, spec, TABLE_KEYS)
    contract = {column.name: column for column in table.columns}

    def columns_of(key: str) -> dict[str, Any]:
        entries = spec.get(key) or {}
        if not isinstance(entries, dict):
            raise located.error((*at, key), "expected `contract column: value` entries")
        for name in entries:
            if name not in contract:
                raise located.error(
                    (*at, key, str(name)),
                    f"unknown column of {table.name} (columns: {', '.join(contract)})",
                )
        return entries

    files = _strings(located, (*at, "files"), spec.get("files", f"{table.name}/**/*"))
    renames = {}
    for name, source in columns_of("columns").items():
        if not isinstance(source, str) or not source.strip():
            raise located.error((*at, "columns", name), "expected the name of a column in your files")
        renames[name] = source
    values = {
        name: _value_map(located, (*at, "values", name), contract[name], entries)
        for name, entries in columns_of("values").items()
    }
    formats = _formats(located, at, table, spec, shared, columns_of("formats"))
    defaults = {
        name: _constant(located, (*at, "defaults", name), contract[name], value)
        for name, value in columns_of("defaults").items()
    }
    skip_lines = spec.get("skip_lines", 0)
    if not isinstance(skip_lines, int) or isinstance(skip_lines, bool) or skip_lines < 0:
        raise located.error((*at, "skip_lines"), f"expected a whole number of lines, got {skip_lines!r}")
    skip_rows = spec.get("skip_rows") or {}
    if not isinstance(skip_rows, dict):
        raise located.error((*at, "skip_rows"), "expected `your column: regular expression` entries")
    for source, pattern in skip_rows.items():
        _check_pattern(located, (*at, "skip_rows", str(source)), pattern)
    return TableMapping(
        table=table.name,
        files=files,
        columns=renames,
        values=values,
        formats=formats,
        defaults=defaults,
        skip_lines=skip_lines,
        skip_rows={str(source): str(pattern) for source, pattern in skip_rows.items()},
    )


def _strings(located: _Located, at: tuple[str, ...], value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(i, str) and i.strip() for i in items):
        raise located.error(at, "expected a glob or a list of globs, relative to the --from folder")
    for item in items:
        if Path(item).is_absolute() or ".." in Path(item).parts:
            raise located.error(at, f"{item!r} must be relative to the --from folder, inside it")
    return tuple(items)


def _as_text(value: Any) -> str | None:
    """A YAML scalar as the text landing would read from a file (true -> 'true', 3 -> '3')."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat(sep=" ") if isinstance(value, dt.datetime) else value.isoformat()
    if isinstance(value, int | float | str):
        return str(value)
    raise TypeError(type(value).__name__)


def _fits(column: Column, text: str) -> str | None:
    """Why a constant does not fit a contract column, or None when it does."""
    if column.accepted and text not in column.accepted:
        return f"{text!r} is not an accepted value of {column.name} ({', '.join(column.accepted)})"
    if column.type != "varchar":
        cast = duckdb.sql(f"select try_cast({quote_literal(text)} as {column.type}) is null").fetchone()
        if cast is not None and cast[0]:
            return f"{text!r} is not a {column.type}"
    return None


def _value_map(located: _Located, at: tuple[str, ...], column: Column, entries: Any) -> dict[str, str | None]:
    if not isinstance(entries, dict) or not entries:
        raise located.error(at, "expected `your value: contract value` entries")
    mapped: dict[str, str | None] = {}
    for source, target in entries.items():
        try:
            key, text = _as_text(source), _as_text(target)
        except TypeError:
            problem = "expected a single value, not a list or mapping"
            raise located.error((*at, str(source)), problem) from None
        if key is None or not key.strip():
            raise located.error(at, "a blank value needs no mapping: blanks load as null")
        if text is not None and (problem := _fits(column, text)):
            raise located.error((*at, str(source)), problem)
        normal = key.strip().lower()
        if normal in mapped and mapped[normal] != text:
            raise located.error((*at, str(source)), f"{key!r} is mapped twice (values match ignoring case)")
        mapped[normal] = text
    return mapped


def _constant(located: _Located, at: tuple[str, ...], column: Column, value: Any) -> str:
    try:
        text = _as_text(value)
    except TypeError:
        raise located.error(at, "expected a single value, not a list or mapping") from None
    if text is None or not text.strip():
        raise located.error(at, "a default must be a value (leave the column out to keep it null)")
    if problem := _fits(column, text):
        raise located.error(at, problem)
    return text


def _formats(
    located: _Located,
    at: tuple[str, ...],
    table: Table,
    spec: dict[str, Any],
    shared: dict[str, Any],
    per_column: dict[str, Any],
) -> dict[str, tuple[str, ...]]:
    """Formats per date/timestamp column: the column's own, else the table's, else the file-wide one."""
    formats: dict[str, tuple[str, ...]] = {}
    for column in table.columns:
        if column.type not in ("date", "timestamp"):
            continue
        if column.name in per_column:
            where, value = (*at, "formats", column.name), per_column[column.name]
        elif spec.get(f"{column.type}_format") is not None:
            where, value = (*at, f"{column.type}_format"), spec[f"{column.type}_format"]
        elif shared[column.type] is not None:
            where, value = (f"{column.type}_format",), shared[column.type]
        else:
            continue
        formats[column.name] = _format_list(located, where, column, value)
    for name in per_column:
        column = next(column for column in table.columns if column.name == name)
        if column.type not in ("date", "timestamp"):
            raise located.error((*at, "formats", name), f"{name} is {column.type}, not a date or timestamp")
    return formats


def _format_list(located: _Located, at: tuple[str, ...], column: Column, value: Any) -> tuple[str, ...]:
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not items or not all(isinstance(item, str) for item in items):
        raise located.error(at, "expected a format such as '%d/%m/%Y' or a list of them")
    zoned = {("%z" in item or "%Z" in item) for item in items}
    if len(zoned) > 1:
        raise located.error(at, "either every format has a time zone (%z) or none has")
    if zoned == {True} and column.type == "date":
        raise located.error(at, f"{column.name} is a date: a time zone (%z) needs a timestamp column")
    for item in items:
        try:
            parsed = duckdb.sql(
                "select try_strptime(strftime($2::timestamp, $1::varchar), $1::varchar)::date",
                params=[item, _SAMPLE],
            ).fetchone()
        except duckdb.Error as error:
            reason = str(error).split(": ", 1)[-1].splitlines()[0]
            raise located.error(at, f"bad format {item!r}: {reason}") from None
        if parsed is None or parsed[0] != _SAMPLE.date():
            raise located.error(
                at,
                f"bad format {item!r}: it needs the day, month and year as directives, e.g. '%d/%m/%Y'",
            )
    return tuple(items)


def _check_pattern(located: _Located, at: tuple[str, ...], pattern: Any) -> None:
    if not isinstance(pattern, str) or not pattern:
        raise located.error(at, "expected a regular expression")
    try:
        duckdb.sql("select regexp_matches('', ?)", params=[pattern]).fetchone()
    except duckdb.Error as error:
        reason = str(error).split(": ", 1)[-1].splitlines()[0]
        raise located.error(at, f"bad regular expression {pattern!r}: {reason}") from None


# --- which files -------------------------------------------------------------------------------------


def discover_mapped(source_dir: Path, mapping: SourceMapping) -> Discovered:
    """Files to land: a mapped table's files come from its globs, every other table's from `<table>/`.

    Folders the mapping reads from are not misplaced; a table folder the mapping leaves out is a warning.
    """
    plain = discover(source_dir)
    if not source_dir.is_dir():
        return plain
    files = [file for file in plain.files if file.table not in mapping.tables]
    claimed: dict[Path, str] = {}
    for name in TABLES:  # contract order, like discover
        table_mapping = mapping.tables.get(name)
        if table_mapping is None:
            continue
        matched = sorted(
            {
                path
                for pattern in table_mapping.files
                for path in source_dir.glob(pattern)
                if path.is_file() and not _hidden(path.relative_to(source_dir))
            }
        )
        for path in matched:
            if path in claimed:
                raise MappingError(
                    f"{mapping.path}: {path.relative_to(source_dir)} is matched by the files of both "
                    f"{claimed[path]} and {name}: make the globs tell them apart"
                )
            claimed[path] = name
            files.append(SourceFile(path, name, FORMATS.get(path.suffix.lower())))
    used = {path.relative_to(source_dir).parts[0] for path in claimed}

    def unused(message: str) -> bool:
        return not any(f"{entry!r}" in message for entry in used)

    warnings = [warning for warning in plain.warnings if unused(warning)]
    misplaced = [entry for entry in plain.misplaced if unused(entry)]
    for name, table_mapping in mapping.tables.items():
        folder = source_dir / name
        globs = ", ".join(table_mapping.files)
        if folder.is_dir() and not any(path.is_relative_to(folder) for path in claimed):
            warnings.append(f"ignored folder {name!r}: {mapping.path.name} takes {name} from {globs}")
        if name not in claimed.values():
            warnings.append(f"no file matches {globs} ({name}, {mapping.path.name})")
    order = list(TABLES)
    files.sort(key=lambda file: (order.index(file.table), str(file.path)))
    return Discovered(files, warnings, misplaced)


def _hidden(relative: Path) -> bool:
    return any(part.startswith((".", "_")) for part in relative.parts)


# --- applying it ---------------------------------------------------------------------------------------


def stage_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    file_format: str,
    table: Table,
    file: FileKey,
    mapping: SourceMapping | None,
) -> Staged:
    """Append a file to `_ah_src` under contract names, through the table's mapping if it has one.

    Without a mapping for the table this is `read.stage`. With one, the file is staged under its own
    column names into a private `_ah_src`, then one SQL statement appends it to the table's `_ah_src`:
    renamed, values mapped, formats parsed, defaults filled, skipped records marked (they become
    quarantine rows with the reason, so rows read = loaded + quarantined), the record kept as exported.
    """
    table_mapping = mapping.tables.get(table.name) if mapping else None
    if table_mapping is None:
        return stage(con, path, file_format, table, file)
    path = _without_leading_lines(path, file_format, table_mapping.skip_lines)
    source_table = table_mapping.source_table(table)
    con.execute("alter table _ah_src rename to _ah_src_batch")
    try:
        create_src(con, source_table)
        staged = stage(con, path, file_format, source_table, file)
        con.execute(_mapped_sql(table, table_mapping, source_table))
    finally:
        con.execute("drop table if exists _ah_src")
        con.execute("alter table _ah_src_batch rename to _ah_src")
    absent = [
        column.name
        for column in table.columns
        if _normalised(table_mapping.source_name(column.name)) in staged.absent_optional
        and column.name not in table_mapping.defaults
    ]
    return Staged(staged.rows_read, staged.extra_columns, absent, staged.malformed)


def _without_leading_lines(path: Path, file_format: str, count: int) -> Path:
    """A copy of the file without its first `count` lines (a report title before the header)."""
    if count == 0:
        return path
    if file_format not in TEXT_FORMATS:
        raise FileRejected(f"skip_lines applies to CSV and JSON files, not {file_format.upper()}")
    copy = path.with_name(f"{path.stem}-body{path.suffix}")
    with path.open("rb") as source, copy.open("wb") as target:
        for _ in range(count):
            source.readline()
        while chunk := source.read(1 << 20):
            target.write(chunk)
    return copy


def _source_ref(table_mapping: TableMapping, column: str) -> str:
    return f"src.{quote_ident(_normalised(table_mapping.source_name(column)))}"


def _column_sql(table_mapping: TableMapping, column: Column) -> str:
    """SQL turning the file's text into the contract's text for one column (types are cast later)."""
    text = _source_ref(table_mapping, column.name)
    blank = f"nullif(trim({text}), '') is null"
    formats = table_mapping.formats.get(column.name)
    if formats:
        listed = "[" + ", ".join(quote_literal(item) for item in formats) + "]"
        parsed = f"try_strptime(trim({text}), {listed})"
        if any("%z" in item or "%Z" in item for item in formats):
            parsed = f"timezone('UTC', {parsed})"
        shown = f"strftime({parsed}, '%Y-%m-%d')" if column.type == "date" else f"{parsed}::varchar"
        # an unparseable value stays as it was, so the contract quarantines it naming the original text
        text = f"case when {blank} then {text} else coalesce({shown}, {text}) end"
    values = table_mapping.values.get(column.name)
    if values:
        whens = " ".join(
            f"when {quote_literal(key)} then "
            + (quote_literal(target) if target is not None else "null::varchar")
            for key, target in values.items()
        )
        text = f"case lower(trim({text})) {whens} else {text} end"
    default = table_mapping.defaults.get(column.name)
    if default is not None:
        text = f"coalesce(nullif(trim({text}), ''), {quote_literal(default)})"
    return f"{text} as {quote_ident(column.name)}"


def _skip_reason_sql(table_mapping: TableMapping) -> str:
    """SQL: the record's parse error, else why the mapping skips it (null when it is kept)."""
    whens = []
    for source, pattern in table_mapping.skip_rows.items():
        reason = quote_literal(f"skipped by the source mapping: {source!r} matches {pattern!r}")
        value = f"coalesce(src.{quote_ident(_normalised(source))}, '')"
        whens.append(f"when regexp_matches({value}, {quote_literal(pattern)}) then {reason}")
    if not whens:
        return "src._parse_error"
    return f"case when src._parse_error is not null then src._parse_error {' '.join(whens)} end"


def _mapped_sql(table: Table, table_mapping: TableMapping, source_table: Table) -> str:
    columns = ",\n            ".join(_column_sql(table_mapping, column) for column in table.columns)
    # the record as exported: staging lower-cased the header, the mapping has the names as written
    spelled = {
        _normalised(name): name for name in [*table_mapping.columns.values(), *table_mapping.skip_rows]
    }
    record = ", ".join(
        f"{quote_literal(spelled.get(column.name, column.name))}, src.{quote_ident(column.name)}"
        for column in source_table.columns
    )
    return f"""
        insert into _ah_src_batch
        select
            src._load_id,
            src._file_index,
            src._row_number,
            {_skip_reason_sql(table_mapping)} as _parse_error,
            coalesce(src._raw_record, json_object({record})::varchar) as _raw_record,
            {columns}
        from _ah_src as src
        """


# --- checking the files against the mapping, before anything lands ---------------------------------------


def check_files(source_dir: Path, files: list[SourceFile], mapping: SourceMapping) -> None:
    """Raise MappingError when a mapped file lacks a column the mapping names or has unmapped values.

    Every mapped file is staged once in a scratch database (spilling to a temporary folder), so nothing
    reaches the warehouse until the whole mapping fits the whole delivery. Files that are unreadable for
    other reasons are left to landing, which rejects them one by one as without a mapping.
    """
    mapped = [
        file
        for file in files
        if file.table in mapping.tables and file.file_format is not None and file.problem is None
    ]
    if not mapped:
        return
    with tempfile.TemporaryDirectory(prefix="ah-mapping-") as tmp:
        con = duckdb.connect()
        try:
            con.execute(f"set temp_directory = {quote_literal(str(Path(tmp) / 'spill'))}")
            for index, file in enumerate(mapped):
                _check_file(con, source_dir, file, mapping, Path(tmp), index)
        finally:
            con.close()


def _check_file(
    con: duckdb.DuckDBPyConnection,
    source_dir: Path,
    file: SourceFile,
    mapping: SourceMapping,
    tmp: Path,
    index: int,
) -> None:
    table = TABLES[file.table]
    table_mapping = mapping.tables[file.table]
    relative = file.relative_to(source_dir)
    link = tmp / f"file{index}{file.path.suffix.lower()}"
    link.symlink_to(file.path.resolve())
    where = f"{mapping.path}: tables.{file.table}"
    try:
        path = _without_leading_lines(link, str(file.file_format), table_mapping.skip_lines)
        create_src(con, table_mapping.source_table(table))
        key = FileKey(f"check{index}", 0)
        staged = stage(con, path, str(file.file_format), table_mapping.source_table(table), key)
    except FileRejected as rejection:
        if "missing required column" in str(rejection):
            raise MappingError(
                f"{where}: {relative}: {rejection}; name the file's column under `columns:` or give a "
                "constant under `defaults:`"
            ) from None
        return  # landing rejects the file with the same message, naming it
    named = {_normalised(source): f"columns.{column}" for column, source in table_mapping.columns.items()}
    named.update({_normalised(source): f"skip_rows.{source}" for source in table_mapping.skip_rows})
    for source, key in named.items():
        if source in staged.absent_optional:
            columns = con.execute("select * from _ah_src limit 0").description
            header = [
                column[0]
                for column in columns
                if not column[0].startswith("_") and column[0] not in staged.absent_optional
            ]
            raise MappingError(
                f"{where}.{key}: {relative} has no column {source!r} (its columns: "
                f"{', '.join(header + staged.extra_columns)})"
            )
    for column, values in table_mapping.values.items():
        source = _source_ref(table_mapping, column)
        skipped = _skip_reason_sql(table_mapping)
        keys = ", ".join(quote_literal(key) for key in values)
        unmapped = con.execute(
            f"""
            select trim({source}) as value, count(*) as records
            from _ah_src as src
            where nullif(trim({source}), '') is not null
                and lower(trim({source})) not in ({keys})
                and ({skipped}) is null
            group by 1 order by records desc, value limit {SHOWN_VALUES + 1}
            """
        ).fetchall()
        if unmapped:
            shown = ", ".join(repr(value) for value, _ in unmapped[:SHOWN_VALUES])
            more = " and more" if len(unmapped) > SHOWN_VALUES else ""
            raise MappingError(
                f"{where}.values.{column}: {relative} has values the map leaves unmapped in column "
                f"{table_mapping.source_name(column)!r}: {shown}{more}"
            )
    con.execute("drop table if exists _ah_src")
