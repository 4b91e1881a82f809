"""Run one command and write its wall seconds and peak RSS as JSON: `python -S measure.py OUT.json CMD...`.

Why a launcher: on Linux a child's `ru_maxrss` starts from the high-water RSS of the process it was forked
from (kept across `exec`), so a step spawned straight from the bench would report at least the bench's own
memory (its in-process DuckDB floors). Spawned from this small stdlib-only process, the step's figure is
its own (and its waited-for children's). Exits with the command's exit code.
"""

import json
import os
import subprocess
import sys
import time


def main() -> int:
    out, command = sys.argv[1], sys.argv[2:]
    started = time.perf_counter()
    process = subprocess.Popen(command)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    code = os.waitstatus_to_exitcode(status)
    with open(out, "w", encoding="utf-8") as file:
        # Linux reports ru_maxrss in KiB
        json.dump({"seconds": seconds, "peak_rss_bytes": usage.ru_maxrss * 1024, "returncode": code}, file)
    return code


if __name__ == "__main__":
    sys.exit(main())
