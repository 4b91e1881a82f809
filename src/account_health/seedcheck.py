"""`account-health check`: every seed the build will read, checked in seconds, before any build.

The checks are the ones the seeds' YAML declares for dbt (column types, not_null, unique, accepted values
and ranges, relationships between seeds, expressions) and the singular tests in `tests/` that read only
seeds. They are read from the same YAML and SQL files, not written again here, and run in an in-memory
DuckDB over the CSV files the build would use (the project's seeds with the config folder's laid over
them), so a mistake is named by file, line and column, not as a failing test after a two-minute build.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb
import yaml

from account_health.config import PROJECT_SEEDS, project_seeds, seed_overrides
from account_health.paths import PROJECT_DIR
from account_health.sql import quote_ident, quote_literal

SINGULAR_TESTS = PROJECT_DIR / "tests"
_REF = re.compile(r"\{\{\s*ref\(\s*'([a-z0-9_]+)'\s*\)\s*\}\}")


@dataclass(frozen=True)
class Problem:
    file: Path
    line: int | None  # line in the CSV file (1 = header); None for a problem of the whole file
    column: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else str(self.file)
        return f"{where}: {self.column + ': ' if self.column else ''}{self.message}"


@dataclass(frozen=True)
class CheckReport:
    seeds: int
    tests: int
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass(frozen=True)
class _Test:
    name: str
    column: str | None
    arguments: dict[str, Any]
    where: str | None


def _tests(entries: list[Any] | None, column: str | None) -> Iterator[_Test]:
    for entry in entries or []:
        if isinstance(entry, str):
            yield _Test(entry, column, {}, None)
            continue
        [(name, body)] = entry.items()
        body = body or {}
        arguments = body.get("arguments", {k: v for k, v in body.items() if k != "config"})
        yield _Test(name, column, arguments or {}, (body.get("config") or {}).get("where"))


def _seed_properties() -> dict[str, dict[str, Any]]:
    properties: dict[str, dict[str, Any]] = {}
    for path in sorted(PROJECT_SEEDS.rglob("*.yml")):
        for seed in (yaml.safe_load(path.read_text()) or {}).get("seeds") or []:
            properties[seed["name"]] = seed
    return properties


def _load(con: duckdb.DuckDBPyConnection, name: str, path: Path, types: dict[str, str]) -> list[Problem]:
    """Table `name` with the seed's typed columns and `_line`; a problem per value that is not its type."""
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = [column.strip() for column in next(reader, [])]
        rows = [(reader.line_num, *row) for row in reader if any(cell.strip() for cell in row)]
    problems = [
        Problem(path, row[0], None, f"{len(row) - 1} values, the header has {len(header)}")
        for row in rows
        if len(row) != len(header) + 1
    ]
    rows = [row for row in rows if len(row) == len(header) + 1]
    text = f"_text_{name}"
    columns = ", ".join(f"{quote_ident(column)} varchar" for column in header)
    con.execute(f"create table {quote_ident(text)} (_line integer, {columns})")
    if rows:
        marks = ", ".join("?" for _ in range(len(header) + 1))
        con.executemany(f"insert into {quote_ident(text)} values ({marks})", rows)
    selected = []
    for column in header:
        value = f"nullif({quote_ident(column)}, '')"
        sql_type = types.get(column) or _inferred_type(con, text, value)
        if sql_type.lower() in ("varchar", "text", "string"):
            sql_type = None
        if sql_type:
            for line, raw in con.execute(
                f"select _line, {quote_ident(column)} from {quote_ident(text)} "
                f"where {value} is not null and try_cast(trim({value}) as {sql_type}) is null order by _line"
            ).fetchall():
                problems.append(Problem(path, line, column, f"{raw!r} is not a valid {sql_type}"))
            value = f"try_cast(trim({value}) as {sql_type})"
        selected.append(f"{value} as {quote_ident(column)}")
    con.execute(
        f"create table {quote_ident(name)} as select _line, {', '.join(selected)} from {quote_ident(text)}"
    )
    return problems


