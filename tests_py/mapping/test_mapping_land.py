"""Larkspur's own exports land through sources.yml alone: renamed, value-mapped, date-parsed, defaulted."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from account_health.land import land
from account_health.land.mapping import MappingError, load_mapping

TODAY = dt.date(2026, 12, 1)


def _land(company, warehouse: Path):
    return land(company.export, warehouse, as_of=TODAY, mapping=load_mapping(company.mapping))


def _rows(warehouse: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(warehouse), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


@pytest.fixture
def landed(larkspur, tmp_path):
    warehouse = tmp_path / "warehouse.duckdb"
    report = _land(larkspur, warehouse)
    return report, warehouse


def test_every_file_lands_and_rows_add_up(landed):
    report, _ = landed
    assert report.ok and report.warnings == []
    by_file = {Path(str(result.path)).name: result for result in report.files}
    assert sorted(by_file) == [
        "2026-08.csv",
        "2026-09.csv",
        "2026-10.csv",
        "Accounts.csv",
        "Contacts.csv",
        "Deals.csv",
        "Subscriptions.csv",
        "tickets.csv",
        "users.csv",
    ]
    # accounts: 6 lines, one has 31 February; subscriptions: 6 lines and the totals line
    assert (by_file["Accounts.csv"].rows_loaded, by_file["Accounts.csv"].rows_quarantined) == (5, 1)
    assert (by_file["Subscriptions.csv"].rows_read, by_file["Subscriptions.csv"].rows_loaded) == (7, 6)
    assert by_file["tickets.csv"].rows_loaded == 6  # the title line above the header is not a record
    assert report.rows_read == report.rows_loaded + report.rows_quarantined == 2542  # 6+9+8+7+34+2472+6
    assert "is_test" not in by_file["Accounts.csv"].message  # defaulted, so not reported as absent


def test_columns_values_dates_and_defaults_are_mapped(landed):
    _, warehouse = landed
    accounts = _rows(
        warehouse,
        "select account_id, segment, region, employee_count, customer_since, is_test, _source_file"
        " from raw.accounts order by 1",
    )
    assert accounts == [
        ("LK-001", "enterprise", "Norway", 1200, dt.date(2025, 1, 15), False, "crm/Accounts.csv"),
        ("LK-002", "mid_market", "Ireland", 340, dt.date(2025, 6, 3), False, "crm/Accounts.csv"),
        ("LK-003", "smb", "Spain", 45, dt.date(2025, 11, 21), False, "crm/Accounts.csv"),
        # ENTERPRISE and pro: value maps ignore case
        ("LK-004", "enterprise", "Scotland", 2300, dt.date(2025, 2, 1), False, "crm/Accounts.csv"),
        ("LK-005", "mid_market", "Portugal", 410, dt.date(2025, 9, 9), False, "crm/Accounts.csv"),
    ]
    cases = _rows(
        warehouse,
        "select case_id, priority, is_escalated, created_at, resolved_at from raw.support_cases order by 1",
    )
    assert cases[2] == ("T-9003", "p1", True, dt.datetime(2026, 7, 1, 8, 5), dt.datetime(2026, 7, 4, 12))
    assert [row[1] for row in cases] == ["p2", "p3", "p1", "p1", "p4", "p3"]  # Urgent -> p1 as well
    deals = _rows(warehouse, "select opportunity_type, stage, is_won, created_at from raw.opportunities")
    # a date-only value in a timestamp column parses with the second timestamp format
    assert ("expansion", "closed_won", True, dt.datetime(2026, 3, 1)) in deals
    assert ("renewal", "negotiation", None, dt.datetime(2026, 9, 15)) in deals
    assert _rows(warehouse, "select provisioning, count(*) from raw.users group by 1 order by 1") == [
        ("mandated", 24),
        ("self_serve", 10),
    ]
    # counted in the files: grep -c ',Larkspur Cloud,' / ',Larkspur Reports,'; the last 31/10/2026 times
    events = "select product_id, count(*), max(occurred_at) from raw.usage_events group by 1 order by 1"
    assert _rows(warehouse, events) == [
        ("cloud", 2055, dt.datetime(2026, 10, 31, 17, 50)),
        ("reports", 417, dt.datetime(2026, 10, 31, 10, 30)),
    ]


def test_quarantine_names_the_files_own_column_and_keeps_the_record(landed):
    _, warehouse = landed
    rows = _rows(
        warehouse, "select table_name, source_file, row_number, reason, raw_record from raw._quarantine"
    )
    assert len(rows) == 2
    accounts = next(row for row in rows if row[0] == "accounts")
    assert accounts[1:4] == ("crm/Accounts.csv", 6, "bad type: 'Signup Date'='31/02/2024' is not date")
    assert '"Signup Date":"31/02/2024"' in accounts[4] and '"Plan":"Basic"' in accounts[4]
    totals = next(row for row in rows if row[0] == "subscriptions")
    assert totals[2:4] == (7, "skipped by the source mapping: 'Line ID' matches '^Total$'")


def test_a_value_the_map_does_not_cover_stops_before_anything_lands(larkspur, tmp_path):
    tickets = larkspur.export / "support" / "tickets.csv"
    tickets.write_text(tickets.read_text().replace(",low,", ",critical,"))
    warehouse = tmp_path / "warehouse.duckdb"
    with pytest.raises(MappingError) as caught:
        _land(larkspur, warehouse)
    assert str(caught.value) == (
        f"{larkspur.mapping}: tables.support_cases.values.priority: support/tickets.csv has values the map"
        " leaves unmapped in column 'urgency': 'critical'"
    )
    assert not warehouse.exists()  # checked before the warehouse is even opened


def test_a_mapped_column_the_file_lacks_stops_before_anything_lands(larkspur, tmp_path):
    accounts = larkspur.export / "crm" / "Accounts.csv"
    accounts.write_text(accounts.read_text().replace("Account Owner", "Owner"))
    with pytest.raises(MappingError) as caught:
        _land(larkspur, tmp_path / "warehouse.duckdb")
    message = str(caught.value)
    assert "tables.accounts.columns.csm_owner: crm/Accounts.csv has no column 'account owner'" in message
    assert "Owner" in message


def test_a_required_column_without_source_or_default_names_the_fix(larkspur, tmp_path):
    mapping = larkspur.mapping.read_text().replace("      is_test: false", "      region: EMEA")
    larkspur.mapping.write_text(mapping)
    with pytest.raises(MappingError) as caught:
        _land(larkspur, tmp_path / "warehouse.duckdb")
    assert "crm/Accounts.csv: missing required column 'is_test'" in str(caught.value)
    assert "under `defaults:`" in str(caught.value)


def test_tables_the_mapping_does_not_name_land_from_their_own_folder(larkspur, tmp_path):
    (larkspur.export / "referrals").mkdir()
    (larkspur.export / "referrals" / "r.csv").write_text(
        "referral_id,account_id,referred_at\nR-1,LK-001,2026-09-01 10:00:00\n"
    )
    report = _land(larkspur, tmp_path / "warehouse.duckdb")
    assert report.ok
    assert _rows(tmp_path / "warehouse.duckdb", "select referral_id, referred_at from raw.referrals") == [
        ("R-1", dt.datetime(2026, 9, 1, 10))
    ]


def test_a_file_claimed_by_two_tables_is_a_mapping_error(larkspur, tmp_path):
    text = larkspur.mapping.read_text().replace("files: crm/Contacts*.csv", "files: crm/*.csv")
    larkspur.mapping.write_text(text)
    with pytest.raises(MappingError, match=r"crm/Accounts.csv is matched by the files of both accounts"):
        _land(larkspur, tmp_path / "warehouse.duckdb")


def test_windows_line_endings_land_the_same(larkspur, tmp_path):
    for path in larkspur.export.rglob("*.csv"):
        path.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    report = _land(larkspur, tmp_path / "warehouse.duckdb")
    assert report.ok
    assert report.rows_loaded == 2540 and report.rows_quarantined == 2
    assert _rows(tmp_path / "warehouse.duckdb", "select csm_owner from raw.accounts order by 1")[0] == (
        "Maria Lund",
    )


def test_what_a_mapping_leaves_out_is_reported_not_dropped_silently(larkspur, tmp_path):
    (larkspur.export / "accounts").mkdir()
    (larkspur.export / "accounts" / "old.csv").write_text("account_id\nX-1\n")
    (larkspur.export / "crm" / "Contacts.csv").unlink()
    report = _land(larkspur, tmp_path / "warehouse.duckdb")
    assert report.ok
    assert report.warnings == [
        "ignored folder 'accounts': sources.yml takes accounts from crm/Accounts*.csv",
        "no file matches crm/Contacts*.csv (contacts, sources.yml)",
    ]
    assert _rows(tmp_path / "warehouse.duckdb", "select count(*) from raw.accounts") == [(5,)]
