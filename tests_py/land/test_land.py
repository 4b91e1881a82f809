"""Landing: counts, idempotency, rejection, quarantine, lineage, transactions (values worked out by hand)."""

from __future__ import annotations

import duckdb
from land_helpers import ACCOUNTS_HEADER, SUBSCRIPTIONS_HEADER, Lake, account_row

from account_health.contract import TABLES
from account_health.land import ensure_raw_schema

CLEAN_ACCOUNTS = "\n".join([ACCOUNTS_HEADER, account_row("A1"), account_row("A2"), account_row("A3")]) + "\n"
CLEAN_SUBSCRIPTIONS = (
    SUBSCRIPTIONS_HEADER
    + "\nS1,A1,p_core,10,1000.00,2025-01-01,\nS2,A2,p_core,5,250.50,2025-02-01,2027-02-01\n"
)


def test_ensure_raw_schema_creates_every_contract_table(tmp_path):
    with duckdb.connect(str(tmp_path / "w.duckdb")) as con:
        ensure_raw_schema(con)
        ensure_raw_schema(con)  # idempotent
        tables = {
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'raw'"
            ).fetchall()
        }
    assert tables == set(TABLES) | {"_quarantine", "_loads", "_history"}


def test_clean_load_counts_and_lineage(lake: Lake):
    lake.write("accounts/accounts.csv", CLEAN_ACCOUNTS)
    lake.write("subscriptions/2025.csv", CLEAN_SUBSCRIPTIONS)
    report = lake.land()
    assert report.ok
    assert (report.files_loaded, report.files_skipped, report.files_rejected) == (2, 0, 0)
    assert (report.rows_read, report.rows_loaded, report.rows_quarantined) == (5, 5, 0)
    assert lake.count("accounts") == 3
    assert lake.count("usage_events") == 0  # not delivered: exists and is empty
    row = lake.query(
        "select seats, mrr, start_date::varchar, end_date, _source_file,"
        " _load_id is not null, _loaded_at is not null"
        " from raw.subscriptions where subscription_id = 'S2'"
    )[0]
    assert row[0] == 5 and float(row[1]) == 250.50 and row[2] == "2025-02-01"
    assert row[4:] == ("subscriptions/2025.csv", True, True)
    assert lake.query("select count(*), count(distinct load_id) from raw._loads where status = 'loaded'") == [
        (2, 2)
    ]


def test_rerun_is_a_no_op(lake: Lake):
    lake.write("accounts/accounts.csv", CLEAN_ACCOUNTS)
    first = lake.land()
    second = lake.land()
    assert first.rows_loaded == 3
    assert [result.status for result in second.files] == ["skipped"]
    assert second.files[0].load_id == first.files[0].load_id
    assert (second.rows_read, second.rows_loaded, second.rows_quarantined) == (0, 0, 0)
    assert lake.count("accounts") == 3
    assert lake.query("select count(*) from raw._loads") == [(1,)]


def test_same_content_under_another_name_is_skipped(lake: Lake):
    lake.write("accounts/a.csv", CLEAN_ACCOUNTS)
    lake.write("accounts/b_copy.csv", CLEAN_ACCOUNTS)
    report = lake.land()
    assert [result.status for result in report.files] == ["loaded", "skipped"]
    assert "accounts/a.csv" in report.files[1].message
    assert lake.count("accounts") == 3


def test_missing_required_column_rejects_file_naming_file_and_column(lake: Lake):
    header = ACCOUNTS_HEADER.replace("segment,", "")
    rows = [
        ",".join(part for i, part in enumerate(account_row(a).split(",")) if i != 3) for a in ("A1", "A2")
    ]
    lake.write("accounts/accounts_2026.csv", "\n".join([header, *rows]) + "\n")
    report = lake.land()
    assert not report.ok
    [result] = report.files
    assert result.status == "rejected"
    assert "accounts/accounts_2026.csv" in result.message
    assert "missing required column 'segment'" in result.message
    assert (result.rows_read, result.rows_loaded, result.rows_quarantined) == (0, 0, 0)
    assert lake.count("accounts") == 0 and lake.count("_quarantine") == 0
    assert lake.query("select status, source_file from raw._loads") == [
        ("rejected", "accounts/accounts_2026.csv")
    ]


