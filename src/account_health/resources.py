"""How much of the machine DuckDB may take: memory, threads, and where it spills.

Every connection that works on the warehouse's big tables opens with these settings: landing, dbt (through
`profiles.yml`, from the environment `Paths.dbt_env` sets), the Great Expectations gate, publish, calibrate
and the generator. Past the memory limit DuckDB spills to its temp directory instead of growing or failing,
which is what lets the `large` tier run on a machine shared with other work. They come from the environment:

| variable | default | DuckDB setting |
| --- | --- | --- |
| `ACCOUNT_HEALTH_MEMORY_LIMIT` | `6GB`, or half the machine's memory when that is less | `memory_limit` |
| `ACCOUNT_HEALTH_THREADS` | every core | `threads` |
| `ACCOUNT_HEALTH_TEMP_DIR` | DuckDB's own: `<database>.tmp` beside the database file | `temp_directory` |

How much history one dbt build may score, `ACCOUNT_HEALTH_ACCOUNT_DAYS_PER_BUILD`, bounds the temp files
rather than the memory: `account_health.history_slices`.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

MEMORY_ENV = "ACCOUNT_HEALTH_MEMORY_LIMIT"
THREADS_ENV = "ACCOUNT_HEALTH_THREADS"
TEMP_DIR_ENV = "ACCOUNT_HEALTH_TEMP_DIR"

DEFAULT_MEMORY_BYTES = 6 * 1000**3
_SIZE = re.compile(r"\s*\d+(\.\d+)?\s*(b|kb|mb|gb|tb|kib|mib|gib|tib)\s*", re.IGNORECASE)


class ResourcesError(ValueError):
    """A setting in the environment DuckDB would not take; the message names the variable."""


@dataclass(frozen=True)
class Resources:
    memory_limit: str  # a DuckDB size: 6GB, 512MB, 4GiB
    threads: int
    temp_directory: str | None = None  # None: DuckDB's default (`<database>.tmp`)

    def duckdb_config(self) -> dict[str, str | int]:
        """The `config` of `duckdb.connect`."""
        config: dict[str, str | int] = {"memory_limit": self.memory_limit, "threads": self.threads}
        if self.temp_directory:
            config["temp_directory"] = self.temp_directory
        return config

    def env(self) -> dict[str, str]:
        """The same settings as environment variables, for dbt's profile."""
        env = {MEMORY_ENV: self.memory_limit, THREADS_ENV: str(self.threads)}
        if self.temp_directory:
            env[TEMP_DIR_ENV] = self.temp_directory
        return env


def _machine_memory() -> int | None:
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        return None


def default_memory_limit() -> str:
    memory = _machine_memory()
    limit = DEFAULT_MEMORY_BYTES if memory is None else min(DEFAULT_MEMORY_BYTES, memory // 2)
    return f"{max(limit // 1000**2, 256)}MB"


def resources() -> Resources:
    """The settings from the environment, checked; ResourcesError names a variable DuckDB would refuse."""
    memory = os.environ.get(MEMORY_ENV, "").strip() or default_memory_limit()
    if not _SIZE.fullmatch(memory):
        raise ResourcesError(f"{MEMORY_ENV}={memory!r}: not a size such as 6GB, 512MB or 4GiB")
    threads_text = os.environ.get(THREADS_ENV, "").strip()
    threads = os.cpu_count() or 1
    if threads_text:
        if not threads_text.isdigit() or int(threads_text) < 1:
            raise ResourcesError(f"{THREADS_ENV}={threads_text!r}: not a whole number of threads, 1 or more")
        threads = int(threads_text)
    temp_directory = os.environ.get(TEMP_DIR_ENV, "").strip() or None
    return Resources(memory_limit=memory.replace(" ", ""), threads=threads, temp_directory=temp_directory)
