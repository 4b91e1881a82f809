"""Company configuration outside the checkout: the config folder, and the seeds dbt reads from it.

The config folder (`--config-dir`, else `$ACCOUNT_HEALTH_CONFIG_DIR`, else `<data dir>/config/`) holds a
company's own `sources.yml` (the source mapping) and any seed it wants to change, at the seed's path under
`seeds/` (`catalog/products.csv`, `scorecard/health_weights.csv`, ...). Before every dbt command the
project's `seeds/` folder is copied to `<data dir>/dbt/seeds/` and the config folder's seeds are laid over
it, file by file; dbt reads that folder (`seed-paths` from `$ACCOUNT_HEALTH_SEED_PATH` in
dbt_project.yml). So a seed not in the config folder keeps the project's default, the checkout is never
written, and the seed YAML (column types, tests, docs), which dbt keeps reading from the project's seeds/,
still applies to an overridden file.
"""

from __future__ import annotations

import csv
import os
import shutil
from dataclasses import dataclass
from pathlib import Path

import yaml

from account_health.paths import PROJECT_DIR

CONFIG_DIR_ENV = "ACCOUNT_HEALTH_CONFIG_DIR"
SEED_PATH_ENV = "ACCOUNT_HEALTH_SEED_PATH"
PROJECT_SEEDS = PROJECT_DIR / "seeds"
SOURCES_FILE = "sources.yml"
README_FILE = "README.md"
EXAMPLE_SOURCES = Path(__file__).with_name("sources.example.yml")


class ConfigError(ValueError):
    """The config folder is wrong; the message is one line naming the file."""


def resolve_config_dir(data_dir: Path, config_dir: Path | None = None) -> Path:
    """The config folder: the one given, else `$ACCOUNT_HEALTH_CONFIG_DIR`, else `<data dir>/config`."""
    if config_dir is not None:
        return Path(config_dir).resolve()
    if os.environ.get(CONFIG_DIR_ENV):
        return Path(os.environ[CONFIG_DIR_ENV]).resolve()
    return Path(data_dir).resolve() / "config"


@dataclass(frozen=True)
class Seed:
    name: str
    path: Path  # relative to the seeds folder, e.g. catalog/products.csv
    description: str


def project_seeds() -> dict[Path, Seed]:
    """Every seed of the project by its relative path, with the first sentence of its description."""
    descriptions: dict[str, str] = {}
    for properties in sorted(PROJECT_SEEDS.rglob("*.yml")):
        document = yaml.safe_load(properties.read_text()) or {}
        for seed in document.get("seeds") or []:
            text = " ".join(str(seed.get("description", "")).split())
            descriptions[seed["name"]] = text
    return {
        path.relative_to(PROJECT_SEEDS): Seed(
            path.stem, path.relative_to(PROJECT_SEEDS), descriptions.get(path.stem, "")
        )
        for path in sorted(PROJECT_SEEDS.rglob("*.csv"))
    }


def _header(path: Path) -> list[str]:
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            return [name.strip() for name in next(csv.reader(handle), [])]
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot read it as a UTF-8 CSV file ({error})") from error


def seed_overrides(config_dir: Path) -> dict[Path, Path]:
    """The config folder's seed files by the seed they replace; ConfigError on a file that fits no seed.

    A CSV at the top of the config folder or in one of the seed folders (catalog/, scorecard/, ...) must
    be a seed at that path with the seed's columns (in any order); other folders are left alone (for
    notes, proposals, exports).
    """
    if not config_dir.is_dir():
        return {}
    seeds = project_seeds()
    by_name = {seed.name: seed for seed in seeds.values()}
    folders = {path.parts[0] for path in seeds if len(path.parts) > 1}
    overrides: dict[Path, Path] = {}
    for path in sorted(config_dir.rglob("*.csv")):
        relative = path.relative_to(config_dir)
        if any(part.startswith((".", "_")) for part in relative.parts):
            continue
        if len(relative.parts) > 1 and relative.parts[0] not in folders:
            continue
        if relative not in seeds:
            known = by_name.get(path.stem)
            hint = f"; did you mean {known.path}?" if known else f" (seeds: {', '.join(sorted(by_name))})"
            raise ConfigError(f"{path}: not a seed of the project{hint}")
        expected = _header(PROJECT_SEEDS / relative)
        found = _header(path)
        if sorted(found) != sorted(expected):
            missing = [name for name in expected if name not in found]
            extra = [name for name in found if name not in expected]
            parts = []
            if missing:
                parts.append("missing " + ", ".join(missing))
            if extra:
                parts.append("unexpected " + ", ".join(extra))
            raise ConfigError(f"{path}: columns differ from the seed {relative}: {'; '.join(parts)}")
        overrides[relative] = path
    return overrides


