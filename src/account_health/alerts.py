"""Band-change alerts: the rows of `fct_account_band_changes` not sent yet, posted to a webhook or a file.

Read from the serving database (what was published, never a build that failed validation). What was sent
is remembered in `<data dir>/alerts/state.json` (the newest `changed_on` delivered), so each change goes out
once, whether `account-health alerts` or the Dagster sensor sends it. A webhook gets one JSON POST
`{"band_changes": [...]}`; a file gets one JSON line per change appended. The state moves only after the
delivery succeeded, so a webhook that is down gets the same changes next time.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from account_health.paths import Paths
from account_health.serving import open_serving

WEBHOOK_ENV = "ACCOUNT_HEALTH_ALERT_WEBHOOK"
TIMEOUT_SECONDS = 10


class AlertError(RuntimeError):
    """The alerts could not be read or delivered; the message is one line."""


@dataclass(frozen=True)
class Delivery:
    changes: int
    target: str | None  # the webhook or file, None when there was nothing to send
    last_changed_on: dt.date | None


def state_path(paths: Paths) -> Path:
    return paths.data_dir / "alerts" / "state.json"


def _last_sent(paths: Paths) -> dt.date | None:
    path = state_path(paths)
    if not path.exists():
        return None
    return dt.date.fromisoformat(json.loads(path.read_text())["last_changed_on"])


def pending(paths: Paths, *, since: dt.date | None = None, worse_only: bool = False) -> list[dict[str, Any]]:
    """Band changes after `since` (default: after the last delivered), oldest first, as JSON-ready dicts."""
    after = since or _last_sent(paths)
    with open_serving(paths, requires=["fct_account_band_changes"], error=AlertError) as con:
        cursor = con.execute(
            """
            select * from fct_account_band_changes
            where ($after is null or changed_on > $after) and (not $worse_only or is_worse)
            order by changed_on, account_id
            """,
            {"after": after, "worse_only": worse_only},
        )
        names = [column[0] for column in cursor.description]
        rows = cursor.fetchall()
    return [json.loads(json.dumps(dict(zip(names, row, strict=True)), default=str)) for row in rows]


def deliver(
    paths: Paths,
    *,
    webhook: str | None = None,
    out: Path | None = None,
    since: dt.date | None = None,
    worse_only: bool = False,
) -> Delivery:
    """Send the pending band changes to `webhook` (default $ACCOUNT_HEALTH_ALERT_WEBHOOK) or append them to
    `out` (default `<data dir>/alerts/band_changes.jsonl`), then remember the newest one sent."""
    changes = pending(paths, since=since, worse_only=worse_only)
    if not changes:
        return Delivery(0, None, None)
    webhook = webhook or os.environ.get(WEBHOOK_ENV) or None
    if webhook:
        _post(webhook, changes)
        target = webhook
    else:
        target_file = out or paths.data_dir / "alerts" / "band_changes.jsonl"
        target_file.parent.mkdir(parents=True, exist_ok=True)
        with target_file.open("a", encoding="utf-8") as handle:
            handle.writelines(json.dumps(change) + "\n" for change in changes)
        target = str(target_file)
    newest = max(dt.date.fromisoformat(change["changed_on"]) for change in changes)
    state = state_path(paths)
    state.parent.mkdir(parents=True, exist_ok=True)
    state.write_text(json.dumps({"last_changed_on": newest.isoformat()}) + "\n")
    return Delivery(len(changes), target, newest)


def _post(url: str, changes: list[dict[str, Any]]) -> None:
    body = json.dumps({"band_changes": changes}).encode()
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json"}, method="POST"
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:
            if response.status >= 300:
                raise AlertError(f"webhook {url} answered {response.status}; the changes will be sent again")
    except (urllib.error.URLError, OSError) as error:
        raise AlertError(f"webhook {url} failed ({error}); the changes will be sent again") from error


def after_publish(paths: Paths, cursor: str | None) -> tuple[str | None, Delivery | None]:
    """For the Dagster sensor: deliver once per new publish (the serving manifest's run_id is the cursor).
    Returns the new cursor and the delivery (None when nothing new was published)."""
    from account_health.publish import read_manifest

    manifest = read_manifest(paths.serving_dir / "manifest.json")
    run_id = manifest.get("run_id") if manifest else None
    if run_id is None or run_id == cursor:
        return cursor, None
    return run_id, deliver(paths)
