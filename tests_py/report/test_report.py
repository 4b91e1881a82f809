"""The HTML report, rendered by a real headless Chromium from the published marts of a tiny run."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import duckdb
import pytest

from _shared_data import copy_data
from account_health.report import build_report


@pytest.fixture(scope="module")
def rendered(tiny_run, tmp_path_factory, headless_chromium) -> tuple[Path, str, Path]:
    # the pipeline's last step wrote the report; rebuilding it (in a copy: the tiny run's folder is shared
    # by every test, read-only) must give the same file
    written = tiny_run.summary.report.path.read_text()
    result = build_report(copy_data(tiny_run.paths, tmp_path_factory.mktemp("report")))
    assert result.path.read_text() == written
    profile = tmp_path_factory.mktemp("chromium-profile")
    dom = subprocess.run(
        [*headless_chromium, f"--user-data-dir={profile}", "--dump-dom", result.path.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    screenshot = profile / "report.png"
    subprocess.run(
        [
            *headless_chromium,
            f"--user-data-dir={profile}",
            f"--screenshot={screenshot}",
            "--window-size=1200,2000",
            result.path.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    return result.path, dom, screenshot


def test_report_shows_the_published_account_count(rendered, tiny_run) -> None:
    _, dom, _ = rendered
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        accounts = con.execute("select count(*) from dim_accounts where is_active_customer").fetchone()[0]
    kpi = re.search(r'<div class="value">([\d,]+)</div><div class="label">active accounts', dom)
    assert kpi is not None
    assert int(kpi.group(1).replace(",", "")) == accounts


def test_report_draws_band_chart_with_one_stack_per_month(rendered, tiny_run) -> None:
    _, dom, _ = rendered
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        months = con.execute(
            "select count(distinct strftime(score_date, '%Y-%m')) from fct_account_health_daily"
        ).fetchone()[0]
    section = dom.split('id="bands"', 1)[1].split("</section>", 1)[0]
    # three bands per month, drawn even when a band's share is zero
    assert section.count('class="bar"') == 3 * months


def test_report_lists_the_review_queue_in_queue_order(rendered, tiny_run) -> None:
    _, dom, _ = rendered
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        first = con.execute(
            "select account_name from fct_account_review_queue order by queue_rank limit 1"
        ).fetchone()
    if first is None:
        pytest.skip("nothing is due for review in the tiny data")
    section = dom.split('id="review-queue"', 1)[1]
    assert re.search(r"<td>(.*?)</td>", section).group(1) == first[0]


def test_report_renders_to_a_nonblank_screenshot(rendered) -> None:
    _, _, screenshot = rendered
    assert screenshot.exists()
    assert screenshot.stat().st_size > 20_000  # a blank page compresses to a few kB


def _section(dom: str, section_id: str) -> str:
    return dom.split(f'id="{section_id}"', 1)[1].split("</section>", 1)[0]


def test_every_count_in_the_report_agrees_with_dim_accounts(rendered, tiny_run) -> None:
    _, dom, _ = rendered
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        customers, unhealthy, ex_customers_in_queue, ex_customers_scored_today = con.execute(
            """
            select
                count(*) filter (where is_active_customer),
                count(*) filter (where is_active_customer and health_band = 'unhealthy'),
                (select count(*) from fct_account_review_queue as queue
                    inner join dim_accounts as accounts using (account_id)
                    where not accounts.is_active_customer),
                (select count(*) from fct_account_health_daily as daily
                    inner join dim_accounts as accounts using (account_id)
                    where daily.score_date = accounts.as_of_date and not accounts.is_active_customer)
            from dim_accounts
            """
        ).fetchone()
        has_ex_customers = con.execute(
            "select count(*) from dim_accounts where not is_active_customer"
        ).fetchone()[0]
    assert has_ex_customers > 0, "the tiny data should hold ex-customers, or this test proves nothing"
    assert ex_customers_in_queue == 0
    assert ex_customers_scored_today == 0
    kpis = dict(
        (label, int(value.replace(",", "")))
        for value, label in re.findall(
            r'<div class="value">([\d,]+)</div><div class="label">(?:<span class="band band-)?([a-z_ ]+)', dom
        )
    )
    assert kpis["active accounts"] == customers
    assert kpis["healthy"] + kpis["not_so_healthy"] + kpis["unhealthy"] == customers
    assert kpis["unhealthy"] == unhealthy
    quadrant_accounts = re.findall(r'</td><td class="num">(\d+)</td>', _section(dom, "scores"))
    assert sum(int(count) for count in quadrant_accounts) == customers
    if unhealthy:
        why = re.findall(r'<td class="num">(\d+)</td><td class="num">', _section(dom, "why-red"))
        assert sum(int(count) for count in why) == unhealthy


def test_the_renewals_section_sums_the_arr_renewing_per_window_and_band(rendered, tiny_run) -> None:
    _, dom, _ = rendered
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        windows = con.execute(
            """
            select window_label, count(*), round(sum(current_arr_usd)),
                round(coalesce(sum(current_arr_usd) filter (where health_band = 'unhealthy'), 0))
            from fct_renewals_upcoming
            group by window_days, window_label
            order by window_days
            """
        ).fetchall()
        listed = con.execute("select count(*) from fct_renewals_upcoming").fetchone()[0]
    if not windows:
        pytest.skip("no renewal in the next 90 days in the tiny data")
    section = _section(dom, "renewals")
    rows = re.findall(
        r"<tr><td>([^<]+)</td><td class=\"num\">(\d+)</td>\s*<td class=\"num\">\$([\d,]+)</td>\s*"
        r"<td class=\"num\">\$([\d,]+)</td>",
        section,
    )
    assert [
        (label, int(n), int(arr.replace(",", "")), int(red.replace(",", ""))) for label, n, arr, red in rows
    ] == [(label, count, int(arr), int(red)) for label, count, arr, red in windows]
    # one row per account below the totals
    assert section.count("<tr>") == 1 + len(windows) + 1 + listed


def test_the_review_queue_says_how_many_of_its_rows_it_shows(rendered, tiny_run) -> None:
    _, dom, _ = rendered
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        total = con.execute("select count(*) from fct_account_review_queue").fetchone()[0]
    if not total:
        pytest.skip("nothing is due for review in the tiny data")
    section = _section(dom, "review-queue")
    assert f"The first {min(total, 15)} of {total} accounts in the queue" in section


@pytest.fixture(scope="module")
def queue_page(rendered):
    """The report open in headless Chromium through Playwright, to use its CSM and segment filters."""
    from account_health.dashboard.browse import browser

    path, _, _ = rendered
    with browser() as chromium:
        page = chromium.new_page()
        page.goto(path.as_uri())
        yield page
        page.close()


def _visible_queue(page) -> list[tuple[str, str, str]]:
    """(account, segment, CSM) of the queue rows shown."""
    return [
        tuple(row.locator("td").all_inner_texts()[:3])
        for row in page.locator("#queue-table tr.queue-row:not([hidden])").all()
    ]


def test_the_review_queue_filters_by_csm_and_segment_in_the_page(queue_page, tiny_run) -> None:
    with duckdb.connect(str(tiny_run.paths.serving_path), read_only=True) as con:
        csm, segment = con.execute(
            "select csm_owner, segment from fct_account_review_queue where csm_owner is not null "
            "order by queue_rank limit 1"
        ).fetchone()
        by_csm = con.execute(
            "select account_name, segment, csm_owner from fct_account_review_queue "
            "where csm_owner = ? order by queue_rank",
            [csm],
        ).fetchall()
        by_both = con.execute(
            "select account_name, segment, csm_owner from fct_account_review_queue "
            "where csm_owner = ? and segment = ? order by queue_rank",
            [csm, segment],
        ).fetchall()
        smb = con.execute(
            "select account_name, segment, coalesce(csm_owner, 'unassigned') from fct_account_review_queue "
            "where segment = 'smb' order by queue_rank"
        ).fetchall()
    page = queue_page
    page.select_option("#queue-csm", csm)
    assert _visible_queue(page) == by_csm[:15]
    count = page.locator("#queue-count").inner_text()
    assert count == f"The first {min(len(by_csm), 15)} of {len(by_csm)} accounts in the queue (CSM {csm})"
    page.select_option("#queue-segment", segment)
    assert _visible_queue(page) == by_both[:15]
    assert page.locator("#queue-count").inner_text() == (
        f"The first {min(len(by_both), 15)} of {len(by_both)} accounts in the queue "
        f"(CSM {csm}, segment {segment})"
    )
    page.select_option("#queue-csm", "")
    page.select_option("#queue-segment", "smb")
    assert _visible_queue(page) == smb[:15]
    shown = page.locator("#queue-count").inner_text()
    assert shown.startswith(f"The first {min(len(smb), 15)} of {len(smb)} ")
    # the filter is in the address: opening it again shows the same rows
    page.reload()
    assert page.locator("#queue-segment").input_value() == "smb"
    assert _visible_queue(page) == smb[:15]
