"""A bad mapping file is one line naming the file, the line and the key, before anything is read."""

from __future__ import annotations

from pathlib import Path

import pytest

from account_health.land.mapping import MappingError, load_mapping


def _mapping(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "sources.yml"
    path.write_text(text)
    return path


def _error(tmp_path: Path, text: str) -> str:
    with pytest.raises(MappingError) as caught:
        load_mapping(_mapping(tmp_path, text))
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_the_larkspur_mapping_reads_as_written(larkspur):
    mapping = load_mapping(larkspur.mapping)
    accounts = mapping.tables["accounts"]
    assert accounts.files == ("crm/Accounts*.csv",)
    assert accounts.columns["segment"] == "Plan"
    assert accounts.values["segment"] == {"enterprise": "enterprise", "pro": "mid_market", "basic": "smb"}
    assert accounts.defaults == {"is_test": "false"}  # YAML false, as landing reads it from a file
    assert accounts.formats["customer_since"] == ("%d/%m/%Y",)  # the file-wide date_format
    # a timestamp column takes the file-wide timestamp formats, tried in turn
    assert mapping.tables["contacts"].formats["created_at"] == ("%d/%m/%Y %H:%M", "%d/%m/%Y")
    assert mapping.tables["support_cases"].skip_lines == 1
    assert mapping.tables["opportunities"].values["is_won"] == {"yes": "true", "no": "false"}
    assert set(mapping.tables) == {
        "accounts",
        "contacts",
        "opportunities",
        "subscriptions",
        "users",
        "usage_events",
        "support_cases",
    }


def test_an_unknown_table_names_the_line(tmp_path):
    message = _error(tmp_path, "version: 1\ntables:\n  accounts: {}\n  customers:\n    files: a.csv\n")
    assert message.startswith(f"{tmp_path / 'sources.yml'}, line 4: tables.customers: unknown table")
    assert "accounts, contacts" in message


def test_an_unknown_contract_column(tmp_path):
    message = _error(tmp_path, "tables:\n  accounts:\n    columns:\n      plan: Plan\n")
    assert ", line 4: tables.accounts.columns.plan: unknown column of accounts" in message


def test_a_value_map_target_the_contract_does_not_accept(tmp_path):
    text = "tables:\n  accounts:\n    values:\n      segment: {Enterprise: enterprise, Pro: pro}\n"
    message = _error(tmp_path, text)
    assert "line 4: tables.accounts.values.segment.Pro: 'pro' is not an accepted value of segment" in message
    assert "(enterprise, mid_market, smb)" in message


def test_a_default_that_is_not_of_the_column_type(tmp_path):
    message = _error(tmp_path, "tables:\n  accounts:\n    defaults:\n      is_test: maybe\n")
    assert message.endswith("tables.accounts.defaults.is_test: 'maybe' is not a boolean")


@pytest.mark.parametrize(
    ("fmt", "reason"),
    [
        ("dd/mm/yyyy", "it needs the day, month and year as directives"),
        ("%d/%m", "it needs the day, month and year as directives"),
        ("%d/%q/%Y", "bad format '%d/%q/%Y'"),
    ],
)
def test_a_bad_format_string(tmp_path, fmt, reason):
    text = f'tables:\n  accounts:\n    formats:\n      customer_since: "{fmt}"\n'
    message = _error(tmp_path, text)
    assert "line 4: tables.accounts.formats.customer_since: " in message
    assert reason in message


def test_a_format_for_a_column_that_is_not_a_date(tmp_path):
    message = _error(tmp_path, 'tables:\n  accounts:\n    formats:\n      account_name: "%d/%m/%Y"\n')
    assert "account_name is varchar, not a date or timestamp" in message


def test_a_misspelt_key(tmp_path):
    message = _error(tmp_path, "tables:\n  accounts:\n    colums:\n      segment: Plan\n")
    assert "line 3: tables.accounts.colums: unknown key (expected one of: files, skip_lines" in message


def test_invalid_yaml_names_line_and_column(tmp_path):
    message = _error(tmp_path, "tables:\n  accounts:\n    columns: {segment: Plan\n")
    assert message.startswith(f"{tmp_path / 'sources.yml'}, line 4, column 1: not valid YAML")


def test_a_glob_outside_the_from_folder(tmp_path):
    message = _error(tmp_path, "tables:\n  accounts:\n    files: ../other/*.csv\n")
    assert "'../other/*.csv' must be relative to the --from folder, inside it" in message


def test_a_value_mapped_twice_ignoring_case(tmp_path):
    text = "tables:\n  accounts:\n    values:\n      segment: {Pro: mid_market, PRO: smb}\n"
    assert "'PRO' is mapped twice (values match ignoring case)" in _error(tmp_path, text)
