"""Fixtures for the source mapping and the config folder: Larkspur, a made-up company's own exports.

`larkspur/export/` is what Larkspur's CRM, billing system, product analytics and helpdesk export (their
column names, Enterprise/Pro/Basic plans, urgent..low ticket urgency, d/m/yyyy dates, a title line above
the helpdesk header, a totals line under the billing lines); `larkspur/config/` is the config folder that
maps it (`sources.yml`) and replaces the product catalog. Tests copy both, so they can change them.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

LARKSPUR = Path(__file__).parent / "larkspur"


@dataclass(frozen=True)
class Company:
    export: Path
    config: Path

    @property
    def mapping(self) -> Path:
        return self.config / "sources.yml"


@pytest.fixture
def larkspur(tmp_path: Path) -> Company:
    shutil.copytree(LARKSPUR, tmp_path / "larkspur")
    return Company(tmp_path / "larkspur" / "export", tmp_path / "larkspur" / "config")
