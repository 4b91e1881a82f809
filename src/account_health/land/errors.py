"""Faults that stop a whole landing run (not one file): each is one line for the user, with an exit code."""

from __future__ import annotations

import re
from pathlib import Path


class LandingError(Exception):
    """The run could not land anything (more); `str()` is the one line to print, `exit_code` the CLI's."""

    exit_code = 1


class WarehouseBusy(LandingError):
    """Another process holds the warehouse's lock (a second `land`, a dbt build, a BI tool reading it)."""

    exit_code = 3


_HOLDER = re.compile(r"held in (?P<program>.+?) \(PID (?P<pid>\d+)\)")


def _command_line(pid: str) -> str:
    """The holder's command line from /proc (Linux), shortened; '' where it cannot be read."""
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return ""
    words = [word.decode(errors="replace") for word in raw.split(b"\0") if word]
    text = " ".join(words)
    return text if len(text) <= 120 else text[:117] + "..."


def busy_message(warehouse: Path, error: Exception) -> str | None:
    """The one line for a lock conflict DuckDB reported, or None when `error` is not one."""
    text = str(error)
    if "Could not set lock" not in text and "Conflicting lock" not in text:
        return None
    match = _HOLDER.search(text)
    if match is None:
        holder = "another process"
    else:
        command = _command_line(match["pid"]) or match["program"]
        holder = f"process {match['pid']} ({command})"
    advice = "wait for it to finish (or stop it) and land again"
    return f"the warehouse {warehouse} is in use by {holder}; {advice}"


def disk_full_message(error: OSError, doing: str) -> str:
    where = f" ({error.filename})" if error.filename else ""
    return f"disk full while {doing}{where}: free some space and run land again; committed files stay landed"
