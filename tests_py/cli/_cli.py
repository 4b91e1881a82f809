"""Run the `account-health` entry point as a user does (cli.main: exit codes, one-line errors) in-process."""

from __future__ import annotations

import pytest

from account_health.cli import main


def run_main(args: list, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """(exit code, stdout, stderr) of `account-health ARGS`."""
    with pytest.raises(SystemExit) as exited:
        main([str(arg) for arg in args])
    captured = capsys.readouterr()
    return int(exited.value.code or 0), captured.out, captured.err
