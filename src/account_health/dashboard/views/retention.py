"""Retention: trailing-12-month NRR, GRR and logo retention, month by month and per segment."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from account_health.dashboard import data
from account_health.dashboard.views.common import money, percent, serving

SERIES = {
    "nrr_12m_rate": "NRR (12 months)",
    "grr_12m_rate": "GRR (12 months)",
    "logo_retention_12m_rate": "logo retention (12 months)",
}
CHART_MONTHS = 24
LATEST_COLUMNS = {
    "segment": "segment",
    "month_end": st.column_config.DateColumn("month-end"),
    "nrr_12m_rate": st.column_config.NumberColumn("NRR", format="percent"),
    "grr_12m_rate": st.column_config.NumberColumn("GRR", format="percent"),
    "logo_retention_12m_rate": st.column_config.NumberColumn("logo retention", format="percent"),
    "active_account_count": st.column_config.NumberColumn("customers"),
    "ending_mrr": st.column_config.NumberColumn("MRR", format="dollar"),
}


def render() -> None:
    with serving("fct_revenue_retention") as con:
        st.title("Retention")
        segments = data.retention_segments(con)
        segment = st.selectbox("Segment", segments, format_func=lambda name: name.replace("_", " "))
        trend = data.retention_trend(con, segment)
        latest = data.retention_latest(con)
    if trend.empty:
        st.info("No month has a 12-month base yet: retention needs a year of subscriptions.")
        return
    last = trend.iloc[-1]
    st.caption(
        f"Trailing 12 months to {last['month_end']:%Y-%m-%d}: revenue today from the customers of a year "
        "ago, over their revenue then (NRR counts expansion, GRR does not)"
    )
    columns = st.columns(len(SERIES) + 1)
    for column, (name, label) in zip(columns, SERIES.items(), strict=False):
        column.metric(label, percent(last[name]))
    columns[-1].metric("MRR", money(last["ending_mrr"]))
    _trend_chart(trend)
    st.subheader("Latest month per segment")
    st.dataframe(latest, column_config=LATEST_COLUMNS, hide_index=True)


def _trend_chart(trend: pd.DataFrame) -> None:
    st.subheader(f"The last {min(len(trend), CHART_MONTHS)} month-ends")
    long = trend.tail(CHART_MONTHS).melt(
        id_vars=["month_end"], value_vars=list(SERIES), var_name="measure", value_name="rate"
    )
    long["measure"] = long["measure"].map(SERIES)
    lines = (
        alt.Chart(long)
        .mark_line(point=True)
        .encode(
            x=alt.X("month_end:T", title="month-end"),
            y=alt.Y("rate:Q", title="retained, trailing 12 months", axis=alt.Axis(format="%")),
            color=alt.Color("measure:N", title=None, sort=list(SERIES.values())),
            tooltip=["month_end:T", "measure", alt.Tooltip("rate:Q", format=".1%")],
        )
    )
    full = alt.Chart(pd.DataFrame({"rate": [1.0]})).mark_rule(strokeDash=[4, 4]).encode(y="rate:Q")
    st.altair_chart(lines + full, use_container_width=True)
