"""The bad-input suite (issue 5): every hostile or broken input ends in a quarantine with a reason or a
clear rejection naming the file, and rows read = loaded + quarantined holds for every file (checked in
Lake.land for each case)."""

from __future__ import annotations

import duckdb
from land_helpers import ACCOUNTS_HEADER, SUBSCRIPTIONS_HEADER, Lake, account_row

from account_health.land import rules
from account_health.sql import quote_literal

ACCOUNTS = "\n".join([ACCOUNTS_HEADER, account_row("A1"), account_row("A2")]) + "\n"
SURVEY = (
    '{{"response_id":"{id}","account_id":"A1","survey_type":"{type}","score":{score},'
    '"responded_at":"2025-05-01 10:00:00"}}'
)


def _only(report):
    [result] = report.files
    return result


def test_latin1_csv_is_rejected_as_not_utf8(lake: Lake):
    lake.write(
        "accounts/latin.csv",
        (ACCOUNTS + account_row("A3", account_name="Société Générale") + "\n").encode("latin-1"),
    )
    result = _only(lake.land())
    assert result.status == "rejected"
    assert "accounts/latin.csv" in result.message and "not UTF-8 encoded" in result.message
    assert lake.count("accounts") == 0


def test_latin1_header_and_latin1_json_are_rejected(lake: Lake):
    lake.write("accounts/h.csv", "account_id,account_näme\n".encode("latin-1"))
    lake.write(
        "survey_responses/s.json",
        (SURVEY.format(id="R1", type="nps", score=5)[:-1] + ',"comment":"très"}\n').encode("latin-1"),
    )
    results = lake.land().files
    assert [r.status for r in results] == ["rejected", "rejected"]
    assert all("not UTF-8 encoded" in r.message for r in results)


def test_utf8_bom_is_not_part_of_the_first_column(lake: Lake):
    lake.write("accounts/bom.csv", b"\xef\xbb\xbf" + ACCOUNTS.encode("utf-8"))
    result = _only(lake.land())
    assert (result.status, result.rows_loaded, result.message) == ("loaded", 2, "")
    assert lake.query("select account_id from raw.accounts order by 1") == [("A1",), ("A2",)]


def test_empty_files_are_rejected_in_every_format(lake: Lake):
    lake.write("accounts/empty.csv", b"")
    lake.write("survey_responses/empty.json", b"")
    lake.write("usage_events/empty.parquet", b"")
    results = lake.land().files
    assert [r.status for r in results] == ["rejected"] * 3
    assert all("empty file" in r.message for r in results)


def test_header_only_file_loads_zero_rows(lake: Lake):
    result = _only(lake.land() if lake.write("accounts/none.csv", ACCOUNTS_HEADER + "\n") else None)
    assert (result.status, result.rows_read, result.rows_loaded, result.rows_quarantined) == (
        "loaded",
        0,
        0,
        0,
    )


def test_extra_columns_are_ignored_and_named(lake: Lake):
    lake.write(
        "accounts/extra.csv",
        ACCOUNTS.replace("is_test\n", "is_test,favourite_colour\n").replace("false\n", "false,blue\n"),
    )
    result = _only(lake.land())
    assert (result.status, result.rows_loaded) == ("loaded", 2)
    assert "ignored extra columns: 'favourite_colour'" in result.message
    assert '"favourite_colour":"blue"' not in str(lake.query("select * from raw.accounts"))


def test_wrong_types_are_quarantined_with_the_value(lake: Lake):
    lake.write(
        "subscriptions/s.csv",
        SUBSCRIPTIONS_HEADER
        + "\nS1,A1,p,ten,1.0,2025-01-01,\nS2,A1,p,1,lots,2025-13-45,\nS3,A1,p,1,1.0,2025-01-01,\n",
    )
    result = _only(lake.land())
    assert (result.rows_loaded, result.rows_quarantined) == (1, 2)
    assert lake.quarantine() == [
        (1, "bad type: seats='ten' is not integer"),
        (2, "bad type: mrr='lots' is not decimal(18,2); bad type: start_date='2025-13-45' is not date"),
    ]


def test_duplicate_keys_within_a_file_and_across_loads(lake: Lake):
    lake.write("accounts/1.csv", ACCOUNTS + account_row("A1", account_name="Again") + "\n")
    first = _only(lake.land())
    assert (first.rows_loaded, first.rows_quarantined) == (2, 1)
    lake.write("accounts/2.csv", "\n".join([ACCOUNTS_HEADER, account_row("A2"), account_row("A3")]) + "\n")
    second = lake.land().files[1]
    assert (second.rows_loaded, second.rows_quarantined) == (1, 1)
    assert lake.quarantine() == [
        (3, "duplicate key within file: account_id='A1' (first at row 1)"),
        (1, "duplicate key: account_id='A2' is already loaded"),
    ]
    assert lake.query("select count(*), count(distinct account_id) from raw.accounts") == [(3, 3)]


