"""Which files to land: `<source_dir>/<table>/**/*.csv|json|parquet`, tables in contract order.

Tables go in contract order (accounts first) and files in sorted path order within a table, so a run is
reproducible and the orphan-key warning for later tables sees the accounts landed in the same run.
Nothing is skipped silently: a folder that is not a contract table and a data file outside a table folder
are *misplaced* (a warning, and `land` exits non-zero unless told to ignore them); a broken symbolic link
inside a table folder is returned with its problem, so landing rejects it by name.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

from account_health.contract import TABLES

FORMATS = {".csv": "csv", ".json": "json", ".jsonl": "json", ".ndjson": "json", ".parquet": "parquet"}


@dataclass(frozen=True)
class SourceFile:
    path: Path
    table: str
    file_format: str | None  # None: an unsupported extension, rejected by landing
    problem: str | None = None  # set when the file cannot be read at all (a broken link): rejected

    def relative_to(self, source_dir: Path) -> str:
        return self.path.relative_to(source_dir).as_posix()


@dataclass
class Discovered:
    """The files to land, and what was not landed: every entry of `misplaced` is also in `warnings`."""

    files: list[SourceFile] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)


def _hidden(path: Path, root: Path) -> bool:
    return any(part.startswith((".", "_")) for part in path.relative_to(root).parts)


def _suggestion(name: str) -> str:
    """' (did you mean 'accounts'?)' for `Accounts` or `acounts`; '' when nothing is close."""
    stem = Path(name).stem.lower()
    close = [stem] if stem in TABLES else difflib.get_close_matches(stem, list(TABLES), n=1, cutoff=0.75)
    return f" (did you mean {close[0]!r}? folder names are lower-case contract table names)" if close else ""


def discover(source_dir: Path) -> Discovered:
    """Files to land, plus warnings about everything else (hidden entries `.x`, `_x` aside).

    A file with an unsupported extension inside a table folder is returned (format None) so landing
    rejects it loudly: someone meant it to be landed.
    """
    found = Discovered()
    if not source_dir.is_dir():
        found.warnings.append(f"source folder {source_dir} does not exist")
        return found
    for entry in sorted(source_dir.iterdir()):
        if entry.name.startswith((".", "_")):
            continue
        if entry.is_dir() and entry.name not in TABLES:
            message = (
                f"unknown folder {entry.name!r}{_suggestion(entry.name)}: not a contract table, its files "
                f"were not landed (tables: {', '.join(TABLES)})"
            )
            found.warnings.append(message)
            found.misplaced.append(message)
        elif not entry.is_dir() and entry.suffix.lower() in FORMATS:
            message = (
                f"data file {entry.name!r} at the top level{_suggestion(entry.name)} was not landed: "
                "files must be in a table folder <table>/"
            )
            found.warnings.append(message)
            found.misplaced.append(message)
        elif not entry.is_dir():
            found.warnings.append(f"ignored file {entry.name!r}: not a data file, and not in a table folder")
    for table in TABLES:
        folder = source_dir / table
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if _hidden(path, folder) or path.is_dir():
                continue
            problem = None
            if path.is_symlink() and not path.exists():
                problem = f"a broken symbolic link (its target {str(path.readlink())!r} does not exist)"
            elif not path.is_file():
                problem = "not a regular file"
            found.files.append(SourceFile(path, table, FORMATS.get(path.suffix.lower()), problem))
    return found
