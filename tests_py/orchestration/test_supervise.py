"""`account_health.supervise` (under `account-health dagster` and `dashboard`): a service that does not stop
on SIGTERM is killed once its grace period is up, also when the stop arrives while the supervisor is waiting
for it. A signal handler cannot end a wait already running (Python retries the interrupted waitpid): a wait
without a timeout had left a slow `dagster dev` running for as long as it took to wind down (over a minute
on a loaded machine, failing test_dagster_service.py)."""

from __future__ import annotations

import subprocess
import sys

from _processes import killed_on_exit, sigterm_timed

STUBBORN_SERVICE = (
    "import signal, time; signal.signal(signal.SIGTERM, signal.SIG_IGN); print('ready', flush=True); "
    "time.sleep(30)"
)
SUPERVISOR = (
    "import os, sys; from account_health import supervise; supervise.STOP_SECONDS = 1; "
    f"sys.exit(supervise.supervise([sys.executable, '-c', {STUBBORN_SERVICE!r}], os.environ))"
)


def test_a_service_that_ignores_sigterm_is_killed_after_the_grace_period() -> None:
    supervisor = subprocess.Popen([sys.executable, "-c", SUPERVISOR], stdout=subprocess.PIPE, text=True)
    with killed_on_exit(supervisor):
        assert supervisor.stdout.readline().strip() == "ready"  # the service ignores SIGTERM from now on
        code, stopped_in = sigterm_timed(supervisor)
    assert code == 0
    assert stopped_in < 10, f"stopped after {stopped_in:.0f} s: the 1 s grace period was not enforced"