def test_composite_key_duplicates(lake: Lake):
    header = "account_id,as_of,category,total_category_spend,main_competitor"
    lake.write(
        "wallet_estimates/w.csv",
        f"{header}\nA1,2025-01-01,crm,100,x\nA1,2025-01-01,erp,100,x\nA1,2025-01-01,crm,90,y\n",
    )
    _only(lake.land())
    assert lake.quarantine() == [
        (3, "duplicate key within file: account_id='A1', as_of='2025-01-01', category='crm' (first at row 1)")
    ]


def test_timestamps_after_the_as_of_date_are_quarantined(lake: Lake):
    lake.write(
        "csm_activities/a.csv",
        "activity_id,account_id,contact_id,activity_type,occurred_at\n"
        "X1,A1,,qbr,2026-10-31 23:59:59\nX2,A1,,qbr,2026-11-01 00:00:00\n",
    )
    lake.write("subscriptions/s.csv", SUBSCRIPTIONS_HEADER + "\nS1,A1,p,1,1,2026-11-15,2027-11-15\n")
    lake.land()
    assert lake.quarantine() == [
        (2, "in the future: occurred_at=2026-11-01 00:00:00 is after the as-of date 2026-10-31")
    ]
    assert lake.count("subscriptions") == 1  # a booked subscription may start and end after as-of


def test_negative_seats_and_nps_of_eleven(lake: Lake):
    lake.write("subscriptions/s.csv", SUBSCRIPTIONS_HEADER + "\nS1,A1,p,-3,1,2025-01-01,\n")
    lake.write(
        "survey_responses/s.json",
        "\n".join(
            [
                SURVEY.format(id="R1", type="nps", score=11),
                SURVEY.format(id="R2", type="nps", score=10),
                SURVEY.format(id="R3", type="csat", score=0),
                SURVEY.format(id="R4", type="nps", score=-1),
            ]
        )
        + "\n",
    )
    lake.land()
    assert lake.quarantine("subscriptions") == [(1, "negative seats")]
    assert lake.quarantine("survey_responses") == [
        (1, "nps score outside 0-10"),
        (3, "csat or success_check score outside 1-5"),
        (4, "nps score outside 0-10"),
    ]


def test_an_enormous_field_is_quarantined_not_loaded(lake: Lake):
    huge = "x" * 1_048_576
    lake.write("accounts/huge.csv", ACCOUNTS + account_row("A3", account_name=huge) + "\n")
    result = _only(lake.land())
    assert (result.rows_loaded, result.rows_quarantined) == (2, 1)
    assert lake.quarantine() == [(3, "value too long: account_name has 1048576 characters (max 65536)")]
    assert lake.query("select length(raw_record) > 1048576 from raw._quarantine") == [(True,)]


def test_hostile_file_names_are_never_interpolated(lake: Lake):
    names = ["x'; drop table raw.accounts; --.csv", 'q"uote [1]*?.csv', "{a,b} $(rm -rf) ~.csv"]
    for number, name in enumerate(names, start=1):
        lake.write(f"accounts/{name}", "\n".join([ACCOUNTS_HEADER, account_row(f"A{number}")]) + "\n")
    report = lake.land()
    assert [r.status for r in report.files] == ["loaded"] * 3, report.files
    assert lake.count("accounts") == 3
    assert sorted(row[0] for row in lake.query("select _source_file from raw.accounts")) == sorted(
        f"accounts/{n}" for n in names
    )


def test_hostile_column_names_are_never_interpolated(lake: Lake):
    hostile = '"x"); drop table raw.accounts; --'
    header = ACCOUNTS_HEADER + ',"' + hostile.replace('"', '""') + '"'
    lake.write("accounts/cols.csv", "\n".join([header, account_row("A1") + ",boom"]) + "\n")
    result = _only(lake.land())
    assert (result.status, result.rows_loaded) == ("loaded", 1)
    assert repr(hostile) in result.message
    # the same name in place of a required column: rejected, naming the missing column
    lake.write("accounts/cols2.csv", header.replace("segment", "seg'; drop schema raw cascade; --") + "\n")
    rejected = lake.land().files[1]
    assert rejected.status == "rejected" and "missing required column 'segment'" in rejected.message
    assert lake.count("accounts") == 1


def test_hostile_json_keys(lake: Lake):
    lake.write(
        "survey_responses/s.json",
        SURVEY.format(id="R1", type="nps", score=5)[:-1] + ',"a\\"); drop table raw.accounts; --":"1"}\n',
    )
    result = _only(lake.land())
    assert (result.status, result.rows_loaded) == ("loaded", 1)
    assert "drop table" in result.message


