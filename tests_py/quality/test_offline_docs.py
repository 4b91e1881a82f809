"""Great Expectations Data Docs open offline: nothing is fetched from the internet, and a real headless
Chromium with every host unreachable shows the validation results."""

from __future__ import annotations

import json
import re
import subprocess

import pytest

from account_health.quality.offline_docs import offline_page

# offline: no host name resolves
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND"
REMOTE = re.compile(r"<(?:script|link|img)\b[^>]*(?:src|href)=[\"']https?://|url\(\s*[\"']?https?://", re.I)


def _dump_dom(chromium: list[str], page, profile) -> str:  # type: ignore[no-untyped-def]
    return subprocess.run(
        [*chromium, OFFLINE, f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout


@pytest.fixture(scope="module")
def docs(tiny_run):  # type: ignore[no-untyped-def]
    docs_path = tiny_run.summary.validation.docs_path
    assert docs_path is not None and docs_path.exists()
    return docs_path.parent


def test_no_page_or_stylesheet_loads_anything_from_the_internet(docs) -> None:
    files = [*docs.rglob("*.html"), *docs.rglob("*.css")]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not REMOTE.search(text), f"{path.relative_to(docs)} still loads {REMOTE.search(text).group(0)}"
        assert "<script" not in text.lower(), f"{path.relative_to(docs)} still has a script"


def test_the_index_lists_every_validation_offline(docs, tiny_run, tmp_path, headless_chromium) -> None:
    dom = _dump_dom(headless_chromium, docs / "index.html", tmp_path)
    validations = sorted(docs.glob("validations/**/*.html"))
    # one linked row per validation result page, as Bootstrap Table drew them online
    for page in validations:
        assert f'href="{page.relative_to(docs).as_posix()}"' in dom
    suites = {outcome.suite_name for outcome in tiny_run.summary.validation.outcomes}
    for suite in suites:
        assert suite in dom


def test_a_validation_page_shows_its_results_offline(docs, tiny_run, tmp_path, headless_chromium) -> None:
    outcome = next(o for o in tiny_run.summary.validation.outcomes if o.suite_name.startswith("marts__"))
    result = json.loads(outcome.result_path.read_text())["result"]
    page = next(docs.glob(f"validations/{outcome.suite_name}/**/*.html"))
    dom = _dump_dom(headless_chromium, page, tmp_path)
    text = re.sub(r"<[^>]+>", " ", dom)
    text = re.sub(r"\s+", " ", text)
    assert "Expectation Validation Result" in text
    assert f"Evaluated Expectations {result['statistics']['evaluated_expectations']}" in text
    assert f"Successful Expectations {result['statistics']['successful_expectations']}" in text
    for item in result["results"]:
        column = item["expectation_config"]["kwargs"].get("column")
        if column:
            assert column in text


def test_a_page_is_rewritten_once_and_keeps_its_content() -> None:
    columns = [{"field": "validation_success", "title": "Status"}, {"field": "run_time", "title": "Run Time"}]
    data = [
        {
            "validation_success": '<i class="fas fa-times text-danger"></i>',
            "run_time": "2026-10-31",
            "_table_row_link_path": "validations/a.html",
        }
    ]
    page = f"""<html><head>
<link rel="stylesheet" href="https://cdn.example/bootstrap.min.css"/>
<script src="https://code.example/jquery.js"></script></head><body>
<img alt="GX" src="https://assets.example/logo-long.png?dataContextId=abc">
<table
  id="t1"
  data-toggle="table"
>
</table>
<script>
  $('#t1').bootstrapTable(
    Object.assign(
      {{
        columns: {columns!r},
        data: {data!r},
        toolbar: '#t1-toolbar'
      }},
      {{'search': 'true'}}
    )
  );
</script>
<p>result text</p></body></html>"""
    offline = offline_page(page)
    assert not REMOTE.search(offline)
    assert "<script" not in offline
    assert '<a href="validations/a.html">2026-10-31</a>' in offline
    assert "<th>Status</th><th>Run Time</th>" in offline
    assert 'src="static/images/logo-long.png"' in offline
    assert "result text" in offline
    assert offline_page(offline) == offline
