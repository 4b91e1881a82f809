"""The CS dashboard, served by Streamlit over the tiny run's serving database and read in a real headless
Chromium: each page's headline figures equal what the serving database says, and no page fails.

One server and one browser for the module; every expected value is queried here, not taken from the
dashboard's own query functions.
"""

from __future__ import annotations

import csv
import socket
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pytest
import yaml

from account_health.config import PROJECT_SEEDS
from account_health.dashboard.browse import PAGES, READY, PageView, browser, view
from account_health.dashboard.server import start
from account_health.paths import PROJECT_DIR


@dataclass(frozen=True)
class Views:
    pages: dict[str, PageView]
    screenshots: dict[str, Path]
    account_id: str
    queue_filter: tuple[str, str]  # the CSM and segment of the filtered portfolio view


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _one(tiny_run, sql: str, parameters: object = None):  # type: ignore[no-untyped-def]
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        return con.execute(sql, parameters).fetchone()


@pytest.fixture(scope="module")
def views(tiny_run, tmp_path_factory) -> Views:
    folder = tmp_path_factory.mktemp("dashboard")
    # an account whose band was set by an override, else the first of the queue: the richest page
    account_id = _one(
        tiny_run,
        """
        select account_id from fct_account_review_queue
        order by band_set_by = 'override' desc, queue_rank limit 1
        """,
    )[0]
    # the CSM and segment of the queue's first named owner, so the filter keeps some rows and drops others
    csm, segment = _one(
        tiny_run,
        "select csm_owner, segment from fct_account_review_queue where csm_owner is not null "
        "order by queue_rank limit 1",
    )
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    process = start(tiny_run.paths, port, folder / "streamlit.log")
    try:
        pages: dict[str, PageView] = {}
        shots: dict[str, Path] = {}
        with browser() as chromium:
            for name, path in PAGES.items():
                query = f"?account={account_id}" if name == "account" else ""
                shots[name] = folder / f"{name}.png"
                pages[name] = view(chromium, f"{base}/{path}{query}", READY[name], screenshot=shots[name])
            pages["portfolio_filtered"] = view(
                chromium, f"{base}/?csm={csm.replace(' ', '+')}&segment={segment}", READY["portfolio"]
            )
    finally:
        process.terminate()
        process.wait(timeout=10)
    return Views(pages, shots, account_id, (csm, segment))


def _neutral_score() -> float:
    """dbt var health_neutral_score: where a component neither lifts nor lowers the score."""
    project = yaml.safe_load((PROJECT_DIR / "dbt_project.yml").read_text())
    return float(project["vars"]["health_neutral_score"])


def _money(value: object) -> str:
    return f"${float(value or 0):,.0f}"


def test_no_page_shows_an_exception_or_reaches_another_host(views) -> None:
    for name, page in views.pages.items():
        assert page.exceptions == [], f"{name}: {page.exceptions}"
        assert page.metrics, f"{name} shows no headline figure"
        assert page.foreign_requests == [], f"{name} reached out: {page.foreign_requests[:3]}"


def test_every_page_renders_to_a_nonblank_screenshot(views) -> None:
    for name, screenshot in views.screenshots.items():
        assert screenshot.stat().st_size > 40_000, f"{name}: a blank page compresses to a few kB"


def test_portfolio_shows_customers_and_arr_per_band(views, tiny_run) -> None:
    customers, arr, unhealthy, unhealthy_arr, not_so, healthy = _one(
        tiny_run,
        """
        select
            count(*), sum(current_arr_usd),
            count(*) filter (where health_band = 'unhealthy'),
            sum(current_arr_usd) filter (where health_band = 'unhealthy'),
            count(*) filter (where health_band = 'not_so_healthy'),
            count(*) filter (where health_band = 'healthy')
        from dim_accounts
        where is_active_customer
        """,
    )
    assert unhealthy > 0, "the tiny data should have unhealthy customers, or this test proves little"
    page = views.pages["portfolio"]
    assert page.metrics["Customers"] == f"{customers:,}"
    assert page.metrics["ARR"] == _money(arr)
    assert page.metrics["Unhealthy accounts"] == str(unhealthy)
    assert page.deltas["Unhealthy accounts"] == f"{_money(unhealthy_arr)} ARR"
    assert page.metrics["Not so healthy accounts"] == str(not_so)
    assert page.metrics["Healthy accounts"] == str(healthy)


