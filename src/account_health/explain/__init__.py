"""`account-health explain ACCOUNT_ID`: one account's band, score, components and next step."""

from account_health.explain.data import ExplainError, Explanation, explain
from account_health.explain.render import render, sparkline

__all__ = ["ExplainError", "Explanation", "explain", "render", "sparkline"]
