"""A big CSV is checked straight from the file (land.check), small files through the text staging table:
both ways must land exactly the same rows, quarantine and messages. Here every file takes one way, then the
other (the threshold moved), on messy input; and on clean files, which a direct check lands without record
numbers, falling back to numbering a file when one of its rows fails late in the file."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest
from land_helpers import Lake

from account_health.build import build_plan
from account_health.land import LandReport, check, load, read, rules
from account_health.paths import Paths
from account_health.provided import sources_provided

HEADER = "event_id,user_id,account_id,product_id,feature,event_name,occurred_at,session_id"


def _messy(line_end: str, extra: bool = False) -> str:
    rows = [
        "E1,U1,A1,p,f,click,2025-01-01 10:00:00,S1",
        "E2,n/a,A1,p,f,click,2025-01-01T10:00:00+02:00,S1",  # a null token, a zoned timestamp
        "E1,U1,A1,p,f,click,2025-01-01 10:00:00,S1",  # a duplicate within the file
        "E3,U1,NULL,p,f,click,2025-13-01,S1",  # a null token where required, a bad timestamp
        "E4,U1,A1,p",  # a malformed line (too few fields)
        'E5,U1,A1,p,f,"two' + line_end + 'lines",2025-01-01 10:00:00,S1',  # a line break in a quoted cell
        " E6 ,U1,A1,p,f,click,2027-01-01 00:00:00,S1",  # a padded id, in the future
        "E7,U1,A1,p,f,click,2025-01-01 10:00:00,S1,surplus",  # a malformed line (too many fields)
        "E8,U1,A1,p,,click,2025-01-01 10:00:00,S1",  # a missing required value
    ]
    if extra:
        return line_end.join([HEADER + ",note"] + [row + ",x" for row in rows]) + line_end
    return line_end.join([HEADER, *rows]) + line_end


def _deliver(lake: Lake) -> list[tuple]:
    lake.write("usage_events/a_lf.csv", _messy("\n"))
    lake.write("usage_events/b_crlf.csv", "\ufeff" + _messy("\r\n", extra=True).replace("E", "F"))
    lake.write("usage_events/c_cr.csv", _messy("\r").replace("E", "G"))
    lake.write("usage_events/d_again.csv", _messy("\n").replace("E1,", "F1,"))  # keys of a and b again
    first = lake.land()
    lake.write("usage_events/a_lf.csv", _messy("\n").replace("E3,U1,NULL", "E3,U1,A1"))  # a re-export
    second = lake.land()
    return _results(first, second)


def _results(*reports: LandReport) -> list[tuple]:
    ids = re.compile(r"[0-9a-f]{32}")
    return [
        (
            Path(r.path).name,
            r.status,
            r.rows_read,
            r.rows_loaded,
            r.rows_quarantined,
            ids.sub("<id>", r.message),
        )
        for report in reports
        for r in report.files
    ]


def _outcome(lake: Lake) -> dict[str, list[tuple]]:
    return {
        "raw": lake.query("select * exclude (_load_id, _loaded_at) from raw.usage_events order by all"),
        "quarantine": [
            (source_file, row_number, _sorted_messages(reason), raw_record)
            for source_file, row_number, reason, raw_record in lake.query(
                "select source_file, row_number, reason, raw_record from raw._quarantine order by all"
            )
        ],
        "history": lake.query("select source_file, record::json->>'event_id' from raw._history order by all"),
    }


def _sorted_messages(reason: str) -> str:
    """DuckDB may give one malformed line several messages, in no fixed order."""
    head, _, rest = reason.partition(": ")
    return head + ": " + "; ".join(sorted(rest.split("; "))) if head.startswith("malformed") else reason


def _staged_then_direct(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, deliver: Callable[[Lake], list[tuple]]
) -> list[tuple[list[tuple], dict[str, list[tuple]]]]:
    """`deliver` into a new lake with every file staged, then into another with every file checked directly
    (the threshold moved): each way's per-file results and what it landed (`_outcome`)."""
    outcomes = []
    for threshold in (1 << 40, 0):
        monkeypatch.setattr(check, "DIRECT_MIN_BYTES", threshold)
        lake = Lake(tmp_path / str(threshold))
        outcomes.append((deliver(lake), _outcome(lake)))
    return outcomes