def test_rejected_file_is_retried_and_loads_once_fixed(lake: Lake):
    path = lake.write("accounts/accounts.csv", "account_id,account_name\nA1,x\n")
    assert lake.land().files[0].status == "rejected"
    assert lake.land().files[0].status == "rejected"  # a rejected checksum is never skipped
    path.write_text(CLEAN_ACCOUNTS, encoding="utf-8")
    assert lake.land().files[0].status == "loaded"
    assert lake.count("accounts") == 3


def test_bad_rows_are_quarantined_exactly_with_reasons(lake: Lake):
    lake.write("accounts/accounts.csv", CLEAN_ACCOUNTS)
    lake.write(
        "subscriptions/subs.csv",
        SUBSCRIPTIONS_HEADER
        + "\n"
        + "\n".join(
            [
                "S1,A1,p_core,10,100.00,2025-01-01,",  # 1 good
                "S2,A1,p_core,abc,100.00,2025-01-01,",  # 2 bad type
                "S3,,p_core,3,100.00,2025-01-01,",  # 3 missing account_id
                "S4,A2,p_core,-2,100.00,2025-01-01,",  # 4 negative seats
                "S5,A2,p_core,4,100.00,2025-03-01,2025-02-01",  # 5 end before start
                "S6,A3,p_core,4,12.5,2025-03-01,2027-01-01",  # 6 good (future end_date is planned)
                "S1,A3,p_core,1,1,2025-03-01,",  # 7 duplicate of row 1
            ]
        )
        + "\n",
    )
    report = lake.land()
    subs = report.files[1]
    assert (subs.rows_read, subs.rows_loaded, subs.rows_quarantined) == (7, 2, 5)
    assert lake.quarantine("subscriptions") == [
        (2, "bad type: seats='abc' is not integer"),
        (3, "missing required value: account_id"),
        (4, "negative seats"),
        (5, "end_date not after start_date"),
        (7, "duplicate key within file: subscription_id='S1' (first at row 1)"),
    ]
    assert sorted(row[0] for row in lake.query("select subscription_id from raw.subscriptions")) == [
        "S1",
        "S6",
    ]
    raw_record = lake.query("select raw_record from raw._quarantine where row_number = 2")[0][0]
    assert '"seats":"abc"' in raw_record


def test_all_reasons_of_a_row_are_listed(lake: Lake):
    lake.write(
        "accounts/accounts.csv",
        "\n".join([ACCOUNTS_HEADER, account_row("A1", account_name="", segment="giant", employee_count="x")])
        + "\n",
    )
    lake.land()
    assert lake.quarantine() == [
        (
            1,
            "missing required value: account_name; bad type: employee_count='x' is not integer; "
            "not an accepted value: segment='giant' (accepted: enterprise, mid_market, smb)",
        )
    ]


def test_one_transaction_per_file_rolls_back_on_failure(lake: Lake, monkeypatch):
    """A failure after the inserts (here: the load record) leaves no trace of the file's rows."""
    from account_health.land import load

    lake.write("accounts/accounts.csv", CLEAN_ACCOUNTS + account_row("A1") + "\n")
    real = load._record_loads

    def failing(con, files, loaded_at):
        if any(result.status == "loaded" for result, *_ in files):
            raise duckdb.IOException("disk full (simulated)")
        return real(con, files, loaded_at)

    monkeypatch.setattr(load, "_record_loads", failing)
    report = lake.land()
    assert report.files[0].status == "rejected"
    assert "disk full" in report.files[0].message
    assert lake.count("accounts") == 0 and lake.count("_quarantine") == 0


