"""`account-health metrics`: the semantic layer's headline metrics in the terminal, by band or grain.

The values themselves are compared with the marts in tests_py/semantic/; here: what a user types and sees.
"""

from __future__ import annotations

import duckdb
from _cli import run_main


def _warehouse_rows(tiny_run, sql: str) -> list[tuple]:
    with duckdb.connect(str(tiny_run.paths.warehouse_path), read_only=True) as con:
        return con.execute(sql).fetchall()


def test_by_band_prints_accounts_and_arr_per_band(tiny_run, capsys) -> None:
    bands = _warehouse_rows(
        tiny_run,
        "select health_band, count(*), sum(current_arr_usd) from marts.dim_accounts "
        "where is_active_customer group by 1",
    )
    code, stdout, stderr = run_main(
        ["metrics", "--by", "band", "--data-dir", tiny_run.paths.data_dir], capsys
    )
    assert code == 0, stderr
    assert "account_health__health_band" in stdout and "arr_at_risk" in stdout
    assert "nrr" not in stdout, "retention has no band: left out of the default set when grouping by band"
    lines = {line.split("│")[1].strip(): line for line in stdout.splitlines() if line.count("│") > 2}
    for band, count, arr in bands:
        assert f" {count} " in lines[band] and f"{arr:,.2f}" in lines[band]


def test_headline_today_and_by_quarter(tiny_run, capsys) -> None:
    (nrr,) = _warehouse_rows(
        tiny_run,
        "select nrr_12m_rate from marts.fct_revenue_retention where segment = 'all' "
        "order by month_end desc limit 1",
    )[0]
    data = ["--data-dir", tiny_run.paths.data_dir]
    code, stdout, _ = run_main(["metrics", *data], capsys)
    assert code == 0
    assert f"{nrr:.4f}" in stdout
    code, stdout, _ = run_main(["metrics", "nrr", "--grain", "quarter", "--sql", *data], capsys)
    assert code == 0
    assert "metric_time__quarter" in stdout and "fct_revenue_retention" in stdout
    # both families have a segment: one table each
    code, stdout, _ = run_main(["metrics", "--by", "segment", *data], capsys)
    assert code == 0
    assert "revenue_retention__segment" in stdout and "account_health__segment" in stdout


def test_wrong_input_is_one_line_and_exit_2(tiny_run, capsys) -> None:
    data = ["--data-dir", tiny_run.paths.data_dir]
    for args, message in (
        (["metrics", "churn_rate"], "unknown metric churn_rate"),
        (["metrics", "nrr", "--by", "band"], "--by band is not a dimension of nrr"),
        (["metrics", "--grain", "fortnight"], "--grain fortnight"),
        (["metrics", "--by", "colour"], "--by colour: the headline metrics group by account__csm_owner"),
    ):
        code, _, stderr = run_main([*args, *data], capsys)
        assert code == 2, args
        assert stderr.startswith(f"error: {message}") and len(stderr.strip().splitlines()) == 1, stderr


def test_before_any_build_it_says_what_to_run(paths, capsys) -> None:
    code, _, stderr = run_main(["metrics", "--data-dir", paths.data_dir], capsys)
    assert code == 2
    assert "no semantic manifest" in stderr and "account-health run" in stderr
