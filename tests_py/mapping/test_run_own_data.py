"""From Larkspur's own files to published marts with `init`, a sources.yml and one `run` (no Python)."""

from __future__ import annotations

import json

import duckdb
import pytest

from account_health.cli import main


@pytest.mark.slow
def test_run_from_own_files_publishes(larkspur, tmp_path, capsys):
    data = tmp_path / "data"
    with pytest.raises(SystemExit) as exited:
        main(
            [
                "run",
                "--from",
                str(larkspur.export),
                "--config-dir",
                str(larkspur.config),
                "--data-dir",
                str(data),
            ]
        )
    out = " ".join(capsys.readouterr().out.split())
    assert exited.value.code == 0, out
    assert "as-of 2026-10-31: the latest activity date in the landed data" in out
    serving = duckdb.connect(str(data / "serving" / "account_health.duckdb"), read_only=True)
    try:
        accounts = serving.execute("select account_id, segment from dim_accounts order by 1").fetchall()
        last_day = serving.execute("select max(score_date) from fct_account_health_daily").fetchone()[0]
    finally:
        serving.close()
    # LK-006 (signed up on 31 February) is in quarantine, the other five are Larkspur's customers
    assert accounts == [
        ("LK-001", "enterprise"),
        ("LK-002", "mid_market"),
        ("LK-003", "smb"),
        ("LK-004", "enterprise"),
        ("LK-005", "mid_market"),
    ]
    assert str(last_day) == "2026-10-31"
    manifest = json.loads((data / "serving" / "manifest.json").read_text())
    assert manifest["as_of"] == "2026-10-31"
    assert (data / "report" / "index.html").is_file()
