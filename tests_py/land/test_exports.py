"""Exports from ordinary tools (issue 9): every class ends loaded exactly, quarantined with a reason naming
the original value, or rejected with one line naming file, line and column. Lake.land checks
rows read = loaded + quarantined for every file."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from land_helpers import ACCOUNTS_HEADER, SUBSCRIPTIONS_HEADER, Lake, account_row

SURVEY = (
    '{{"response_id":"{id}","account_id":"A1","survey_type":"csat","score":{score},'
    '"responded_at":"2025-05-01 10:00:00"{extra}}}'
)


def _only(report):
    [result] = report.files
    return result


def _subscription(subscription_id: str, seats: str = "5", mrr: str = "100.00") -> str:
    return f"{subscription_id},A1,p_core,{seats},{mrr},2025-01-01,"


# --- line endings -------------------------------------------------------------------------------------


def test_crlf_csv_loads_every_row_exactly(lake: Lake):
    lines = [ACCOUNTS_HEADER, account_row("A1"), account_row("A2", csm_owner="csm_2")]
    lake.write("accounts/windows.csv", "\r\n".join(lines) + "\r\n")
    result = _only(lake.land())
    assert (result.status, result.rows_read, result.rows_loaded) == ("loaded", 2, 2)
    assert lake.query("select account_id, is_test, csm_owner from raw.accounts order by 1") == [
        ("A1", False, "csm_1"),
        ("A2", False, "csm_2"),  # no '\r' left on the last column
    ]


def test_cr_only_csv_from_old_mac_excel_loads(lake: Lake):
    lines = [ACCOUNTS_HEADER, account_row("A1"), account_row("A2")]
    lake.write("accounts/mac.csv", "\r".join(lines) + "\r")
    result = _only(lake.land())
    assert (result.status, result.rows_loaded) == ("loaded", 2)
    assert lake.query("select account_id, is_test from raw.accounts order by 1") == [
        ("A1", False),
        ("A2", False),
    ]


def test_excel_multi_line_cell_in_a_crlf_file_keeps_its_line_break(lake: Lake):
    row = account_row("A1", account_name='"Acme\nWest"')
    lake.write("accounts/excel.csv", f"{ACCOUNTS_HEADER}\r\n{row}\r\n")
    assert _only(lake.land()).rows_loaded == 1
    assert lake.query("select account_name from raw.accounts") == [("Acme\nWest",)]


def test_mixed_line_endings_reject_the_file_naming_line_and_column(lake: Lake):
    second = account_row("A2")
    content = f"{ACCOUNTS_HEADER}\r\n{account_row('A1')}\r\n{second}\n{account_row('A3')}\r\n"
    lake.write("accounts/mixed.csv", content)
    result = _only(lake.land())
    assert result.status == "rejected"
    assert result.message == (
        f"accounts/mixed.csv: line 3, column {len(second) + 1}: line ends with LF but line 1 with CRLF "
        "(mixed line endings); re-export the file with one kind of line ending"
    )
    assert lake.count("accounts") == 0


# --- numbers: never rounded -----------------------------------------------------------------------------


def test_fractional_values_in_integer_columns_are_quarantined_in_every_format(lake: Lake, write_parquet):
    lake.write(
        "subscriptions/s.csv",
        "\n".join([SUBSCRIPTIONS_HEADER, _subscription("S1", seats="2.7"), _subscription("S2", seats="3.0")])
        + "\n",
    )
    lake.write("survey_responses/r.json", SURVEY.format(id="R1", score="4.6", extra="") + "\n")
    write_parquet(
        lake.raw / "subscriptions" / "p.parquet",
        "select * from (values"
        " ('S3', 'A1', 'p_core', 0.4::double, 10.00::decimal(18,2), date '2025-01-01', null::date),"
        " ('S4', 'A1', 'p_core', 7.0::double, 10.00::decimal(18,2), date '2025-01-01', null::date))"
        " t(subscription_id, account_id, product_id, seats, mrr, start_date, end_date)",
    )
    lake.land()
    assert lake.quarantine() == [
        (1, "bad type: seats='0.4' is not integer"),
        (1, "bad type: seats='2.7' is not integer"),
        (1, "bad type: score='4.6' is not integer"),
    ]
    assert lake.query("select subscription_id, seats from raw.subscriptions order by 1") == [
        ("S2", 3),
        ("S4", 7),
    ]


def test_more_decimal_places_than_the_column_are_quarantined_not_rounded(lake: Lake):
    lake.write(
        "subscriptions/s.csv",
        "\n".join(
            [SUBSCRIPTIONS_HEADER, _subscription("S1", mrr="119.505"), _subscription("S2", mrr="119.500")]
        )
        + "\n",
    )
    lake.land()
    assert lake.quarantine() == [(1, "bad type: mrr='119.505' is not decimal(18,2)")]
    assert lake.query("select mrr from raw.subscriptions") == [(Decimal("119.50"),)]


def test_nan_infinity_hex_and_underscores_are_not_numbers(lake: Lake):
    header = "goal_id,account_id,goal,target_value,achieved_value,due_at,achieved_at,status"
    rows = [
        "G1,A1,adoption,NaN,,,,open",
        "G2,A1,adoption,inf,,,,open",
        "G3,A1,adoption,-Infinity,,,,open",
        "G4,A1,adoption,1_000,,,,open",
        "G5,A1,adoption,1.5e3,,,,open",
    ]
    lake.write("success_goals/g.csv", "\n".join([header, *rows]) + "\n")
    lake.write(
        "subscriptions/s.csv",
        "\n".join(
            [SUBSCRIPTIONS_HEADER, _subscription("S1", seats="0x10"), _subscription("S2", seats="1_000")]
        )
        + "\n",
    )
    lake.land()
    assert lake.quarantine("success_goals") == [
        (1, "bad type: target_value='NaN' is not double"),
        (2, "bad type: target_value='inf' is not double"),
        (3, "bad type: target_value='-Infinity' is not double"),
        (4, "bad type: target_value='1_000' is not double"),
    ]
    assert lake.query("select goal_id, target_value from raw.success_goals") == [("G5", 1500.0)]
    assert lake.quarantine("subscriptions") == [
        (1, "bad type: seats='0x10' is not integer"),
        (2, "bad type: seats='1_000' is not integer"),
    ]


# --- dates and times: never shifted -------------------------------------------------------------------


def test_every_offset_style_is_converted_to_utc_exactly(lake: Lake):
    lake.write(
        "csm_activities/a.csv",
        "activity_id,account_id,contact_id,activity_type,occurred_at\n"
        "X1,A1,,qbr,2025-03-01 10:00:00+02:00:00\n"
        "X2,A1,,qbr,2025-03-01T10:00:00-0530\n"
        "X3,A1,,qbr,2025-03-01 10:00:00+01\n"
        "X4,A1,,qbr,2025-03-01 10:00:00 UTC\n"
        "X5,A1,,qbr,2025-03-01 10:00:00+25:00\n",
    )
    lake.land()
    assert lake.query("select activity_id, occurred_at::varchar from raw.csm_activities order by 1") == [
        ("X1", "2025-03-01 08:00:00"),
        ("X2", "2025-03-01 15:30:00"),
        ("X3", "2025-03-01 09:00:00"),
        ("X4", "2025-03-01 10:00:00"),
    ]
    assert lake.quarantine() == [(5, "bad type: occurred_at='2025-03-01 10:00:00+25:00' is not timestamp")]


def test_two_digit_years_epoch_and_infinity_dates_are_quarantined_and_good_rows_load(lake: Lake):
    rows = [
        account_row("A1", customer_since="24-01-15"),
        account_row("A2", customer_since="epoch"),
        account_row("A3", customer_since="-infinity"),
        account_row("A4", customer_since="2024-1-5"),
        account_row("A5", customer_since="2024-01-15 00:00:00"),
    ]
    lake.write("accounts/a.csv", "\n".join([ACCOUNTS_HEADER, *rows]) + "\n")
    result = _only(lake.land(gx=True))
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 2, 3)
    assert lake.quarantine() == [
        (1, "bad type: customer_since='24-01-15' is not date"),
        (2, "bad type: customer_since='epoch' is not date"),
        (3, "bad type: customer_since='-infinity' is not date"),
    ]
    assert lake.query("select account_id, customer_since from raw.accounts order by 1") == [
        ("A4", dt.date(2024, 1, 5)),
        ("A5", dt.date(2024, 1, 15)),
    ]


# --- null tokens and keys -----------------------------------------------------------------------------


def test_null_tokens_are_null_in_optional_columns_and_missing_in_required_ones(lake: Lake):
    rows = [
        account_row("A1", industry="N/A", employee_count="NULL", csm_owner="null"),
        account_row("A2", account_name="NULL"),
        account_row("A3", region="#N/A"),
    ]
    lake.write("accounts/a.csv", "\n".join([ACCOUNTS_HEADER, *rows]) + "\n")
    result = _only(lake.land())
    assert lake.quarantine() == [(2, "missing required value: account_name='NULL' (a null token)")]
    assert lake.query(
        "select account_id, industry, employee_count, csm_owner, region from raw.accounts order by 1"
    ) == [
        ("A1", None, None, None, "emea"),
        ("A3", "software", 50, "csm_1", None),
    ]
    assert "4 optional values were null tokens (NULL, N/A, #N/A) and loaded as null" in result.message


def test_keys_differing_only_by_surrounding_spaces_are_one_key(lake: Lake):
    lake.write("accounts/a.csv", "\n".join([ACCOUNTS_HEADER, account_row("k"), account_row("k ")]) + "\n")
    lake.land()
    assert lake.query("select account_id from raw.accounts") == [("k",)]
    assert lake.quarantine() == [(2, "duplicate key within file: account_id='k' (first at row 1)")]


# --- files in the wrong place -------------------------------------------------------------------------


def test_misplaced_folders_and_files_are_reported_and_broken_links_rejected(lake: Lake):
    lake.write("acounts/a.csv", ACCOUNTS_HEADER + "\n")
    lake.write("Accounts/b.csv", ACCOUNTS_HEADER + "\n")
    lake.write("accounts.csv", ACCOUNTS_HEADER + "\n")
    lake.write("README.txt", "notes")
    (lake.raw / "accounts").mkdir()
    (lake.raw / "accounts" / "gone.csv").symlink_to(lake.raw / "nowhere.csv")
    report = lake.land()
    assert report.misplaced == [
        "unknown folder 'Accounts' (did you mean 'accounts'? folder names are lower-case contract table "
        "names): not a contract table, its files were not landed (tables: "
        + ", ".join(__import__("account_health.contract").contract.TABLES)
        + ")",
        "data file 'accounts.csv' at the top level (did you mean 'accounts'? folder names are lower-case "
        "contract table names) was not landed: files must be in a table folder <table>/",
        "unknown folder 'acounts' (did you mean 'accounts'? folder names are lower-case contract table "
        "names): not a contract table, its files were not landed (tables: "
        + ", ".join(__import__("account_health.contract").contract.TABLES)
        + ")",
    ]
    assert "ignored file 'README.txt': not a data file, and not in a table folder" in report.warnings
    result = _only(report)
    assert result.status == "rejected"
    assert result.message == (
        f"accounts/gone.csv: a broken symbolic link (its target '{lake.raw / 'nowhere.csv'}' does not exist)"
    )


# --- JSON ---------------------------------------------------------------------------------------------


def test_json_array_with_one_object_per_line_loads_every_object(lake: Lake):
    objects = [SURVEY.format(id=f"R{i}", score=i, extra="") for i in (1, 2, 3)]
    lake.write("survey_responses/array.json", "[\n" + ",\n".join(objects) + "\n]\n")
    result = _only(lake.land())
    assert (result.status, result.rows_loaded, result.rows_quarantined) == ("loaded", 3, 0)
    assert lake.query("select response_id, score from raw.survey_responses order by 1") == [
        ("R1", 1),
        ("R2", 2),
        ("R3", 3),
    ]


def test_duplicate_json_keys_are_quarantined_and_a_bom_is_ignored(lake: Lake):
    lake.write(
        "survey_responses/r.json",
        b"\xef\xbb\xbf"
        + (
            SURVEY.format(id="R1", score=4, extra="")
            + "\n"
            + SURVEY.format(id="R2", score=4, extra=',"score":2')
            + "\n"
        ).encode(),
    )
    result = _only(lake.land())
    assert (result.rows_loaded, result.rows_quarantined) == (1, 1)
    assert lake.query("select response_id, score from raw.survey_responses") == [("R1", 4)]
    assert lake.quarantine() == [(2, 'key "score" appears twice in the JSON object on line 2')]


def test_a_list_or_object_in_a_text_column_is_quarantined(lake: Lake):
    lake.write(
        "survey_responses/r.json",
        SURVEY.format(id="R1", score=4, extra=',"comment":["slow","buggy"]')
        + "\n"
        + SURVEY.format(id="R2", score=4, extra=',"comment":{"text":"ok"}')
        + "\n",
    )
    lake.land()
    assert lake.count("survey_responses") == 0
    assert lake.quarantine() == [
        (1, 'comment is a JSON array, not one value: ["slow","buggy"]'),
        (2, 'comment is a JSON object, not one value: {"text":"ok"}'),
    ]


# --- headers ------------------------------------------------------------------------------------------


def test_a_duplicated_header_column_rejects_the_file_naming_both_columns(lake: Lake):
    lake.write("accounts/a.csv", ACCOUNTS_HEADER + ",Is_Test\n" + account_row("A1") + ",true\n")
    result = _only(lake.land())
    assert result.status == "rejected"
    assert result.message == (
        "accounts/a.csv: line 1, column 11: column 'Is_Test' appears twice in the header (also column 10); "
        "remove or rename one"
    )


def test_a_header_cell_over_128_kb_rejects_the_file_in_one_line(lake: Lake):
    lake.write("accounts/a.csv", ACCOUNTS_HEADER + "," + "x" * 200_000 + "\n" + account_row("A1") + ",1\n")
    result = _only(lake.land())
    assert result.status == "rejected"
    assert result.message == (
        "accounts/a.csv: line 1, column 11: header name of 200,000 characters (max 1,000); "
        "is the first line a header?"
    )


# --- re-exports ---------------------------------------------------------------------------------------


def test_a_re_exported_file_replaces_its_earlier_version_and_keeps_it_in_history(lake: Lake):
    lake.write(
        "subscriptions/crm.csv", "\n".join([SUBSCRIPTIONS_HEADER, _subscription("S1"), _subscription("S2")])
    )
    lake.write("subscriptions/other.csv", "\n".join([SUBSCRIPTIONS_HEADER, _subscription("S9")]))
    first = lake.land().files[0]
    # The CRM re-exports the same file: S1 corrected, S2 dropped, S3 new.
    lake.write(
        "subscriptions/crm.csv",
        "\n".join([SUBSCRIPTIONS_HEADER, _subscription("S1", seats="7"), _subscription("S3")]),
    )
    report = lake.land()
    second = report.files[0]
    assert [r.status for r in report.files] == ["loaded", "skipped"]
    assert (second.rows_loaded, second.rows_quarantined) == (2, 0)
    assert second.message.startswith(
        f"new version of an already loaded file: replaced its 2 rows from load {first.load_id} "
        "(kept in raw._history); "
    )
    assert lake.query(
        "select subscription_id, seats, _load_id = ? from raw.subscriptions order by 1", [second.load_id]
    ) == [("S1", 7, True), ("S3", 5, True), ("S9", 5, False)]
    history = lake.query("select _load_id, superseded_by, record from raw._history order by record")
    assert [(row[0], row[1], json.loads(row[2])["subscription_id"]) for row in history] == [
        (first.load_id, second.load_id, "S1"),
        (first.load_id, second.load_id, "S2"),
    ]
    assert json.loads(history[0][2])["seats"] == 5
    assert lake.query(
        "select status, count(*) from raw._loads where source_file = 'subscriptions/crm.csv'"
        " group by 1 order by 1"
    ) == [("loaded", 1), ("superseded", 1)]
    # Going back to the first version is one more new version, not a no-op.
    lake.write(
        "subscriptions/crm.csv", "\n".join([SUBSCRIPTIONS_HEADER, _subscription("S1"), _subscription("S2")])
    )
    third = lake.land().files[0]
    assert third.status == "loaded"
    assert lake.query("select subscription_id, seats from raw.subscriptions order by 1") == [
        ("S1", 5),
        ("S2", 5),
        ("S9", 5),
    ]


def test_a_rejected_re_export_replaces_nothing(lake: Lake):
    lake.write(
        "subscriptions/crm.csv",
        "\n".join([SUBSCRIPTIONS_HEADER, _subscription("S1"), _subscription("S2", seats="2.7")]),
    )
    first = lake.land().files[0]
    assert (first.rows_loaded, first.rows_quarantined) == (1, 1)
    # The re-export lost its mrr column: the new version is rejected whole, the loaded one stays.
    lake.write(
        "subscriptions/crm.csv",
        "\n".join(
            ["subscription_id,account_id,product_id,seats,start_date,end_date", "S1,A1,p_core,7,2025-01-01,"]
        ),
    )
    second = lake.land().files[0]
    assert second.status == "rejected"
    assert "subscriptions/crm.csv" in second.message and "mrr" in second.message
    assert lake.query("select subscription_id, seats, _load_id from raw.subscriptions") == [
        ("S1", 5, first.load_id)
    ]
    assert lake.query("select count(*) from raw._history") == [(0,)]
    assert lake.query("select status from raw._loads where load_id = ?", [first.load_id]) == [("loaded",)]
    assert lake.query("select _load_id, reason from raw._quarantine") == [
        (first.load_id, "bad type: seats='2.7' is not integer")
    ]


# --- validation scales with rows, not files -------------------------------------------------------------


def test_many_small_files_are_validated_in_one_great_expectations_run(lake: Lake):
    for index in range(200):
        lake.write(f"accounts/a{index:03d}.csv", f"{ACCOUNTS_HEADER}\n{account_row(f'A{index:03d}')}\n")
    report = lake.land(gx=True)
    assert (report.files_loaded, report.rows_loaded, report.gx_runs) == (200, 200, 1)
    assert len(list((lake.quality / "raw").glob("accounts__200_files__*.json"))) == 1


def test_a_failed_expectation_rejects_only_the_file_that_broke_it(lake: Lake, monkeypatch):
    from account_health.quality import raw

    monkeypatch.setitem(raw.RANGES, "subscriptions", (raw.Range("seats", 0, 100),))
    lake.write("subscriptions/a.csv", "\n".join([SUBSCRIPTIONS_HEADER, _subscription("S1", seats="100")]))
    lake.write("subscriptions/b.csv", "\n".join([SUBSCRIPTIONS_HEADER, _subscription("S2", seats="500")]))
    report = lake.land(gx=True)
    assert [(r.status, r.rows_loaded) for r in report.files] == [("loaded", 1), ("rejected", 0)]
    assert report.files[1].message == (
        "subscriptions/b.csv: Great Expectations suite raw__subscriptions failed: "
        "expect_column_values_to_be_between on seats: 1 unexpected (expected min 0, max 100)"
    )
    assert report.gx_runs == 1
    assert lake.query("select subscription_id from raw.subscriptions") == [("S1",)]
