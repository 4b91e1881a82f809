"""The CLI as a user types it: options before or after the command, one as-of rule, one-line errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb
import pytest

from account_health.as_of import latest_activity_date
from account_health.cli import main
from account_health.config import PROJECT_SEEDS


def _main(args: list[str], capsys) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as exited:
        main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err


def _accounts(data_dir: Path) -> int:
    con = duckdb.connect(str(data_dir / "warehouse" / "account_health.duckdb"), read_only=True)
    try:
        return con.execute("select count(*) from raw.accounts").fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("placement", ["before", "after"])
def test_global_options_before_or_after_the_command(larkspur, tmp_path, capsys, placement):
    data = tmp_path / "data"
    options = ["--data-dir", data, "--config-dir", larkspur.config]
    command = ["land", "--from", larkspur.export]
    args = [*options, *command] if placement == "before" else [*command, *options]
    code, out, err = _main(args, capsys)
    assert code == 0, err
    assert _accounts(data) == 5  # through Larkspur's sources.yml: 6 lines, 31 February quarantined
    assert "rows read 2,542 = loaded 2,540 + quarantined 2" in out


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["build", "--as-of", "31/10/2026"], "Invalid value for '--as-of': '31/10/2026' is not a date"),
        (["run", "--as-of", "2026-02-30"], "'2026-02-30' is not a date in YYYY-MM-DD form"),
        (["generate", "--scale", "huge"], "unknown scale 'huge': choose one of tiny, demo, medium, large"),
        (["land", "--from", "{tmp}/missing"], "{tmp}/missing: --from folder not found"),
        (["run", "--from", "{tmp}/missing"], "{tmp}/missing: --from folder not found"),
        (["--config-dir", "{tmp}/nope", "build"], "{tmp}/nope: config folder not found"),
        (["land", "--from", "{tmp}", "--mapping", "{tmp}/x.yml"], "{tmp}/x.yml: source mapping not found"),
        (["bogus"], "No such command 'bogus'."),
        (["run", "--form", "x"], "No such option: --form"),
        (["build", "--data-dir", "{tmp}/empty"], "no landed activity in {tmp}/empty/warehouse"),
    ],
)
def test_wrong_input_is_one_line_and_exit_2(tmp_path, capsys, args, expected):
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in args]
    if "--data-dir" not in args:
        args = ["--data-dir", str(tmp_path / "data"), *args]
    code, _, err = _main(args, capsys)
    assert code == 2
    assert err.count("\n") == 1 and err.startswith("error: ")
    assert expected.replace("{tmp}", str(tmp_path)) in err
    assert "Traceback" not in err


def test_a_bad_mapping_is_one_line_and_exit_2_before_anything_lands(larkspur, tmp_path, capsys):
    larkspur.mapping.write_text(larkspur.mapping.read_text().replace("Basic: smb", "Basic: small"))
    data = tmp_path / "data"
    code, _, err = _main(
        ["land", "--from", larkspur.export, "--config-dir", larkspur.config, "--data-dir", data], capsys
    )
    assert code == 2
    assert err == (
        f"error: {larkspur.mapping}, line 20: tables.accounts.values.segment.Basic: 'small' is not an"
        " accepted value of segment (enterprise, mid_market, smb)\n"
    )
    assert not (data / "warehouse").exists()


def test_init_writes_the_config_folder_of_the_data_dir(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("ACCOUNT_HEALTH_CONFIG_DIR", raising=False)
    code, out, _ = _main(["init", "--data-dir", tmp_path / "data"], capsys)
    assert code == 0
    assert (tmp_path / "data" / "config" / "scorecard" / "health_weights.csv").is_file()
    seeds = len(list(PROJECT_SEEDS.rglob("*.csv")))
    assert f"{seeds + 2} files written" in " ".join(out.split())  # the seeds, sources.yml, README.md
    code, out, _ = _main(["init", tmp_path / "elsewhere"], capsys)
    assert code == 0 and (tmp_path / "elsewhere" / "sources.yml").is_file()


def test_the_as_of_date_is_the_latest_activity_landed(larkspur, tmp_path, capsys):
    subscriptions = larkspur.export / "billing" / "Subscriptions.csv"
    # a renewal starting in 2027 is planned, not activity: it must not move the as-of date
    lines = subscriptions.read_text().splitlines()
    lines.insert(-1, "S-7,LK-001,Larkspur Cloud,130,4875.00,15/01/2027,")
    subscriptions.write_text("\n".join(lines) + "\n")
    data = tmp_path / "data"
    code, _, err = _main(
        ["land", "--from", larkspur.export, "--config-dir", larkspur.config, "--data-dir", data], capsys
    )
    assert code == 0, err
    # the newest event is 31/10/2026 17:50; the newest ticket 28/10/2026
    assert latest_activity_date(data / "warehouse" / "account_health.duckdb") == dt.date(2026, 10, 31)
    assert latest_activity_date(tmp_path / "none.duckdb") is None
