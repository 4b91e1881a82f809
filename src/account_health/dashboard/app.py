"""The script `streamlit run` executes: page setup and navigation. Each page lives in `views/`."""

from __future__ import annotations

import streamlit as st

from account_health.dashboard.views import account, portfolio, renewals, retention

PAGES = [
    st.Page(portfolio.render, title="Portfolio", url_path="portfolio", default=True),
    st.Page(account.render, title="Account", url_path="account"),
    st.Page(renewals.render, title="Renewals", url_path="renewals"),
    st.Page(retention.render, title="Retention", url_path="retention"),
]


def main() -> None:
    st.set_page_config(page_title="Account health", layout="wide")
    st.navigation(PAGES).run()


main()