def prepare_seed_dir(config_dir: Path, target: Path) -> dict[Path, Path]:
    """Write the project's seeds overlaid with the config folder's into `target`; return the overrides.

    Rebuilt whole each time (a few kilobytes), into a sibling folder renamed into place, so a seed the
    company removed from its config folder falls back to the project's default on the next build.
    """
    overrides = seed_overrides(config_dir)
    target.parent.mkdir(parents=True, exist_ok=True)
    fresh = target.with_name(f"{target.name}.tmp-{os.getpid()}")
    shutil.rmtree(fresh, ignore_errors=True)
    # CSVs only: dbt reads the seeds' YAML from the project's seeds/ (analysis-paths in dbt_project.yml)
    shutil.copytree(PROJECT_SEEDS, fresh, ignore=_not_csv)
    for relative, source in overrides.items():
        data = source.read_bytes()
        # dbt reads a byte-order mark as part of the first column's name
        (fresh / relative).write_bytes(data.removeprefix(b"\xef\xbb\xbf"))
    old = target.with_name(f"{target.name}.old-{os.getpid()}")
    if target.exists():
        target.rename(old)
    fresh.rename(target)
    shutil.rmtree(old, ignore_errors=True)
    return overrides


def check_config_dir(config_dir: Path, *, explicit: bool) -> None:
    """ConfigError when a config folder given explicitly is missing, or a file in it fits no seed."""
    if explicit and not config_dir.is_dir():
        raise ConfigError(f"{config_dir}: config folder not found (create one with `account-health init`)")
    seed_overrides(config_dir)


def _not_csv(folder: str, names: list[str]) -> list[str]:
    return [name for name in names if not name.endswith(".csv") and not (Path(folder) / name).is_dir()]


@dataclass(frozen=True)
class InitResult:
    config_dir: Path
    written: list[Path]
    kept: list[Path]


def init_config(config_dir: Path) -> InitResult:
    """Write a starter config folder: every seed's default, an example sources.yml and a README.

    Files already there are kept, never overwritten, so `init` is safe on a folder a company edited.
    """
    config_dir = Path(config_dir)
    written: list[Path] = []
    kept: list[Path] = []

    def write(relative: Path, content: bytes) -> None:
        path = config_dir / relative
        if path.exists():
            kept.append(relative)
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content)
        written.append(relative)

    seeds = project_seeds()
    write(Path(README_FILE), _readme(seeds).encode())
    write(Path(SOURCES_FILE), EXAMPLE_SOURCES.read_bytes())
    for relative in seeds:
        write(relative, (PROJECT_SEEDS / relative).read_bytes())
    return InitResult(config_dir, written, kept)


def _readme(seeds: dict[Path, Seed]) -> str:
    lines = [
        "# account-health configuration",
        "",
        "This folder is your company's configuration. account-health reads it on every run",
        "(`--config-dir`, default `<data dir>/config/`); the project's checkout is never edited.",
        "",
        f"- `{SOURCES_FILE}`: how your exports map onto the raw contract (file globs, column renames,",
        "  value maps, date formats, defaults, lines to skip). Every key is explained in the file.",
        "- Each CSV below replaces the project's default seed of the same path. Delete a file to go back",
        "  to the default; keep the header (the columns may be in any order). Run `account-health build`",
        "  (or `run`) to see the effect.",
        "",
        "| file | what it sets |",
        "| --- | --- |",
    ]
    for relative, seed in seeds.items():
        lines.append(f"| `{relative.as_posix()}` | {seed.description.replace('|', '/')} |")
    lines += [
        "",
        "Other folders here are left alone (keep notes or scorecard proposals in them).",
        "",
    ]
    return "\n".join(lines)
