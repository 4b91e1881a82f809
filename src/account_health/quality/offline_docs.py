"""Great Expectations Data Docs that work offline: no stylesheet, script or font from the internet.

GX's Data Docs pages load Bootstrap, Bootstrap Table, jQuery, Font Awesome and Vega from CDNs, and the
index page fills its tables from JavaScript data through jQuery: offline, the index is empty and every page
is unstyled. Only GX's own stylesheet, fonts and images ship in the `great_expectations` package (and are
copied beside the pages as `static/`); Bootstrap, jQuery and Font Awesome do not, in it or in any other
installed package. So each page is rewritten once GX has built it:

- every `<script>` is dropped (remote libraries, and the inline code that needs them), and every remote
  `<link>` stylesheet; GX's logo, fetched from its web server with the data context's id in the address,
  comes from the copy in `static/images/` instead;
- the index's tables are written out as plain HTML from the same data GX passed to Bootstrap Table (each
  row links to its validation page, as a click on the row did);
- a small inline stylesheet stands in for the Bootstrap layout and table styles and draws the status icons
  (✔ / ✖) as text.

What is lost: sorting, searching and filtering the index tables, and the "show failed only" toggle of a
validation page. Every validation result, expectation and value is in the page as text.
"""

from __future__ import annotations

import ast
import html
import os
import re
from pathlib import Path
from typing import Any

