"""Band-change alerts against a real local HTTP server: each change is posted once, a failed post is kept."""

from __future__ import annotations

import json
import shutil
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import duckdb
import pytest

from account_health.alerts import AlertError, after_publish, deliver, pending
from account_health.paths import Paths


class _Hook(BaseHTTPRequestHandler):
    received: list[dict] = []
    status = 200

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        type(self).received.append(json.loads(body))
        self.send_response(type(self).status)
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def webhook():
    _Hook.received = []
    _Hook.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Hook)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}/hook", _Hook
    server.shutdown()


@pytest.fixture
def published(tiny_run, tmp_path: Path) -> Paths:
    """A copy of the tiny run's serving folder, so the alert state of one test touches no other."""
    paths = Paths(tmp_path / "data")
    shutil.copytree(tiny_run.paths.serving_dir, paths.serving_dir)
    return paths


def _changes(paths: Paths) -> list[tuple]:
    with duckdb.connect(str(paths.serving_path), read_only=True) as con:
        return con.execute(
            "select account_id, cast(changed_on as varchar), from_band, to_band "
            "from fct_account_band_changes order by changed_on, account_id"
        ).fetchall()


def test_each_band_change_is_posted_once(published: Paths, webhook) -> None:
    url, hook = webhook
    expected = _changes(published)
    assert expected, "the tiny run has band changes"

    first = deliver(published, webhook=url)
    assert first.changes == len(expected)
    [posted] = hook.received
    assert [
        (c["account_id"], c["changed_on"], c["from_band"], c["to_band"]) for c in posted["band_changes"]
    ] == expected
    assert first.last_changed_on.isoformat() == expected[-1][1]

    again = deliver(published, webhook=url)
    assert again.changes == 0
    assert len(hook.received) == 1  # nothing new: no post at all


def test_a_failing_webhook_keeps_the_changes_for_next_time(published: Paths, webhook) -> None:
    url, hook = webhook
    hook.status = 500
    with pytest.raises(AlertError, match=r"webhook .* failed \(HTTP Error 500"):
        deliver(published, webhook=url)
    hook.status = 200
    assert deliver(published, webhook=url).changes == len(_changes(published))


def test_without_a_webhook_changes_go_to_a_file_and_worse_only_filters(published: Paths) -> None:
    worse = [change for change in pending(published) if change["is_worse"]]
    sent = deliver(published, worse_only=True)
    lines = (published.data_dir / "alerts" / "band_changes.jsonl").read_text().splitlines()
    assert sent.changes == len(worse) == len(lines)
    assert all(json.loads(line)["is_worse"] for line in lines)


def test_the_dagster_sensor_sends_once_per_publish(published: Paths, monkeypatch, webhook) -> None:
    url, hook = webhook
    monkeypatch.setenv("ACCOUNT_HEALTH_ALERT_WEBHOOK", url)
    cursor, sent = after_publish(published, None)
    assert sent is not None and sent.changes == len(_changes(published))
    assert after_publish(published, cursor) == (cursor, None)  # same publish: nothing to do
    assert len(hook.received) == 1
