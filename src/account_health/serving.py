"""Reading the serving database: the one place that opens it for the commands that only read it.

`export`, `explain`, `alerts`, the report and the dashboard all read what BI reads, never the warehouse:
the file publish replaced atomically after a build passed its gates. Each opens it read-only (so a BI tool,
a second reader or the next publish is never blocked), says "nothing published yet" the same way when
there is no file, and names the marts that are there when one it needs is not.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import duckdb

from account_health.paths import Paths


class ServingError(ValueError):
    """The serving database, or a mart a reader needs, is not there; the message is one line."""


def published_marts(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The marts in the serving database, by name."""
    return [
        name
        for (name,) in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' order by 1"
        ).fetchall()
    ]


def not_published_message(paths: Paths) -> str:
    return f"nothing published yet at {paths.serving_path}: run `account-health run` first"


@contextmanager
def open_serving(
    paths: Paths, *, requires: Iterable[str] = (), error: type[Exception] = ServingError
) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to the serving database, closed on exit.

    Raises `error` (each command keeps its own error type, so its exit code stays) with one line when
    nothing was published yet, or when a mart in `requires` is not in the published database.
    """
    if not paths.serving_path.exists():
        raise error(not_published_message(paths))
    with duckdb.connect(str(paths.serving_path), read_only=True) as con:
        needed = list(requires)
        if needed:
            marts = published_marts(con)
            for name in needed:
                if name not in marts:
                    raise error(f"no published mart {name!r}: the marts are {', '.join(marts)}")
        yield con
