"""Failures before anything is built: clear errors naming the step, serving never created."""

from __future__ import annotations

from datetime import date

import pytest

from account_health.pipeline import PipelineError, run

AS_OF = date(2026, 10, 31)


def test_a_run_without_raw_files_or_a_scale_fails_at_landing(paths):
    with pytest.raises(PipelineError, match="land failed: no raw files") as raised:
        run(paths, AS_OF)
    assert raised.value.step == "land"
    assert not paths.serving_path.exists()


def test_an_unexpected_error_inside_a_step_names_the_step(paths):
    with pytest.raises(PipelineError, match="generate failed: ValueError: unknown scale") as raised:
        run(paths, AS_OF, generate_scale="galactic")
    assert raised.value.step == "generate"
    assert isinstance(raised.value.__cause__, ValueError)
    assert not paths.serving_path.exists()
