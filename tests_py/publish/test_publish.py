"""Write-audit-publish on a hand-made warehouse: what lands in serving, the audit gates, rollback."""

from __future__ import annotations

import json

import duckdb
import pytest

from account_health.paths import Paths
from account_health.publish import PublishError, publish, read_manifest, rollback, table_checksum


def serving_version(paths: Paths) -> int:
    con = duckdb.connect(str(paths.serving_path), read_only=True)
    try:
        return con.execute("select version from meta").fetchone()[0]
    finally:
        con.close()


def test_publish_copies_every_mart_into_the_default_schema_with_types_and_keys(paths, marts_writer):
    marts_writer(3)

    result = publish(paths)

    assert result.row_counts == {"dim_accounts": 3, "fct_account_health_daily": 30, "meta": 1}
    con = duckdb.connect(str(paths.serving_path), read_only=True)
    try:
        assert con.execute("select current_schema()").fetchone()[0] == "main"
        assert con.execute("select count(*) from dim_accounts").fetchone()[0] == 3
        types = dict(
            con.execute(
                "select column_name, data_type from duckdb_columns() where table_name = 'dim_accounts'"
            ).fetchall()
        )
        assert types == {
            "account_id": "VARCHAR",
            "segment": "VARCHAR",
            "arr_usd": "DECIMAL(18,2)",
            "tags": "VARCHAR[]",
            "customer_since": "DATE",
        }
        constraints = con.execute(
            "select constraint_type, constraint_column_names from duckdb_constraints() "
            "where table_name = 'dim_accounts' order by all"
        ).fetchall()
        assert ("PRIMARY KEY", ["account_id"]) in constraints
        assert ("NOT NULL", ["segment"]) in constraints
        # Only the marts: nothing from the warehouse's other schemas reaches serving.
        tables = {row[0] for row in con.execute("select table_name from duckdb_tables()").fetchall()}
        assert tables == {"dim_accounts", "fct_account_health_daily", "meta"}
        parquet = paths.serving_parquet_dir / "fct_account_health_daily.parquet"
        assert con.execute(f"select count(*) from '{parquet}'").fetchone()[0] == 30
    finally:
        con.close()
    manifest = json.loads((paths.serving_dir / "manifest.json").read_text())
    assert manifest["run_id"] == result.run_id
    assert manifest["tables"]["dim_accounts"]["rows"] == 3
    assert not list(paths.serving_dir.glob("*.tmp-*"))


def test_publishing_the_same_warehouse_twice_gives_identical_contents(paths, marts_writer):
    marts_writer(5)
    first = publish(paths)
    second = publish(paths)

    assert first.run_id != second.run_id
    assert {name: table.checksum for name, table in first.tables.items()} == {
        name: table.checksum for name, table in second.tables.items()
    }
    marts_writer(6)
    third = publish(paths)
    assert third.tables["dim_accounts"].checksum != second.tables["dim_accounts"].checksum
    assert (
        third.tables["fct_account_health_daily"].checksum
        != second.tables["fct_account_health_daily"].checksum
    )


def test_rollback_restores_the_previous_database_parquet_and_manifest(paths, marts_writer):
    marts_writer(2)
    first = publish(paths)
    marts_writer(4)
    second = publish(paths)
    assert serving_version(paths) == 4

    result = rollback(paths)

    assert (result.restored_run_id, result.replaced_run_id) == (first.run_id, second.run_id)
    assert serving_version(paths) == 2
    assert read_manifest(paths.serving_dir / "manifest.json")["run_id"] == first.run_id
    con = duckdb.connect()
    parquet = paths.serving_parquet_dir / "dim_accounts.parquet"
    assert con.execute(f"select count(*) from '{parquet}'").fetchone()[0] == 2
    # A second rollback undoes the first.
    rollback(paths)
    assert serving_version(paths) == 4
    assert con.execute(f"select count(*) from '{parquet}'").fetchone()[0] == 4


def test_rollback_without_a_previous_publish_fails_and_changes_nothing(paths, marts_writer):
    marts_writer(2)
    publish(paths)
    with pytest.raises(PublishError, match="nothing to roll back"):
        rollback(Paths(paths.data_dir.parent / "other"))
    assert serving_version(paths) == 2


@pytest.mark.parametrize(
    ("extra_sql", "message"),
    [
        ("alter table marts.dim_accounts add column email varchar", r"dim_accounts\.email: personal data"),
        (
            "create table marts.dim_contacts as select 'x' as contact_id, 'A B' as full_name",
            r"dim_contacts\.full_name: personal data",
        ),
        (
            "create or replace table marts.dim_accounts as select 'acc-1' as account_id from range(2)",
            r"dim_accounts: 1 duplicated values of key \(account_id\)",
        ),
    ],
)
def test_a_failed_audit_leaves_serving_untouched(paths, marts_writer, extra_sql, message):
    marts_writer(2)
    good = publish(paths)
    marts_writer(3, extra_sql=extra_sql)

    with pytest.raises(PublishError, match=message):
        publish(paths)

    assert serving_version(paths) == 2
    assert read_manifest(paths.serving_dir / "manifest.json")["run_id"] == good.run_id
    assert not list(paths.serving_dir.glob("*.tmp-*"))


def test_a_warehouse_without_marts_is_not_published(paths):
    paths.warehouse_path.parent.mkdir(parents=True)
    duckdb.connect(str(paths.warehouse_path)).close()
    with pytest.raises(PublishError, match="no tables in schema 'marts'"):
        publish(paths)
    assert not paths.serving_path.exists()


def test_the_checksum_ignores_float_summation_noise_but_not_real_changes():
    con = duckdb.connect()
    con.execute("create table a as select * from (values (1, 40.4242375::double), (2, 0.1)) as t(k, x)")
    con.execute(
        "create table b as select * from (values (2, 0.1::double), (1, 40.424237500000004)) as t(k, x)"
    )
    con.execute("create table c as select * from (values (1, 40.4242376::double), (2, 0.1)) as t(k, x)")
    con.execute("create table d as select * from (values (1, 40.4242375::double)) as t(k, x)")

    a, b, c, d = (table_checksum(con, name) for name in "abcd")

    assert a == b  # same rows, other order, last-bit float difference
    assert a.checksum != c.checksum
    assert (d.rows, a.rows) == (1, 2)
    assert a.checksum != d.checksum
