"""`python -m account_health` runs the command line."""

from account_health.cli import app

if __name__ == "__main__":
    app(prog_name="account-health")