def test_files_land_in_contract_order_then_path_order(lake: Lake):
    lake.write("subscriptions/b.csv", SUBSCRIPTIONS_HEADER + "\n")
    lake.write("subscriptions/a.csv", SUBSCRIPTIONS_HEADER + "\n")
    lake.write("accounts/z.csv", ACCOUNTS_HEADER + "\n")
    report = lake.land()
    assert [result.path.name for result in report.files] == ["z.csv", "a.csv", "b.csv"]


def test_unknown_folder_is_a_warning_and_unsupported_file_a_rejection(lake: Lake):
    lake.write("invoices/2025.csv", "invoice_id\n1\n")
    lake.write("accounts/accounts.xlsx", b"PK\x03\x04 not really")
    lake.write("accounts/.DS_Store", b"\x00\x01")
    report = lake.land()
    assert any("invoices" in warning for warning in report.warnings)
    [result] = report.files
    assert result.status == "rejected" and "unsupported file type '.xlsx'" in result.message


def test_orphan_account_ids_land_and_are_reported(lake: Lake):
    """Decision: orphans are not quarantined at landing (dbt relationship tests own them), only counted."""
    lake.write("accounts/accounts.csv", CLEAN_ACCOUNTS)
    lake.write(
        "users/users.csv",
        "user_id,account_id,contact_id,provisioned_at,provisioning,role,deactivated_at\n"
        "U1,A1,,2025-01-01 09:00:00,mandated,member,\n"
        "U2,A_UNKNOWN,,2025-01-01 09:00:00,self_serve,member,\n",
    )
    report = lake.land()
    users = report.files[1]
    assert (users.rows_loaded, users.rows_quarantined) == (2, 0)
    assert "1 rows reference an account_id not in raw.accounts" in users.message


def test_json_and_parquet_sources_land(lake: Lake, write_parquet):
    lake.write(
        "survey_responses/2025-05.json",
        '{"response_id":"R1","account_id":"A1","contact_id":"C1","survey_type":"nps","score":9,'
        '"responded_at":"2025-05-01T10:00:00","comment":"great"}\n'
        '{"response_id":"R2","account_id":"A1","survey_type":"csat","score":"4",'
        '"responded_at":"2025-05-02 08:00:00"}\n',
    )
    write_parquet(
        lake.raw / "usage_events" / "2025-05.parquet",
        "select 'E' || i as event_id, 'U1' as user_id, 'A1' as account_id, 'p_core' as product_id,"
        " 'search' as feature, 'click' as event_name,"
        " timestamp '2025-05-01 00:00:00' + to_minutes(i::bigint) as occurred_at, 'S1' as session_id"
        " from range(1000) t(i)",
    )
    report = lake.land()
    assert report.ok, report.files
    assert [(r.table, r.rows_loaded) for r in report.files] == [
        ("usage_events", 1000),
        ("survey_responses", 2),
    ]
    assert lake.query("select score, comment, contact_id from raw.survey_responses order by response_id") == [
        (9, "great", "C1"),
        (4, None, None),
    ]
    assert lake.query("select max(occurred_at)::varchar from raw.usage_events") == [("2025-05-01 16:39:00",)]


def test_timestamps_with_an_offset_are_converted_to_utc(lake: Lake):
    lake.write(
        "csm_activities/a.csv",
        "activity_id,account_id,contact_id,activity_type,occurred_at\n"
        "X1,A1,,qbr,2025-03-01T10:00:00+02:00\n"
        "X2,A1,,qbr,2025-03-01 10:00:00Z\n"
        "X3,A1,,qbr,2025-03-01 10:00:00\n",
    )
    lake.land()
    assert lake.query("select occurred_at::varchar from raw.csm_activities order by activity_id") == [
        ("2025-03-01 08:00:00",),
        ("2025-03-01 10:00:00",),
        ("2025-03-01 10:00:00",),
    ]