REMOTE_LINK = re.compile(r"<link\b[^>]*\bhref=[\"']https?://[^>]*>\s*", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b[^>]*>.*?</script>\s*", re.IGNORECASE | re.DOTALL)
# $('#<table id>').bootstrapTable(Object.assign({columns: [...], data: [...], ...}, {...}))
TABLE_CALL = re.compile(
    r"\$\('#(?P<id>[\w-]+)'\)\.bootstrapTable\(\s*Object\.assign\((?P<body>.*?)\)\s*\);", re.DOTALL
)
LIST_LINE = r"^\s*{name}: (\[.*\]),?\s*$"
REMOTE_IMG = re.compile(
    r"(<img\b[^>]*?)\bsrc=[\"']https?://[^\"']*?([\w.-]+\.(?:png|svg|gif|ico))?(?:\?[^\"']*)?[\"']"
)
REMOTE_CSS_URL = re.compile(r"url\(\s*[\"']?https?://[^)]*\)", re.IGNORECASE)
MARKER = "<!-- account-health: offline -->"

STYLE = """<style>
/* account-health: stands in for Bootstrap and Font Awesome, which GX loads from CDNs */
body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #212529; }
a { color: #0056b3; }
.container-fluid, .container { padding: 1rem 1.5rem; }
.row { display: flex; flex-wrap: wrap; gap: 1rem; }
.col, [class*="col-"] { flex: 1 1 0; min-width: 0; }
.col-12, .col-md-12 { flex-basis: 100%; }
.card { border: 1px solid #dee2e6; border-radius: 6px; margin: 0 0 1rem; padding: 0.5rem 1rem; }
.card-header { font-weight: 600; border-bottom: 1px solid #dee2e6; padding: 0.4rem 0; }
.navbar, nav { padding: 0.5rem 1.5rem; border-bottom: 1px solid #dee2e6; }
.sticky { position: static; }
table { border-collapse: collapse; width: 100%; font-size: 0.88rem; margin: 0.5rem 0 1rem; }
th, td { text-align: left; padding: 0.3rem 0.5rem; border-bottom: 1px solid #e9ecef; vertical-align: top; }
thead th { border-bottom: 2px solid #dee2e6; background: #f8f9fa; }
.text-success { color: #1e7e34; } .text-danger { color: #bd2130; } .text-warning { color: #c69500; }
.fas, .far, .fa { font-style: normal; }
.fa-check-circle::before, .fa-check::before { content: "\\2714"; }
.fa-times-circle::before, .fa-times::before { content: "\\2716"; }
.fa-exclamation-triangle::before { content: "\\26A0"; }
.badge { display: inline-block; padding: 0 0.4rem; border-radius: 4px; background: #e9ecef; }
.d-none { display: none; }
.col-md-2, .col-lg-2 { flex: 0 0 18%; }
/* controls whose code came from the CDNs */
button[onclick^="clearTableFilters"], .card:has([onclick^="showAllValidations"]) { display: none; }
.d-md-block, .collapse { display: block; }
</style>"""


def make_offline(docs_dir: Path) -> int:
    """Rewrite every Data Docs page (and stylesheet) under `docs_dir` to need no network; returns the
    files changed."""
    changed = 0
    images = docs_dir / "static" / "images"
    for page in sorted(docs_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        offline = offline_page(text, Path(os.path.relpath(images, page.parent)))
        if offline != text:
            page.write_text(offline, encoding="utf-8")
            changed += 1
    for sheet in sorted(docs_dir.rglob("*.css")):  # GX's own stylesheet points its dark logo at the web
        text = sheet.read_text(encoding="utf-8")
        if REMOTE_CSS_URL.search(text):
            sheet.write_text(REMOTE_CSS_URL.sub("none", text), encoding="utf-8")
            changed += 1
    return changed


def offline_page(text: str, images: Path = Path("static/images")) -> str:
    """One page without remote assets or scripts, its JavaScript-filled tables written out; `images` is
    the page's relative path to the local copy of GX's images."""
    if MARKER in text:
        return text
    for match in TABLE_CALL.finditer(text):
        table = _static_table(match.group("id"), match.group("body"))
        if table is not None:
            empty = re.compile(rf"<table\s+id=\"{re.escape(match.group('id'))}\"[^>]*>\s*</table>")
            text = empty.sub(lambda _, table=table: table, text, count=1)
    text = SCRIPT.sub("", text)
    text = REMOTE_LINK.sub("", text)
    # GX's logo is fetched from its web server with the data context's id in the address: use the copy
    # GX ships; any other remote image keeps only its alt text
    text = REMOTE_IMG.sub(
        lambda found: (
            f'{found.group(1)}src="{(images / found.group(2)).as_posix()}"'
            if found.group(2)
            else found.group(1)
        ),
        text,
    )
    text = REMOTE_CSS_URL.sub("none", text)  # the dark theme's logo in GX's inline style
    head_end = text.lower().find("</head>")
    insert = f"{MARKER}\n{STYLE}\n"
    return text[:head_end] + insert + text[head_end:] if head_end >= 0 else insert + text


def _static_table(table_id: str, body: str) -> str | None:
    columns = _python_list(body, "columns")
    rows = _python_list(body, "data")
    if columns is None or rows is None:
        return None
    fields = [(column["field"], column.get("title", column["field"])) for column in columns]
    header = "".join(f"<th>{html.escape(str(title))}</th>" for _, title in fields)
    lines = [
        f'<table id="{table_id}" class="table-sm ge-offline-table">',
        f"<thead><tr>{header}</tr></thead>",
        "<tbody>",
    ]
    # the run time links to the row's validation page, as a click on the row did
    link_field = "run_time" if any(name == "run_time" for name, _ in fields) else fields[0][0]
    for row in rows:
        link = row.get("_table_row_link_path")
        cells = []
        for name, _ in fields:
            value = str(row.get(name, ""))  # GX's own HTML for the cell
            if name == link_field and link:
                value = f'<a href="{html.escape(link, quote=True)}">{value}</a>'
            cells.append(f"<td>{value}</td>")
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)


def _python_list(body: str, name: str) -> list[dict[str, Any]] | None:
    """GX writes the table's columns and data as Python literals, one per line."""
    found = re.search(LIST_LINE.format(name=name), body, re.MULTILINE)
    if found is None:
        return None
    try:
        value = ast.literal_eval(found.group(1))
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, list) else None
