"""Every pointer in the project's text resolves: a "see X" names a file that exists, and an anchor in it.

Pointers are paths ending in `.md` (relative to the repository or to the file that names them), with an
optional `#anchor` that must be an `<a id="...">` in the target or one of its headings (GitHub's slug);
dbt `doc('...')` references must name a `{% docs %}` block. Documents outside the repository (the design
brief and its sections) are not pointers a reader can follow, so naming them fails too.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import pytest

from account_health.paths import PROJECT_DIR

SKIP_DIRS = {".git", ".venv", "data", "target", "logs", "dbt_packages", "__pycache__", ".pytest_cache"}
SUFFIXES = {".py", ".sql", ".yml", ".yaml", ".md", ".toml", ".cfg", ".txt", ".csv", ".jinja", ".html"}
#: File names the code writes (a proposal's CALIBRATION.md, the bench's table): outputs, not pointers.
WRITTEN_NOT_POINTED_AT = {"CALIBRATION.md", "bench/results.md", "results.md"}

MD_POINTER = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w.-]+\.md)(?:#([\w-]+))?")
LOCAL_LINK = re.compile(r"\]\(#([\w-]+)\)")
DOC_REF = re.compile(r"""doc\(\s*['"]([\w.-]+)['"]\s*\)""")
DOCS_BLOCK = re.compile(r"{%-?\s*docs\s+([\w.-]+)\s*-?%}")
OUTSIDE = re.compile(r"\bDESIGN\b|HELPERS_BRIEF|docs/decisions/")


def _text_files() -> list[Path]:
    files = []
    for path in sorted(PROJECT_DIR.rglob("*")):
        relative = path.relative_to(PROJECT_DIR)
        if any(part in SKIP_DIRS or part.endswith(".egg-info") for part in relative.parts):
            continue
        if path.is_file() and (path.suffix in SUFFIXES or path.name == "Makefile"):
            files.append(path)
    return files


FILES = [path for path in _text_files() if path != Path(__file__)]


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")


def _slug(heading: str) -> str:
    """GitHub's anchor for a Markdown heading."""
    text = re.sub(r"<[^>]+>", "", heading).strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


@cache
def _anchors(path: Path) -> frozenset[str]:
    text = _text(path)
    ids = set(re.findall(r"""<a\s+(?:id|name)=["']([\w-]+)["']""", text))
    ids |= {_slug(line.lstrip("#")) for line in text.splitlines() if re.match(r"#{1,6} ", line)}
    return frozenset(ids)


def _resolve(source: Path, target: str) -> Path | None:
    for base in (PROJECT_DIR, source.parent):
        candidate = base / target
        if candidate.is_file():
            return candidate
    return None


def test_the_scan_reads_the_project():
    names = {path.relative_to(PROJECT_DIR).as_posix() for path in FILES}
    assert {"DECISIONLOG.md", "README.md", "src/account_health/contract.py"} <= names


def test_every_md_pointer_names_an_existing_file_and_anchor():
    broken = []
    for path in FILES:
        for number, line in enumerate(_text(path).splitlines(), start=1):
            for match in MD_POINTER.finditer(line):
                target, anchor = match.group(1), match.group(2)
                if target in WRITTEN_NOT_POINTED_AT:
                    continue
                where = f"{path.relative_to(PROJECT_DIR)}:{number}: {match.group(0)}"
                resolved = _resolve(path, target)
                if resolved is None:
                    broken.append(f"{where} (no such file)")
                elif anchor and anchor not in _anchors(resolved):
                    broken.append(f"{where} (no anchor #{anchor} in {resolved.relative_to(PROJECT_DIR)})")
    assert broken == []


def test_every_link_within_a_markdown_file_names_one_of_its_anchors():
    broken = [
        f"{path.relative_to(PROJECT_DIR)}: (#{anchor})"
        for path in FILES
        if path.suffix == ".md"
        for anchor in LOCAL_LINK.findall(_text(path))
        if anchor not in _anchors(path)
    ]
    assert broken == []


def test_no_pointer_to_a_document_outside_the_repository():
    found = [
        f"{path.relative_to(PROJECT_DIR)}:{number}: {line.strip()}"
        for path in FILES
        for number, line in enumerate(_text(path).splitlines(), start=1)
        if OUTSIDE.search(line)
    ]
    assert found == []


def test_every_dbt_doc_reference_names_a_docs_block():
    blocks = {name for path in FILES if path.suffix == ".md" for name in DOCS_BLOCK.findall(_text(path))}
    missing = sorted(
        f"{path.relative_to(PROJECT_DIR)}: doc('{name}')"
        for path in FILES
        if path.suffix in (".yml", ".yaml", ".sql")
        for name in DOC_REF.findall(_text(path))
        if name not in blocks
    )
    assert missing == []


@pytest.mark.parametrize(
    ("line", "broken"),
    [
        ("see DECISIONLOG.md#no-such-anchor-here", True),
        ("see docs/nowhere/missing.md", True),
        ("see DECISIONLOG.md", False),
    ],
)
def test_the_check_itself_catches_a_broken_pointer(line: str, broken: bool):
    match = MD_POINTER.search(line)
    assert match is not None
    resolved = _resolve(PROJECT_DIR / "README.md", match.group(1))
    failed = resolved is None or bool(match.group(2) and match.group(2) not in _anchors(resolved))
    assert failed == broken
