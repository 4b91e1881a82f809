"""`python -m account_health.dashboard.screenshots`: docs/screenshots/ from a published data folder.

Starts the dashboard on a free port over `--data-dir`'s serving database (default: the project's data/,
after `make demo`), opens each page in headless Chromium and saves `dashboard-<page>.png`. `make
screenshots` runs it. The tests take their own screenshots in a temporary folder; this is for the README.
"""

from __future__ import annotations

import argparse
import socket
import tempfile
from pathlib import Path

from account_health.dashboard.browse import PAGES, READY, browser, view
from account_health.dashboard.server import start
from account_health.paths import PROJECT_DIR, Paths
from account_health.serving import open_serving


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def showcase_account(paths: Paths) -> str | None:
    """The account the Account screenshot shows: the customer with the most ARR at risk in the queue."""
    with open_serving(paths, requires=["fct_account_review_queue"]) as con:
        row = con.execute(
            "select account_id from fct_account_review_queue order by queue_rank limit 1"
        ).fetchone()
    return row[0] if row else None


def take(paths: Paths, out: Path) -> list[Path]:
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as scratch:
        process = start(paths, port, Path(scratch) / "streamlit.log")
        try:
            account = showcase_account(paths)
            saved = []
            with browser() as chromium:
                for name, path in PAGES.items():
                    query = f"?account={account}" if name == "account" and account else ""
                    target = out / f"dashboard-{name}.png"
                    view(chromium, f"{base}/{path}{query}", READY[name], screenshot=target)
                    saved.append(target)
            return saved
        finally:
            process.terminate()
            process.wait(timeout=10)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-dir", type=Path, default=PROJECT_DIR / "data")
    parser.add_argument("--out", type=Path, default=PROJECT_DIR / "docs" / "screenshots")
    arguments = parser.parse_args()
    for path in take(Paths(arguments.data_dir.resolve()), arguments.out):
        print(path)


if __name__ == "__main__":
    main()
