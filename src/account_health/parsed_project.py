"""The dbt project parsed once per process and handed to every later in-process dbt call.

dbt parses the project at the start of every command. In a data folder it has parsed before, that is a
partial parse (about a second: it checks every file); in a new data folder it is a full parse (about ten
seconds of CPU), because dbt drops its saved parse when the profile's connection (the warehouse path)
or an environment variable read by dbt_project.yml (the seed folder) differs, and both are the data
folder's own. Yet the parsed project is the same for every data folder but for one thing: where each seed
file is read from (the folder's overlay of the project's seeds and the company's config,
account_health.config). So the first call of a process parses (`dbt parse`, which also writes the
folder's saved parse for the next process), and every later call, in any data folder, gets that parsed
project (`dbtRunner(manifest=...)`, dbt's documented way to reuse one) with its seeds pointed at the
folder's overlay. A test session builds dozens of data folders in two processes; a daily run makes two
dbt calls (freshness, build).

A parse is kept per project folder and per command options that change it (`--vars`, the profile and
target: a call with other vars gets a parse of its own), and reused while what it read is unchanged: the
project's files (path, size, modification time), the seed files' names and the profile's database name
(the warehouse file's stem, part of every relation's name). Anything else dbt_project.yml or a model
reads from the environment at parse time must be added to `_read_state`.
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from account_health.config import SEED_PATH_ENV

if TYPE_CHECKING:
    from dbt.contracts.graph.manifest import Manifest

#: The folders of the project dbt reads when it parses (dbt_project.yml's resource paths).
PARSED_FOLDERS = ("models", "python_models", "macros", "tests", "snapshots", "analyses", "seeds")
PARSED_FILES = ("dbt_project.yml", "profiles.yml")

#: Options of a dbt command that change what its parse gives (`parse_options`).
PARSE_FLAGS = ("--vars", "--profile", "--target", "-t")

#: (project folder, `parse_options`) -> (what the parse read, the parsed project)
_parsed: dict[tuple[str, tuple[str, ...]], tuple[tuple[Any, ...], Manifest]] = {}


def parsed_manifest(project_dir: Path, options: Sequence[str], env: dict[str, str]) -> Manifest | None:
    """The parsed project for a dbt call with `options` (--project-dir, --target-path, ..., and the
    command's `parse_options`) and `env` set, its seeds pointed at this call's seed folder.

    None when the parse failed: the call itself then reports dbt's error. An interrupt during the parse
    is raised as such (dbtRunner catches every BaseException). Call it with `env` in the environment,
    under build's dbt lock.
    """
    from dbt.cli.main import dbtRunner

    seed_dir = Path(env.get(SEED_PATH_ENV) or project_dir / "seeds")
    project = (str(project_dir), tuple(parse_options(options)))
    state = _read_state(project_dir, seed_dir, env)
    parsed_state, manifest = _parsed.get(project, (None, None))
    if manifest is None or parsed_state != state:
        outcome = dbtRunner().invoke(["--quiet", "--no-use-colors", "parse", *options])
        if not outcome.success:
            raise_interrupt(outcome)
            return None
        manifest = outcome.result
        _parsed[project] = (state, manifest)  # replaces the parse of the project's earlier state
    _point_seeds_at(manifest, seed_dir)
    return manifest


def raise_interrupt(outcome: Any) -> None:
    """Raise the interrupt (SIGINT, or SIGTERM mapped to KeyboardInterrupt) that ended a dbtRunner call:
    dbtRunner catches every BaseException and would report it as a failure with an empty message."""
    error = outcome.exception
    if isinstance(error, BaseException) and not isinstance(error, Exception):
        raise error


def parse_options(command: Sequence[str]) -> list[str]:
    """The options of a dbt `command` that change what a parse gives (the profile and target, and the
    vars, which dbt renders into configs as it parses): a parse for that command is made with them."""
    options: list[str] = []
    for flag, value in itertools.pairwise(command):
        if flag in PARSE_FLAGS:
            options += [flag, value]
    return options


def _read_state(project_dir: Path, seed_dir: Path, env: dict[str, str]) -> tuple[Any, ...]:
    files = []
    for name in PARSED_FILES:
        files.append(_state(project_dir / name))
    for folder in PARSED_FOLDERS:
        for root, dirs, names in os.walk(project_dir / folder):
            dirs.sort()
            files.extend(_state(Path(root) / name) for name in sorted(names))
    seeds = tuple(sorted(str(path.relative_to(seed_dir)) for path in seed_dir.rglob("*.csv")))
    database = Path(env.get("ACCOUNT_HEALTH_WAREHOUSE", "")).stem
    return tuple(files), seeds, database


def _state(path: Path) -> tuple[str, int, int]:
    stat = path.stat()
    return str(path), stat.st_size, stat.st_mtime_ns


def _point_seeds_at(manifest: Manifest, seed_dir: Path) -> None:
    """Each seed read from `seed_dir` (dbt reads a seed's CSV from its node's original_file_path)."""
    for node in manifest.nodes.values():
        if node.resource_type == "seed":
            node.original_file_path = str(seed_dir / node.path)
