"""The `account-health` command line. Thin: each command calls one library function and prints its result.

`common` holds the app, the global options and the entry point. The commands register themselves when their
module is imported, in the order `--help` lists them: the pipeline's, the daily ones, then setting up and
running the installation.
"""

from importlib import import_module

from account_health.cli.common import app, main

for _module in ("pipeline", "daily", "admin"):
    import_module(f"account_health.cli.{_module}")

__all__ = ["app", "main"]
