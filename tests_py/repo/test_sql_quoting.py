"""SQL identifiers and literals are quoted in one place (account_health.sql), not once per module."""

from __future__ import annotations

import duckdb

from account_health.paths import PROJECT_DIR
from account_health.sql import quote_ident, quote_literal, relation

PACKAGE = PROJECT_DIR / "src" / "account_health"
#: How a hand-written quoting helper gives itself away: doubling the quote character.
DOUBLING = ("""replace('"', '""')""", """replace("'", "''")""")


def test_only_the_sql_module_doubles_quotes():
    offenders = [
        str(path.relative_to(PROJECT_DIR))
        for path in sorted(PACKAGE.rglob("*.py"))
        if path.name != "sql.py" and any(pattern in path.read_text(encoding="utf-8") for pattern in DOUBLING)
    ]
    assert offenders == []


def test_hostile_names_and_values_round_trip_through_duckdb():
    name = 'we"ird; drop table x; --'
    value = "it's; 'quoted'"
    con = duckdb.connect()
    con.execute("create schema s")
    con.execute(f"create table {relation('s', name)} ({quote_ident(name)} varchar)")
    con.execute(f"insert into {relation('s', name)} values ({quote_literal(value)})")
    assert con.execute(f"select {quote_ident(name)} from s.{quote_ident(name)}").fetchall() == [(value,)]
