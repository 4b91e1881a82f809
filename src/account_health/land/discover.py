"""Which files to land: `<source_dir>/<table>/**/*.csv|json|parquet`, tables in contract order.

Tables go in contract order (accounts first) and files in sorted path order within a table, so a run is
reproducible and the orphan-key warning for later tables sees the accounts landed in the same run.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from account_health.contract import TABLES

FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "json", ".ndjson": "json", ".parquet": "parquet"}


@dataclass(frozen=True)
class SourceFile:
    path: Path
    table: str
    file_format: str | None  # None: an unsupported extension, rejected by landing

    def relative_to(self, source_dir: Path) -> str:
        return self.path.relative_to(source_dir).as_posix()


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith((".", "_")) for part in path.relative_to(root).parts)


def discover(source_dir: Path) -> tuple[list[SourceFile], list[str]]:
    """Files to land and warnings about what was ignored (unknown folders, stray top-level files).

    A file with an unsupported extension inside a table folder is returned (format None) so landing
    rejects it loudly: someone meant it to be landed. Hidden files and folders (`.x`, `_x`) are ignored.
    """
    files: list[SourceFile] = []
    warnings: list[str] = []
    if not source_dir.is_dir():
        return files, [f"source folder {source_dir} does not exist"]
    for entry in sorted(source_dir.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() and entry.name not in TABLES:
            warnings.append(f"ignored folder {entry.name!r}: not a contract table ({', '.join(TABLES)})")
        elif entry.is_file():
            warnings.append(f"ignored file {entry.name!r}: files must be in a table folder <table>/")
    for table in TABLES:
        folder = source_dir / table
        if not folder.is_dir():
            continue
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and not _hidden(p, folder)):
            files.append(SourceFile(path, table, FORMATS.get(path.suffix.lower())))
    return files, warnings
