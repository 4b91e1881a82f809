"""One way to read the serving database: every reader says "nothing published yet" the same way, and
names the marts that are there when one it needs is missing."""

from __future__ import annotations

import duckdb
import pytest

from account_health.alerts import AlertError, pending
from account_health.explain import ExplainError, explain
from account_health.export import ExportError, export
from account_health.paths import Paths
from account_health.report import build_report
from account_health.serving import ServingError, open_serving


def test_every_reader_says_nothing_is_published_yet_the_same_way(paths: Paths) -> None:
    expected = f"nothing published yet at {paths.serving_path}: run `account-health run` first"
    readers = [
        (ExportError, lambda: export(paths, "dim_accounts")),
        (ExplainError, lambda: explain(paths, "acc_00001")),
        (AlertError, lambda: pending(paths)),
        (FileNotFoundError, lambda: build_report(paths)),
    ]
    for error, read in readers:
        with pytest.raises(error) as raised:
            read()
        assert str(raised.value) == expected


def test_a_missing_mart_is_named_with_the_marts_that_are_there(paths: Paths) -> None:
    paths.serving_dir.mkdir(parents=True)
    with duckdb.connect(str(paths.serving_path)) as con:
        con.execute("create table dim_accounts as select 'a' as account_id")
        con.execute("create table fct_account_review_queue as select 'a' as account_id")
    with pytest.raises(ServingError) as raised, open_serving(paths, requires=["fct_renewals_upcoming"]):
        pass
    assert str(raised.value) == (
        "no published mart 'fct_renewals_upcoming': the marts are dim_accounts, fct_account_review_queue"
    )
    with pytest.raises(AlertError, match="no published mart 'fct_account_band_changes'"):
        pending(paths)
    # read-only: a reader cannot change what BI reads
    with open_serving(paths) as con, pytest.raises(duckdb.Error):
        con.execute("drop table dim_accounts")
