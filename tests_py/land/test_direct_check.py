"""A big CSV is checked straight from the file (land.check), small files through the text staging table:
both ways must land exactly the same rows, quarantine and messages. Here every file takes one way, then the
other (the threshold moved), on messy input."""

from __future__ import annotations

import re
from pathlib import Path

from land_helpers import Lake

from account_health.land import check

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
        for report in (first, second)
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


def test_checking_straight_from_the_file_lands_exactly_what_staging_lands(tmp_path: Path, monkeypatch):
    outcomes = []
    for threshold in (1 << 40, 0):  # every file staged, then every file checked directly
        monkeypatch.setattr(check, "DIRECT_MIN_BYTES", threshold)
        lake = Lake(tmp_path / str(threshold))
        files = _deliver(lake)
        outcomes.append((files, _outcome(lake)))
    (staged_files, staged), (direct_files, direct) = outcomes
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