def test_checking_straight_from_the_file_lands_exactly_what_staging_lands(tmp_path: Path, monkeypatch):
    (staged_files, staged), (direct_files, direct) = _staged_then_direct(tmp_path, monkeypatch, _deliver)
    assert direct_files == staged_files
    assert direct == staged
    assert [row[:5] for row in staged_files[:4]] == [
        ("a_lf.csv", "loaded", 9, 3, 6),
        ("b_crlf.csv", "loaded", 9, 3, 6),
        ("c_cr.csv", "loaded", 9, 3, 6),
        ("d_again.csv", "loaded", 9, 0, 9),
    ]
    assert staged["history"] and any("duplicate key within file" in row[2] for row in staged["quarantine"])


def test_a_clean_file_after_one_checked_directly_with_bad_lines_stays_clean(lake: Lake, monkeypatch):
    monkeypatch.setattr(check, "DIRECT_MIN_BYTES", 0)
    lake.write("usage_events/a.csv", _messy("\n"))
    lake.write("usage_events/b.csv", HEADER + "\nH1,U1,A1,p,f,click,2025-01-01 10:00:00,S1\n")
    _, clean = lake.land().files
    assert (clean.rows_read, clean.rows_loaded, clean.rows_quarantined) == (1, 1, 0)


def _event(key: str, occurred_at: str = "2025-01-01 10:00:00") -> str:
    return f"{key},U1,A1,p,f,click,{occurred_at},S1"


def _clean(prefix: str, rows: int = 200) -> list[str]:
    return [_event(f"{prefix}{index}") for index in range(rows)]


def _deliver_mostly_clean(lake: Lake) -> list[tuple]:
    """Clean files (checked without record numbers when direct), and files with one problem near the end:
    a bad value, a malformed line, a duplicate within the file, a key of an earlier file, a landed key."""
    lake.write("usage_events/a_clean.csv", "\n".join([HEADER, *_clean("A")]) + "\n")
    lake.write(
        "usage_events/b_bad_value.csv",
        "\n".join([HEADER, *_clean("B"), _event("B-x", "soon"), _event("B-y")]) + "\n",
    )
    lake.write(
        "usage_events/c_malformed.csv", "\n".join([HEADER, *_clean("C"), "C-x,U1", _event("C-y")]) + "\n"
    )
    lake.write(
        "usage_events/d_repeat.csv", "\n".join([HEADER, *_clean("D"), _event("D3"), _event("D-y")]) + "\n"
    )
    lake.write("usage_events/e_earlier.csv", "\r\n".join([HEADER, *_clean("E"), _event("A7")]) + "\r\n")
    first = lake.land()
    lake.write(
        "usage_events/f_landed.csv", "\n".join([HEADER, *_clean("F"), _event("B5"), _event("F-y")]) + "\n"
    )
    lake.write("usage_events/g_clean.csv", "\n".join([HEADER, *_clean("G")]) + "\n")
    second = lake.land()
    return _results(first, second)


def _spy_direct_checks(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool, bool]]:
    """Record every check straight from a file: (its name's first letter, numbered, all rows passed)."""
    checked: list[tuple[str, bool, bool]] = []
    check_direct = check._check_direct

    def spy(con, path, checks, key, numbered, **options):
        staged = check_direct(con, path, checks, key, numbered, **options)
        checked.append((key.source_file.split("/")[-1][0].upper(), numbered, staged is not None))
        return staged

    monkeypatch.setattr(check, "_check_direct", spy)
    return checked