def test_portfolio_queue_counts_all_rows_and_the_filtered_ones(views, tiny_run) -> None:
    total, at_risk = _one(tiny_run, "select count(*), sum(arr_at_risk_usd) from fct_account_review_queue")
    csm, segment = views.queue_filter
    kept, kept_at_risk = _one(
        tiny_run,
        "select count(*), sum(arr_at_risk_usd) from fct_account_review_queue "
        "where csm_owner = $csm and segment = $segment",
        {"csm": csm, "segment": segment},
    )
    assert 0 < kept < total
    assert f"{total} of {total} accounts in the queue · ARR at risk {_money(at_risk)}" in (
        views.pages["portfolio"].text
    )
    assert (
        f"{kept} of {total} accounts in the queue match the filter · ARR at risk {_money(kept_at_risk)}"
        in views.pages["portfolio_filtered"].text
    )


def test_account_page_shows_band_score_components_and_next_step(views, tiny_run) -> None:
    band, score, set_by, rules, action, review = _one(
        tiny_run,
        """
        select health_band, health_score, band_set_by, band_override_rules, recommended_action,
            next_review_due_date
        from fct_account_health_daily
        where account_id = $id
        qualify score_date = max(score_date) over ()
        """,
        {"id": views.account_id},
    )
    labels = {"unhealthy": "Unhealthy", "not_so_healthy": "Not so healthy", "healthy": "Healthy"}
    page = views.pages["account"]
    assert page.metrics["Band"] == labels[band]
    assert page.metrics["Health score"] == f"{float(score):.1f}"
    assert action in page.text
    assert f"Next review: {review}" in page.text
    if set_by == "override":
        assert f"Band set by an override: {rules}" in page.text
    # the component that pulls the score most, with its label from the seed and its signed points
    component, pull = _one(
        tiny_run,
        """
        select component_id, normalised_weight * (component_score - $neutral)
        from fct_account_health_drivers
        where account_id = $id and component_status = 'used'
        qualify score_date = max(score_date) over ()
        order by abs(normalised_weight * (component_score - $neutral)) desc, component_id
        limit 1
        """,
        {"id": views.account_id, "neutral": _neutral_score()},
    )
    with (PROJECT_SEEDS / "scorecard" / "health_components.csv").open() as handle:
        label = {row["component_id"]: row["label"] for row in csv.DictReader(handle)}[component]
    (table,) = page.tables
    header = table[0]
    row = dict(zip(header, next(row for row in table if row[0] == label), strict=True))
    assert row["signed contribution"] == f"{float(pull):+.2f}"
    assert row["status"] == "used"


def test_renewals_page_shows_the_arr_renewing_within_30_60_90_days(views, tiny_run) -> None:
    page = views.pages["renewals"]
    for days in (30, 60, 90):
        arr, accounts = _one(
            tiny_run,
            "select sum(current_arr_usd), count(*) from fct_renewals_upcoming where window_days <= $days",
            {"days": days},
        )
        if not accounts:
            continue
        assert page.metrics[f"ARR renewing within {days} days"] == _money(arr)
        assert page.deltas[f"ARR renewing within {days} days"].startswith(
            "1 account," if accounts == 1 else f"{accounts} accounts,"
        )
    assert "ARR renewing within 90 days" in page.metrics, "the tiny data should renew something in 90 days"


def test_retention_page_shows_the_latest_nrr_grr_and_logo_retention(views, tiny_run) -> None:
    nrr, grr, logos = _one(
        tiny_run,
        """
        select nrr_12m_rate, grr_12m_rate, logo_retention_12m_rate
        from fct_revenue_retention
        where segment = 'all' and nrr_12m_rate is not null
        order by month_end desc
        limit 1
        """,
    )
    page = views.pages["retention"]
    assert page.metrics["NRR (12 months)"] == f"{100 * nrr:.1f}%"
    assert page.metrics["GRR (12 months)"] == f"{100 * grr:.1f}%"
    assert page.metrics["logo retention (12 months)"] == f"{100 * logos:.1f}%"
