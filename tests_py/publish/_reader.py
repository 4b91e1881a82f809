"""A BI-like reader process for the publish tests (run as a script, not collected by pytest).

loop mode: open the serving file read-only, check it is consistent, close; repeat until `stop` exists.
Writes {"reads": n, "errors": [...], "versions": [...]} to `out`.
hold mode: open once, report the version, wait for `go`, read again through the same connection.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

import duckdb


def read_version(con: duckdb.DuckDBPyConnection) -> int:
    """Each published snapshot has `meta.version` = k and k rows in dim_accounts; a mix means a torn read."""
    version = con.execute("select version from meta").fetchone()[0]
    rows = con.execute("select count(*) from dim_accounts").fetchone()[0]
    if rows != version:
        raise AssertionError(f"torn snapshot: meta.version={version}, dim_accounts has {rows} rows")
    return int(version)


def loop(serving: Path, stop: Path, out: Path) -> None:
    reads, errors, versions = 0, [], set()
    while not stop.exists():
        try:
            con = duckdb.connect(str(serving), read_only=True)
            try:
                versions.add(read_version(con))
            finally:
                con.close()
            reads += 1
        except Exception as error:  # every failure is what the test counts
            errors.append(f"{type(error).__name__}: {error}")
    out.write_text(json.dumps({"reads": reads, "errors": errors, "versions": sorted(versions)}))


def hold(serving: Path, go: Path, out: Path) -> None:
    con = duckdb.connect(str(serving), read_only=True)
    before = read_version(con)
    out.with_suffix(".ready").write_text(str(before))
    while not go.exists():
        time.sleep(0.02)
    after_same_connection = read_version(con)
    con.close()
    con = duckdb.connect(str(serving), read_only=True)
    after_reopen = read_version(con)
    con.close()
    out.write_text(json.dumps({"before": before, "same": after_same_connection, "reopen": after_reopen}))


if __name__ == "__main__":
    mode, serving, signal_file, out = sys.argv[1:5]
    (loop if mode == "loop" else hold)(Path(serving), Path(signal_file), Path(out))
