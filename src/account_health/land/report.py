"""Result objects of a landing run: what happened to each file, and the totals the CLI prints."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Status = Literal["loaded", "skipped", "rejected"]  # `raw._loads` also has "superseded" (re-exported)


@dataclass
class FileResult:
    """One source file: loaded (possibly with quarantined rows), skipped (already loaded) or rejected."""

    path: Path
    table: str
    status: Status
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    load_id: str | None = None
    message: str = ""
    seconds: float = 0.0


@dataclass
class LandReport:
    """Everything one `land()` call did. `ok` is False when any file was rejected or the run stopped
    (`failure`, one line: the disk filled up); the CLI then exits non-zero. `misplaced` (also among the
    `warnings`) lists folders and files that were not landed because they are not where a table's files go.
    """

    files: list[FileResult] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    misplaced: list[str] = field(default_factory=list)
    failure: str | None = None
    quality_docs: Path | None = None
    seconds: float = 0.0
    gx_seconds: float = 0.0
    gx_runs: int = 0

    @property
    def ok(self) -> bool:
        return self.files_rejected == 0 and self.failure is None

    def misplaced_error(self, *, ignore_unknown_folders: bool = False) -> str | None:
        """The one-line error when folders or files were not landed because they are misplaced (a typo in
        a table folder's name skips a whole table): `land`, `run` and `demo` then exit 1 unless told to
        ignore them (--ignore-unknown-folders). None when nothing is misplaced or it is ignored."""
        if not self.misplaced or ignore_unknown_folders:
            return None
        return (
            f"{len(self.misplaced)} misplaced folders or files were not landed (see the warnings); move them "
            "into a table folder, or pass --ignore-unknown-folders"
        )

    @property
    def rows_read(self) -> int:
        return sum(result.rows_read for result in self.files)

    @property
    def rows_loaded(self) -> int:
        return sum(result.rows_loaded for result in self.files)

    @property
    def rows_quarantined(self) -> int:
        return sum(result.rows_quarantined for result in self.files)

    def _count(self, status: Status) -> int:
        return sum(1 for result in self.files if result.status == status)

    @property
    def files_loaded(self) -> int:
        return self._count("loaded")

    @property
    def files_skipped(self) -> int:
        return self._count("skipped")

    @property
    def files_rejected(self) -> int:
        return self._count("rejected")

    @property
    def rejected(self) -> list[FileResult]:
        return [result for result in self.files if result.status == "rejected"]
