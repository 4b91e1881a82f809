"""Great Expectations imports in any process, pyspark installed beside it (the spark target).

GX imports `pyspark.sql.connect` when pyspark is installed; pyspark then calls `sys.exit(0)` in a process
whose `__main__` has no file (pytest-xdist workers, `python -c`, notebook kernels) unless Spark Connect's
modules are installed too. The whole suite's landing and validation failed that way after pyspark was
pinned without them (exit 0 inside a fixture, nothing landed)."""

from __future__ import annotations

import subprocess
import sys


def test_great_expectations_imports_where_main_has_no_file() -> None:
    script = "import account_health.quality.gx_runner, great_expectations; print('imported')"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=False)
    assert (done.returncode, done.stdout.strip()) == (0, "imported"), done.stderr[-2000:]
    assert "Skipping doctests" not in done.stderr
    assert "PySpark does not yet fully support pandas" not in done.stderr
