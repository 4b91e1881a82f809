"""Renewals: the ARR renewing in the next 30 / 60 / 90 days (seed renewal_windows) by band, and who."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from account_health.dashboard import data
from account_health.dashboard.views.common import band_label, money, serving

RENEWAL_COLUMNS = {
    "account_name": "account",
    "segment": "segment",
    "csm_owner": "CSM",
    "next_renewal_date": st.column_config.DateColumn("renews on"),
    "days_to_renewal": st.column_config.NumberColumn("days"),
    "is_renewal_overdue": st.column_config.CheckboxColumn("overdue"),
    "health_band": "band",
    "health_score": st.column_config.NumberColumn("score", format="%.1f"),
    "current_arr_usd": st.column_config.NumberColumn("ARR", format="dollar"),
    "recommended_action": "next step",
    "next_review_due_date": st.column_config.DateColumn("review due"),
}


def render() -> None:
    with serving("dim_accounts", "fct_renewals_upcoming") as con:
        st.title("Renewals")
        st.caption(
            f"As of {data.as_of(con)} · customers whose contracted renewal date falls in the next days, "
            "or has passed without a renewal (overdue, counted in the first window)"
        )
        windows = data.renewal_windows(con)
        accounts = data.renewals(con)
    if windows.empty:
        st.info("No customer renews in the renewal windows.")
        return
    for column, row in zip(st.columns(len(windows)), windows.itertuples(), strict=True):
        column.metric(
            f"ARR renewing within {row.window_days} days",
            money(row.arr_within_usd),
            delta=f"{_accounts(int(row.accounts_within))}, "
            f"{money(_at_risk(windows, row.window_days))} of it not healthy",
            delta_color="off",
            delta_arrow="off",
        )
    _by_band_chart(windows)
    st.subheader("Who renews")
    accounts = accounts.assign(health_band=accounts["health_band"].map(band_label))
    st.dataframe(accounts, column_order=list(RENEWAL_COLUMNS), column_config=RENEWAL_COLUMNS, hide_index=True)


def _accounts(count: int) -> str:
    return "1 account" if count == 1 else f"{count} accounts"


def _at_risk(windows: pd.DataFrame, within_days: int) -> float:
    """ARR renewing within `within_days` in the unhealthy and not-so-healthy bands."""
    inside = windows[windows["window_days"] <= within_days]
    return float(inside["unhealthy_arr_usd"].sum() + inside["not_so_healthy_arr_usd"].sum())


def _by_band_chart(windows: pd.DataFrame) -> None:
    st.subheader("ARR renewing per window, by band")
    long = windows.melt(
        id_vars=["window_days", "window_label"],
        value_vars=[f"{band}_arr_usd" for band in data.BANDS_WORST_FIRST],
        var_name="band",
        value_name="band_arr_usd",
    )
    long["band"] = long["band"].str.removesuffix("_arr_usd").map(band_label)
    order = [band_label(band) for band in data.BANDS_WORST_FIRST]
    chart = (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X(
                "window_label:N",
                title="renewing",
                sort=windows["window_label"].tolist(),
                axis=alt.Axis(labelAngle=0),
            ),
            y=alt.Y("band_arr_usd:Q", title="ARR (USD)", axis=alt.Axis(format="$,.0f")),
            color=alt.Color(
                "band:N",
                title="band",
                sort=order,
                scale=alt.Scale(domain=order, range=[data.BAND_COLOURS[b] for b in data.BANDS_WORST_FIRST]),
            ),
            tooltip=["window_label", "band", alt.Tooltip("band_arr_usd:Q", format="$,.0f")],
        )
    )
    st.altair_chart(chart, use_container_width=True)
