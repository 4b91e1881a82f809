"""`account-health explain`: one account on one page; its points add up to the score."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import duckdb
import pytest
from _cli import run_main
from rich.console import Console

from account_health.explain import explain, render, sparkline


@pytest.fixture(scope="module")
def account(tiny_run) -> tuple[str, dt.date]:
    """A customer on the last day with a stale or missing component beside the used ones, if any."""
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        return con.execute(
            """
            select account_id, max(score_date)
            from fct_account_health_daily
            where health_score is not null
            group by account_id
            order by max(components_missing) is null, account_id
            limit 1
            """
        ).fetchone()


def test_the_points_of_the_used_components_add_up_to_the_score(tiny_run, account) -> None:
    account_id, day = account
    page = explain(tiny_run.paths, account_id)
    assert page.score_date == day
    used = [component for component in page.components if component.status == "used"]
    assert used
    assert sum(component.contribution for component in used) == page.health_score
    assert float(sum(component.normalised_weight for component in used)) == pytest.approx(1, abs=1e-3)
    # pull = normalised weight x (score - 50), the points above or below the neutral midpoint
    for component in used:
        expected = float(component.normalised_weight) * (float(component.score) - 50)
        assert float(component.pull) == pytest.approx(expected, abs=1e-4)
    # every component the drivers mart has for the day, each in exactly one status
    statuses = {component.status for component in page.components}
    assert statuses <= {"used", "unweighted", "missing", "stale"}
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        [(count,)] = con.execute(
            "select count(*) from fct_account_health_drivers where account_id = ? and score_date = ?",
            [account_id, day],
        ).fetchall()
    assert len(page.components) == count
    # history: up to 91 days, ending on the day explained
    assert page.history[-1] == (day, page.health_score)
    assert len(page.history) <= 91


def test_the_page_names_band_reason_components_and_next_step(tiny_run, account) -> None:
    account_id, _ = account
    page = explain(tiny_run.paths, account_id)
    console = Console(record=True, width=400)
    console.print(render(page))
    text = console.export_text()
    assert f"{page.account_name} ({account_id}, {page.segment}" in text
    assert f"{page.health_band}   score {float(page.health_score):,.1f}" in text
    reason = "its score" if page.band_set_by == "score" else f"override {page.band_override_rules}"
    assert f"why {page.health_band}: {reason}" in text
    for component in page.components:
        if component.status == "used":
            assert component.label[:20] in text  # a long label is cut with an ellipsis
    # labels come from the component seed (a description there, never the raw id with underscores)
    assert not any("_" in component.label for component in page.components)
    missing = ", ".join(component.label for component in page.missing) or "none"
    assert f"missing (left out, not scored 0): {missing}" in text
    assert f"next review due {page.next_review_due_date}" in text


def test_an_earlier_day_and_the_wrong_account_or_day(tiny_run, account, capsys) -> None:
    account_id, day = account
    earlier = day - dt.timedelta(days=30)
    assert explain(tiny_run.paths, account_id, earlier).score_date == earlier
    data = ["--data-dir", tiny_run.paths.data_dir]
    code, out, _ = run_main(["explain", account_id, "--as-of", earlier.isoformat(), *data], capsys)
    assert code == 0
    assert f"score day {earlier}" in out
    code, _, err = run_main(["explain", "acc_nope", *data], capsys)
    assert code == 2
    assert err.startswith("error: no account 'acc_nope' with health scores in ")
    code, _, err = run_main(["explain", account_id, "--as-of", "1999-01-01", *data], capsys)
    assert code == 2
    assert err.startswith(f"error: {account_id} is scored from ")
    assert err.strip().endswith(f"to {day}, not on 1999-01-01")


def test_the_sparkline_is_on_a_fixed_0_to_100_scale() -> None:
    assert sparkline([Decimal(0), Decimal(50), Decimal(100), None]) == "▁▅█ "
    assert sparkline([]) == ""
    assert len(sparkline([Decimal(40)] * 91)) == 31