def test_clean_files_checked_without_record_numbers_land_exactly_what_staging_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    checked = _spy_direct_checks(monkeypatch)
    outcomes = _staged_then_direct(tmp_path, monkeypatch, _deliver_mostly_clean)
    (staged_files, staged), (direct_files, direct) = outcomes
    assert direct_files == staged_files
    assert direct == staged
    assert [row[:5] for row in staged_files if row[1] != "skipped"] == [
        ("a_clean.csv", "loaded", 200, 200, 0),
        ("b_bad_value.csv", "loaded", 202, 201, 1),
        ("c_malformed.csv", "loaded", 202, 201, 1),
        ("d_repeat.csv", "loaded", 202, 201, 1),
        ("e_earlier.csv", "loaded", 201, 200, 1),
        ("f_landed.csv", "loaded", 202, 201, 1),
        ("g_clean.csv", "loaded", 200, 200, 0),
    ]
    assert [(row[0], row[1]) for row in staged["quarantine"]] == [
        ("usage_events/b_bad_value.csv", 201),
        ("usage_events/c_malformed.csv", 201),
        ("usage_events/d_repeat.csv", 201),
        ("usage_events/e_earlier.csv", 201),
        ("usage_events/f_landed.csv", 201),
    ]
    # every direct file was tried without numbers first: B and C failed at once (a bad value, a malformed
    # line); D (a key twice), A and E (A7 in both) and F (a landed key) passed the rules but have a key
    # that repeats, so they were checked again with numbers; G stayed unnumbered
    assert {name for name, numbered, passed in checked if not numbered and passed} == set("ADEFG")
    assert {name for name, numbered, _ in checked if numbered} == set("ABCDEF")


def test_a_line_longer_than_the_unnumbered_read_allows_is_read_again_with_the_full_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(read, "UNNUMBERED_MAX_LINE_BYTES", 1024)
    long_value = "x" * (rules.MAX_FIELD_CHARS + 1)  # quarantined as too long, on a line of 64 KB
    lines = [HEADER, *_clean("L"), f"L-x,U1,A1,p,{long_value},click,2025-01-01 10:00:00,S1", _event("L-y")]

    def deliver(lake: Lake) -> list[tuple]:
        lake.write("usage_events/long.csv", "\n".join(lines) + "\n")
        return _results(lake.land())

    outcomes = _staged_then_direct(tmp_path, monkeypatch, deliver)
    assert outcomes[1] == outcomes[0]
    [(_, status, read_rows, loaded, quarantined, _)] = outcomes[0][0]
    assert (status, read_rows, loaded, quarantined) == ("loaded", 202, 201, 1)
    assert outcomes[0][1]["quarantine"][0][1:3] == (
        201,
        "value too long: feature has 65537 characters (max 65536)",
    )


def _parquet(lake: Lake, name: str, lines: list[str], typed: bool = False) -> None:
    """The CSV lines as a Parquet file in `usage_events`: text columns, as an untyped export writes them, or
    typed (`occurred_at` a timestamp)."""
    text = lake.raw.parent / f"{name}.csv"
    text.write_text("\n".join(lines) + "\n", encoding="utf-8")
    select = f"select * from read_csv('{text}', all_varchar = true, header = true)"
    if typed:
        select = f"select * replace (occurred_at::timestamp as occurred_at) from ({select})"
    target = lake.raw / "usage_events" / f"{name}.parquet"
    target.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect() as con:
        con.execute(f"copy ({select}) to '{target}' (format parquet)")


def _deliver_mostly_clean_parquet(lake: Lake) -> list[tuple]:
    """`_deliver_mostly_clean` in Parquet (no malformed line can happen): clean files, typed and not, and
    files with one problem near the end: a bad value, a key twice, a key of an earlier file, a landed key."""
    _parquet(lake, "a_clean", [HEADER, *_clean("A")], typed=True)
    _parquet(lake, "b_bad_value", [HEADER, *_clean("B"), _event("B-x", "soon"), _event("B-y")])
    _parquet(lake, "d_repeat", [HEADER, *_clean("D"), _event("D3"), _event("D-y")])
    _parquet(lake, "e_earlier", [HEADER, *_clean("E"), _event("A7")])
    first = lake.land()
    _parquet(lake, "f_landed", [HEADER, *_clean("F"), _event("B5"), _event("F-y")])
    _parquet(lake, "g_clean", [HEADER, *_clean("G")])
    second = lake.land()
    return _results(first, second)