def test_corrupt_parquet_is_rejected(lake: Lake, write_parquet):
    path = lake.raw / "usage_events" / "2025-01.parquet"
    write_parquet(path, "select 'E1' as event_id")
    path.write_bytes(path.read_bytes()[:-20] + b"garbage garbage garb")
    lake.write("usage_events/2025-02.parquet", b"this is not parquet at all")
    results = lake.land().files
    assert [r.status for r in results] == ["rejected", "rejected"]
    assert all(
        "not a readable Parquet file" in r.message and "usage_events/2025-0" in r.message for r in results
    )


def test_parquet_missing_a_required_column(lake: Lake, write_parquet):
    write_parquet(lake.raw / "usage_events" / "e.parquet", "select 'E1' as event_id, 'U1' as user_id")
    result = _only(lake.land())
    assert (
        result.status == "rejected"
        and "missing required columns 'account_id', 'product_id'" in result.message
    )


def test_malformed_csv_lines_are_quarantined_and_numbering_stays_right(lake: Lake):
    lake.write(
        "accounts/ragged.csv",
        "\n".join(
            [
                ACCOUNTS_HEADER,
                account_row("A1"),
                account_row("A2") + ",surplus",
                "A3,only-two",
                account_row("A4"),
            ]
        )
        + "\n",
    )
    result = _only(lake.land())
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    assert [row[0] for row in lake.quarantine()] == [2, 3]
    assert all(reason.startswith("malformed CSV line") for _, reason in lake.quarantine())
    assert lake.query("select account_id from raw.accounts order by 1") == [("A1",), ("A4",)]


def test_a_clean_csv_after_one_with_bad_lines_keeps_none_of_their_rejects(lake: Lake):
    """DuckDB records a scan in its rejects tables only when it rejected a line: the clean file read next
    used to take the previous file's malformed lines for its own, or be rejected as not UTF-8."""
    lake.write("accounts/1_ragged.csv", "\n".join([ACCOUNTS_HEADER, account_row("A1"), "A2,x"]) + "\n")
    lake.write("accounts/2_clean.csv", "\n".join([ACCOUNTS_HEADER, account_row("A3")]) + "\n")
    lake.write(
        "accounts/3_latin.csv",
        (ACCOUNTS_HEADER + "\n" + account_row("A4", account_name="Café") + "\n").encode("latin-1"),
    )
    lake.write("accounts/4_clean.csv", "\n".join([ACCOUNTS_HEADER, account_row("A5")]) + "\n")
    ragged, clean, latin, last = lake.land().files
    assert (ragged.rows_read, ragged.rows_loaded, ragged.rows_quarantined) == (2, 1, 1)
    assert (clean.status, clean.rows_read, clean.rows_loaded, clean.rows_quarantined) == ("loaded", 1, 1, 0)
    assert latin.status == "rejected" and "not UTF-8 encoded" in latin.message
    assert (last.status, last.rows_read, last.rows_loaded, last.rows_quarantined) == ("loaded", 1, 1, 0)
    [(row_number, reason)] = lake.quarantine()
    assert row_number == 2 and reason.startswith("malformed CSV line 3: ")


def test_invalid_json_lines_are_quarantined(lake: Lake):
    lake.write(
        "survey_responses/s.json",
        SURVEY.format(id="R1", type="nps", score=5)
        + "\n{not json\n[1, 2]\n\n"
        + SURVEY.format(id="R2", type="nps", score=6)
        + "\n",
    )
    result = _only(lake.land())
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (4, 2, 2)
    assert lake.quarantine() == [(2, "invalid JSON on line 2"), (3, "line 3 is not a JSON object")]


def test_a_file_that_is_not_csv_at_all(lake: Lake):
    lake.write("accounts/image.csv", bytes(range(256)) * 4)
    result = _only(lake.land())
    assert result.status == "rejected" and "accounts/image.csv" in result.message


def test_pretty_printed_json_object_is_rejected(lake: Lake):
    lake.write("survey_responses/s.json", '{\n  "response_id": "R1"\n}\n')
    result = _only(lake.land())
    assert result.status == "rejected" and "newline-delimited JSON" in result.message


def test_the_first_byte_gate_of_the_missing_value_test_never_changes_its_answer():
    """`rules._missing` runs the null-token regex only on values whose first byte could start a match;
    on every other value it must answer what the regex alone would."""
    values = ["", " ", "\t", "\x0b", "#", "$", "N", "n", "O", "o", "\u00a0null", "\u2003", "\uff2eull", "é"]
    values += [chr(code) + tail for code in range(1, 300) for tail in ("", "ull", "/a", "ULL ", " ")]
    values += [" " + chr(code) + "ull " for code in range(1, 300)]
    with duckdb.connect() as con:
        con.execute("create table cells (v varchar)")
        con.executemany("insert into cells values (?)", [[value] for value in [*values, None]])
        regex_alone = f"coalesce(regexp_full_match(v, {quote_literal(rules.MISSING_PATTERN)}), true)"
        differ = con.execute(
            f"select v from cells where ({rules._missing('v')}) is distinct from ({regex_alone})"
        ).fetchall()
    assert differ == []
