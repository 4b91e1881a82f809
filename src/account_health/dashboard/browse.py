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
from urllib.parse import urlsplit

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page

# page name -> path under the dashboard's address (the portfolio is the default page, at the root)
PAGES = {"portfolio": "", "account": "account", "renewals": "renewals", "retention": "retention"}
# what must be drawn before a page is read: Streamlit draws Markdown, charts and tables with code it loads
# on first use, after the script has finished
FIGURES = '[data-testid="stMetricValue"] p'
CHART = '[data-testid="stVegaLiteChart"] svg'
GRID = '[data-testid="stDataFrame"] canvas'
READY = {
    "portfolio": (FIGURES, CHART, GRID),
    "account": (FIGURES, CHART, '[data-testid="stTable"] td'),
    "renewals": (FIGURES, CHART, GRID),
    "retention": (FIGURES, CHART, GRID),
}
VIEWPORT = {"width": 1400, "height": 1500}
TIMEOUT_MS = 30_000
SETTLE_POLL_MS = 250
STABLE_LOOKS = 3
SNAPSHOT_JS = """() => [
    document.querySelector('[data-testid="stApp"]').getAttribute("data-test-script-state"),
    (document.querySelector('[data-testid="stMain"]') || document.body).innerHTML.length]"""
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

TABLES_JS = """() => Array.from(document.querySelectorAll('[data-testid="stTable"] table')).map(
    (table) => Array.from(table.rows).map(
        (row) => Array.from(row.cells).map((cell) => cell.innerText.trim())))"""


@dataclass(frozen=True)
class PageView:
    """What a reader sees on one page once its script finished."""

    url: str
    metrics: dict[str, str]  # label -> value, e.g. "Unhealthy accounts" -> "7"
    deltas: dict[str, str]  # label -> the line under the value, where there is one
    text: str  # the main area's visible text
    tables: list[list[list[str]]]  # each static table (st.table): its rows, each a list of cell texts
    exceptions: list[str] = field(default_factory=list)  # Streamlit's exception boxes
    # requests to any other host than the dashboard's (none: it must work with no network)
    foreign_requests: list[str] = field(default_factory=list)


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


def view(
    browser: Browser, url: str, ready: tuple[str, ...] = (FIGURES,), screenshot: Path | None = None
) -> PageView:
    """Load `url`, wait until the page's script has run and everything in `ready` is drawn, read it, and
    save a full-page screenshot."""
    page = browser.new_page(viewport=VIEWPORT)  # type: ignore[arg-type]
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    try:
        page.goto(url, timeout=TIMEOUT_MS)
        for selector in ready:  # an exception box ends the wait too, to be reported
            page.wait_for_selector(f'{selector}, [data-testid="stException"]', timeout=TIMEOUT_MS)
        _settle(page)
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
        tables = page.evaluate(TABLES_JS)
        if screenshot is not None:
            page.wait_for_timeout(CHART_SETTLE_MS)
            screenshot.parent.mkdir(parents=True, exist_ok=True)
            page.screenshot(path=str(screenshot), full_page=True)
        host = urlsplit(url).netloc
        foreign = [address for address in requested if urlsplit(address).netloc not in ("", host)]
        return PageView(url, metrics, deltas, text, tables, exceptions, foreign)
    finally:
        page.close()


def _settle(page: Page) -> None:
    """Wait until the script has finished and the page stopped changing. Neither alone is enough:
    Streamlit can report "notRunning" between two runs, and it draws Markdown (metric values, table
    cells) with code it loads on first use, after the element itself is in the page. So: the state is
    "notRunning" and the main area's HTML is the same size on three looks in a row."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=TIMEOUT_MS)
    looks: list[tuple[str | None, int]] = []
    for _ in range(TIMEOUT_MS // SETTLE_POLL_MS):
        looks.append(tuple(page.evaluate(SNAPSHOT_JS)))
        if (
            len(looks) >= STABLE_LOOKS
            and len(set(looks[-STABLE_LOOKS:])) == 1
            and looks[-1][0] == "notRunning"
        ):
            return
        page.wait_for_timeout(SETTLE_POLL_MS)
    raise TimeoutError(f"{page.url} kept changing for {TIMEOUT_MS / 1000:.0f} s")
