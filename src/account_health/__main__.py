from account_health.cli import app

app()
