"""The CS dashboard: a Streamlit app over the serving database (portfolio, account, renewals, retention).

`account-health dashboard` starts it (`server.py`); `app.py` is the script Streamlit runs; `data.py` holds
the queries (no Streamlit); `views/` has one module per page.
"""
