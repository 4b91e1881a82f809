"""The dashboard's pages in a real headless Chromium (Debian's, driven by Playwright): what the tests read
and what `make screenshots` saves. Needs the `dev` extra (playwright); nothing here runs in production.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# page name -> path under the dashboard's address (the portfolio is the default page, at the root)
PAGES = {"portfolio": "", "account": "account", "renewals": "renewals", "retention": "retention"}
VIEWPORT = {"width": 1400, "height": 1500}
TIMEOUT_MS = 30_000
CHART_SETTLE_MS = 1_500  # Vega draws after the script finished; only screenshots wait for it
# the report tests' flags: nothing phones home
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@dataclass(frozen=True)
class PageView:
    """What a reader sees on one page once its script finished."""

    url: str
    metrics: dict[str, str]  # label -> value, e.g. "Unhealthy accounts" -> "7"
    deltas: dict[str, str]  # label -> the line under the value, where there is one
    text: str  # the main area's visible text
    exceptions: list[str] = field(default_factory=list)  # Streamlit's exception boxes


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    raise RuntimeError("no Chromium on PATH: `make test` installs Debian's chromium package")


@contextmanager
def browser() -> Iterator[Browser]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()


def view(browser: Browser, url: str, screenshot: Path | None = None) -> PageView:
    """Load `url`, wait until the page's script has run, read it, and save a full-page screenshot."""
    page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        page.goto(url, timeout=TIMEOUT_MS)
        page.wait_for_selector(
            '[data-testid="stMetricValue"], [data-testid="stException"], [data-testid="stAlert"]',
            timeout=TIMEOUT_MS,
        )
        page.wait_for_selector(
            '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS
        )
        metrics: dict[str, str] = {}
        deltas: dict[str, str] = {}
        for metric in page.locator('[data-testid="stMetric"]').all():
            label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
            metrics[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
            delta = metric.locator('[data-testid="stMetricDelta"]')
            if delta.count():
                deltas[label] = delta.inner_text().strip()
        exceptions = page.locator('[data-testid="stException"]').all_inner_texts()
        text = page.locator('[data-testid="stMain"]').inner_text()
        if screenshot is not None:
            page.wait_for_timeout(CHART_SETTLE_MS)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        return PageView(url, metrics, deltas, text, exceptions)
    finally:
        page.close()