def _inferred_type(con: duckdb.DuckDBPyConnection, table: str, value: str) -> str:
    """What dbt would infer for an undeclared column: a number or a date when every value is one."""
    for sql_type in ("double", "date"):
        failing = con.execute(
            f"select count(*) from {quote_ident(table)} "
            f"where {value} is not null and try_cast(trim({value}) as {sql_type}) is null"
        ).fetchone()[0]
        if not failing:
            return sql_type
    return "varchar"


def _ref_table(ref: str) -> str | None:
    match = re.fullmatch(r"ref\('([a-z0-9_]+)'\)", ref.strip())
    return match.group(1) if match else None


def _failing_rows_sql(seed: str, test: _Test, seeds: set[str]) -> str | None:
    """SQL returning (_line, value) of the rows that fail `test`, or None when it is not one to run here."""
    table = quote_ident(seed)
    where = f" and ({test.where})" if test.where else ""
    column = quote_ident(test.column) if test.column else None
    arguments = test.arguments
    if test.name == "not_null" and column:
        return f"select _line, null from {table} where {column} is null{where}"
    if test.name == "not_empty_string" and column:
        return f"select _line, {column} from {table} where trim({column}) = ''{where}"
    if test.name in ("unique", "unique_combination_of_columns"):
        names = arguments.get("combination_of_columns") or [test.column]
        key = ", ".join(quote_ident(name) for name in names)
        # dbt's unique skips nulls; the composite-key test counts them (tests/generic)
        present = f" and {column} is not null" if test.name == "unique" else ""
        return (
            f"select _line, concat_ws(', ', {key}) from {table} where true{present}{where} "
            f"qualify count(*) over (partition by {key}) > 1"
        )
    if test.name == "accepted_values" and column:
        values = ", ".join(quote_literal(str(value)) for value in arguments["values"])
        return f"select _line, {column} from {table} where cast({column} as varchar) not in ({values}){where}"
    if test.name == "accepted_range" and column:
        low, high = arguments.get("min_value"), arguments.get("max_value")
        inclusive = arguments.get("inclusive", True)
        bounds = []
        if low is not None:
            bounds.append(f"{column} {'<' if inclusive else '<='} {low}")
        if high is not None:
            bounds.append(f"{column} {'>' if inclusive else '>='} {high}")
        return f"select _line, {column} from {table} where ({' or '.join(bounds)}){where}"
    if test.name == "relationships" and column:
        parent = _ref_table(arguments.get("to", ""))
        if parent not in seeds:
            return None  # a model: only the build knows it
        field = quote_ident(arguments["field"])
        return (
            f"select _line, {column} from {table} where {column} is not null{where} "
            f"and {column} not in (select {field} from {quote_ident(parent)} where {field} is not null)"
        )
    if test.name == "exactly_one_row":
        # a typed parameters seed: one column per parameter, one row of values
        return f"select null, count(*) from {table} having count(*) <> 1"
    if test.name == "expression_is_true":
        return (
            f"select _line, null from {table} where not coalesce(({arguments['expression']}), false){where}"
        )
    return None


def _describe(test: _Test) -> str:
    if test.name == "accepted_values":
        return "not one of " + ", ".join(map(str, test.arguments["values"]))
    if test.name == "accepted_range":
        bounds = {"min_value": ">=", "max_value": "<="}
        return (
            "out of range ("
            + ", ".join(f"{op} {test.arguments[k]}" for k, op in bounds.items() if k in test.arguments)
            + ")"
        )
    if test.name == "relationships":
        return f"not a {test.arguments['field']} of {_ref_table(test.arguments['to'])}"
    if test.name == "expression_is_true":
        return f"breaks {' '.join(str(test.arguments['expression']).split())}"
    if test.name in ("unique", "unique_combination_of_columns"):
        return "repeated (must be unique)"
    if test.name == "not_null":
        return "empty (a value is required)"
    if test.name == "exactly_one_row":
        return "rows: a parameters seed has exactly one row of values, one column per parameter"
    return test.name.replace("_", " ")