def test_big_parquet_files_checked_straight_from_the_file_land_exactly_what_staging_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    checked = _spy_direct_checks(monkeypatch)
    outcomes = _staged_then_direct(tmp_path, monkeypatch, _deliver_mostly_clean_parquet)
    (staged_files, staged), (direct_files, direct) = outcomes
    assert direct_files == staged_files
    assert direct == staged
    assert [row[:5] for row in staged_files if row[1] != "skipped"] == [
        ("a_clean.parquet", "loaded", 200, 200, 0),
        ("b_bad_value.parquet", "loaded", 202, 201, 1),
        ("d_repeat.parquet", "loaded", 202, 201, 1),
        ("e_earlier.parquet", "loaded", 201, 200, 1),
        ("f_landed.parquet", "loaded", 202, 201, 1),
        ("g_clean.parquet", "loaded", 200, 200, 0),
    ]
    assert [(row[0], row[1], row[2].split(":")[0]) for row in staged["quarantine"]] == [
        ("usage_events/b_bad_value.parquet", 201, "bad type"),
        ("usage_events/d_repeat.parquet", 201, "duplicate key within file"),
        ("usage_events/e_earlier.parquet", 201, "duplicate key"),
        ("usage_events/f_landed.parquet", 201, "duplicate key"),
    ]
    # only the direct run checks straight from the files: each unnumbered first; B failed at once, D, A and
    # E (A7 in both) and F (a landed key) passed the rules but hold a key that repeats, so they were checked
    # again with numbers; G stayed unnumbered, its rows written once
    assert {name for name, numbered, passed in checked if not numbered and passed} == set("ADEFG")
    assert {name for name, numbered, _ in checked if numbered} == set("ABDEF")


def test_a_landing_stopped_before_its_commit_is_undone_by_the_next_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
):
    """A clean big file's rows go straight into raw.<table> before the commit: a process stopped between the
    two leaves them marked in flight; a build refuses to start on them and the next landing removes them
    before it lands the file again, once."""
    monkeypatch.setattr(check, "DIRECT_MIN_BYTES", 0)
    lake = Lake(tmp_path)
    lake.write("usage_events/clean.csv", "\n".join([HEADER, *_clean("A")]) + "\n")
    prepare = load.prepare

    def stopped(*args: object) -> None:
        raise KeyboardInterrupt  # killed after the rows were written, before the commit

    monkeypatch.setattr(load, "prepare", stopped)
    with pytest.raises(KeyboardInterrupt):
        lake.land()
    assert lake.query("select status, source_file from raw._loads") == [("landing", "usage_events/clean.csv")]
    assert lake.count("usage_events") == 200
    interrupted = (
        "raw.usage_events: uncommitted rows of usage_events/clean.csv (a landing stopped before its commit)"
    )
    assert sources_provided(lake.warehouse).interrupted == (interrupted,)
    assert lake.warehouse == Paths(tmp_path).warehouse_path
    assert build_plan(Paths(tmp_path)).blocked == (
        "a landing stopped before its commit left rows in raw: run `account-health land` again, "
        "which removes them first",
        [interrupted],
    )

    monkeypatch.setattr(load, "prepare", prepare)
    report = lake.land()
    assert report.warnings == [
        "usage_events/clean.csv: an earlier landing stopped before its commit; removed its 200 uncommitted "
        "rows from raw.usage_events (the file lands again now if it is still there)"
    ]
    orphans = "200 rows reference an account_id not in raw.accounts (dbt relationship tests)"
    assert _results(report) == [("clean.csv", "loaded", 200, 200, 0, orphans)]
    assert lake.query("select status, rows_loaded from raw._loads") == [("loaded", 200)]
    assert lake.query("select count(*), count(distinct event_id) from raw.usage_events") == [(200, 200)]
    assert sources_provided(lake.warehouse).interrupted == ()
