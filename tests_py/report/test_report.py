"""The HTML report, rendered by a real headless Chromium from the published marts of a tiny run."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

from account_health.report import build_report

CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def _chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    pytest.fail("no Chromium on PATH: `make test` installs Debian's chromium package")


@pytest.fixture(scope="module")
def rendered(tiny_run, tmp_path_factory) -> tuple[Path, str, Path]:
    # the pipeline's last step wrote the report; rebuilding it must give the same file
    written = tiny_run.summary.report.path.read_text()
    result = build_report(tiny_run.paths)
    assert result.path.read_text() == written
    profile = tmp_path_factory.mktemp("chromium-profile")
    dom = subprocess.run(
        [_chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", "--dump-dom", result.path.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    screenshot = profile / "report.png"
    subprocess.run(
        [
            _chromium(),
            *CHROMIUM_FLAGS,
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