def _singular_tests(seeds: set[str]) -> Iterator[tuple[Path, set[str], str]]:
    """Singular tests whose only Jinja is `ref()` of seeds (which), rendered to plain SQL."""
    for path in sorted(SINGULAR_TESTS.rglob("*.sql")):
        if "generic" in path.parts:
            continue
        text = path.read_text()
        refs = set(_REF.findall(text))
        body = _REF.sub(lambda match: quote_ident(match.group(1)), text)
        body = re.sub(r"\{#.*?#\}", "", body, flags=re.S)
        if refs and refs <= seeds and "{{" not in body and "{%" not in body:
            yield path, refs, body


def check(config_dir: Path) -> CheckReport:
    """Check every seed (the config folder's where it has one) and the seeds-only singular tests."""
    from account_health.config import ConfigError

    try:
        overrides = seed_overrides(config_dir)
    except ConfigError as error:
        return CheckReport(0, 0, [Problem(config_dir, None, None, str(error))])
    properties = _seed_properties()
    files = {
        seed.name: overrides.get(relative, PROJECT_SEEDS / relative)
        for relative, seed in project_seeds().items()
    }
    con = duckdb.connect()
    problems: list[Problem] = []
    for name, path in files.items():
        types = ((properties.get(name) or {}).get("config") or {}).get("column_types") or {}
        try:
            problems += _load(con, name, path, types)
        except (OSError, UnicodeDecodeError, csv.Error) as error:
            problems.append(Problem(path, None, None, f"cannot read it as a UTF-8 CSV file ({error})"))
    loaded = {
        name
        for name in files
        if con.execute("select count(*) from duckdb_tables() where table_name = ?", [name]).fetchone()[0]
    }
    tests = 0
    for name in sorted(loaded):
        seed = properties.get(name) or {}
        declared = list(_tests(seed.get("data_tests") or seed.get("tests"), None))
        for column in seed.get("columns") or []:
            declared += _tests(column.get("data_tests") or column.get("tests"), column["name"])
        for test in declared:
            sql = _failing_rows_sql(name, test, loaded)
            if sql is None:
                continue
            tests += 1
            try:
                failing = con.execute(sql + " order by 1").fetchall()
            except duckdb.Error as error:
                problems.append(
                    Problem(files[name], None, test.column, f"{test.name} could not run: {error}")
                )
                continue
            label = test.column or ", ".join(test.arguments.get("combination_of_columns", [])) or None
            problems += [
                Problem(
                    files[name],
                    line,
                    label,
                    f"{value!r} {_describe(test)}" if value is not None else _describe(test),
                )
                for line, value in failing
            ]
    for test_path, refs, sql in _singular_tests(loaded):
        # named after the seed it checks when it reads one, else after the test
        path = files[next(iter(refs))] if len(refs) == 1 else test_path.relative_to(PROJECT_DIR)
        tests += 1
        try:
            failing = con.execute(sql.strip().rstrip(";")).fetchall()
            count = len(failing)
            first = ", ".join(map(str, failing[0])) if failing else ""
        except duckdb.Error as error:
            problems.append(Problem(path, None, None, f"could not run: {error}"))
            continue
        if count:
            rule = " ".join(line.lstrip("- ") for line in sql.splitlines() if line.startswith("--"))
            rule = f"{rule} ({test_path.relative_to(PROJECT_DIR)})"
            problems.append(Problem(path, None, None, f"{count} rows break: {rule} First: {first}"))
    con.close()
    problems += _mapping_problems(config_dir)
    return CheckReport(len(files), tests, _root_causes(problems))


def _root_causes(problems: list[Problem]) -> list[Problem]:
    """Drop what follows from a value of the wrong type (the same line then fails other tests too)."""
    mistyped = {(problem.file, problem.line) for problem in problems if "is not a valid" in problem.message}
    return [
        problem
        for problem in problems
        if "is not a valid" in problem.message or (problem.file, problem.line) not in mistyped
    ]


def _mapping_problems(config_dir: Path) -> list[Problem]:
    """The config folder's sources.yml, read as `land` reads it."""
    from account_health.config import SOURCES_FILE
    from account_health.land.mapping import MappingError, load_optional

    try:
        load_optional(config_dir / SOURCES_FILE)
    except MappingError as error:
        path = config_dir / SOURCES_FILE
        message = str(error).removeprefix(str(path)).lstrip(",: ")
        return [Problem(path, None, None, message)]
    return []
