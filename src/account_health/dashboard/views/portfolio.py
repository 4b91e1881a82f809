"""Portfolio: customers and ARR per band today, the bands month by month, and the at-risk queue."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from account_health.dashboard import data
from account_health.dashboard.views.common import band_label, money, serving

QUEUE_COLUMNS = {
    "queue_rank": st.column_config.NumberColumn("#"),
    "account_name": "account",
    "segment": "segment",
    "csm_owner": "CSM",
    "health_band": "band",
    "health_score": st.column_config.NumberColumn("score", format="%.1f"),
    "score_delta_30d": st.column_config.NumberColumn("30-day change", format="%+.1f"),
    "arr_at_risk_usd": st.column_config.NumberColumn("ARR at risk", format="dollar"),
    "recommended_action": "recommended action",
    "next_review_due_date": st.column_config.DateColumn("review due"),
    "is_review_overdue": st.column_config.CheckboxColumn("overdue"),
}


def render() -> None:
    with serving("dim_accounts", "fct_account_health_daily", "fct_account_review_queue") as con:
        st.title("Portfolio")
        st.caption(f"As of {data.as_of(con)} · customers only · read from the published marts")
        _bands_today(data.accounts_by_band(con))
        _band_trend(data.band_trend(con))
        _queue(con)


def _bands_today(bands: pd.DataFrame) -> None:
    total, arr = st.columns(2)
    total.metric("Customers", f"{int(bands['accounts'].sum()):,}")
    arr.metric("ARR", money(bands["arr_usd"].sum()))
    for column, row in zip(st.columns(len(bands)), bands.itertuples(), strict=True):
        column.metric(
            f"{band_label(row.health_band)} accounts",
            f"{row.accounts:,}",
            delta=f"{money(row.arr_usd)} ARR",
            delta_color="off",
            delta_arrow="off",
        )


def _band_trend(trend: pd.DataFrame) -> None:
    st.subheader("Customers per band, month by month")
    if trend.empty:
        st.info("No scored days yet.")
        return
    trend = trend.assign(band=trend["health_band"].map(band_label))
    order = [band_label(band) for band in data.BANDS_WORST_FIRST]
    chart = (
        alt.Chart(trend)
        .mark_bar()
        .encode(
            x=alt.X("month:O", title="month (month-end, and the latest day)"),
            y=alt.Y("accounts:Q", title="customers"),
            color=alt.Color(
                "band:N",
                title="band",
                sort=order,
                scale=alt.Scale(domain=order, range=[data.BAND_COLOURS[b] for b in data.BANDS_WORST_FIRST]),
            ),
            order=alt.Order("band_order:Q"),
            tooltip=["month", "band", "accounts"],
        )
        .transform_calculate(band_order=f"indexof({order!r}, datum.band)")
    )
    st.altair_chart(chart, use_container_width=True)


def _queue(con) -> None:  # type: ignore[no-untyped-def]
    st.subheader("At-risk queue: what to do next, by ARR at risk")
    csm_options, segment_options = data.queue_options(con)
    left, right = st.columns(2)
    csm_owners = _filter(left, "CSM", "csm", csm_options)
    segments = _filter(right, "Segment", "segment", segment_options)
    queue = data.review_queue(con, data.QueueFilter(tuple(csm_owners), tuple(segments)))
    total = data.queue_total(con)
    st.markdown(
        f"**{len(queue)} of {total}** accounts in the queue"
        + (" match the filter" if csm_owners or segments else "")
        + f" · ARR at risk {money(queue['arr_at_risk_usd'].sum())}"
    )
    queue = queue.assign(health_band=queue["health_band"].map(band_label))
    st.dataframe(queue, column_order=list(QUEUE_COLUMNS), column_config=QUEUE_COLUMNS, hide_index=True)


def _filter(container, label: str, name: str, options: list[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """A multiselect kept in the page's address (`?csm=Ana+Silva&segment=smb`), so a filtered queue can be
    bookmarked or shared; the address sets it when the page opens."""
    key = f"queue_{name}"
    if key not in st.session_state:
        st.session_state[key] = [value for value in st.query_params.get_all(name) if value in options]
    everyone = f"every {label if label.isupper() else label.lower()}"
    selected = container.multiselect(label, options, key=key, placeholder=everyone)
    st.query_params[name] = selected
    return selected
