"""Account: one account's band and why, its score history, every component with its points, the next step.

The same data as `account-health explain` (account_health.explain.data), shown as a page.
"""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from account_health.dashboard import data
from account_health.dashboard.views.common import (
    MISSING,
    band_label,
    money,
    paths,
    percent,
    points,
    raw_value,
    score,
    serving,
)
from account_health.explain import ExplainError, Explanation, explain
from account_health.report import labelled


def render() -> None:
    with serving("dim_accounts", "fct_account_health_daily", "fct_account_health_drivers") as con:
        choices = data.account_choices(con)
    st.title("Account")
    if choices.empty:
        st.info("No account has a health score yet.")
        return
    ids = choices["account_id"].tolist()
    names = {row.account_id: _choice_label(row) for row in choices.itertuples()}
    wanted = st.query_params.get("account")
    if "account_id" not in st.session_state:
        st.session_state["account_id"] = wanted if wanted in names else ids[0]
    account_id = st.selectbox("Account", ids, format_func=names.__getitem__, key="account_id")
    st.query_params["account"] = account_id
    try:
        page = explain(paths(), account_id)
    except ExplainError as error:
        st.warning(str(error))
        return
    _header(page)
    _history(page)
    _components(page)


def _choice_label(row) -> str:  # type: ignore[no-untyped-def]
    status = band_label(row.health_band) if row.is_active_customer else "ex-customer"
    return f"{row.account_name} ({row.account_id}) · {status}"


def _header(page: Explanation) -> None:
    st.subheader(page.account_name)
    st.caption(
        f"{page.account_id} · {page.segment} · CSM {page.csm_owner or 'unassigned'} · "
        f"scored on {page.score_date} with scorecard {page.scorecard_version or MISSING}"
        + ("" if page.is_active_customer else " · not a customer today")
    )
    band, health, arr, renewal = st.columns(4)
    band.metric("Band", band_label(page.health_band))
    delta = None if page.score_delta_30d is None else f"{float(page.score_delta_30d):+.1f} in 30 days"
    health.metric("Health score", score(page.health_score), delta=delta)
    arr.metric("ARR", money(page.current_arr_usd))
    renewal.metric("Next renewal", str(page.next_renewal_date or "none"))
    if page.band_set_by == "override":
        st.error(
            f"Band set by an override: {page.band_override_rules}. "
            f"The score alone says {band_label(page.score_band)}."
        )
    else:
        st.markdown(f"**Why {band_label(page.health_band).lower()}:** its score.")
    if page.score_status and page.score_status != "ok":
        st.warning(f"Score status: {page.score_status} (too few components to read it as a verdict).")
    action, review = st.columns([3, 1])
    owner, due = page.action_owner_role or "owner not set", page.action_due_date or MISSING
    action.markdown(f"**Next step** ({owner}, due {due}): {page.recommended_action or 'none'}")
    review.markdown(f"**Next review:** {page.next_review_due_date or MISSING}")
    if page.top_change_drivers:
        labels = {component.component_id: component.label for component in page.components}
        st.markdown(f"**What moved the score in 30 days:** {labelled(page.top_change_drivers, labels)}")


def _history(page: Explanation) -> None:
    history = pd.DataFrame(page.history, columns=["score_date", "health_score"]).astype(
        {"health_score": "float"}
    )
    st.subheader(f"Score, last {len(history)} days")
    chart = (
        alt.Chart(history)
        .mark_line(point=False)
        .encode(
            x=alt.X("score_date:T", title="day"),
            y=alt.Y("health_score:Q", title="health score", scale=alt.Scale(domain=[0, 100])),
            tooltip=["score_date:T", alt.Tooltip("health_score:Q", format=".1f")],
        )
    )
    st.altair_chart(chart, use_container_width=True)


def _components(page: Explanation) -> None:
    st.subheader("Components: what makes the score")
    st.caption(
        "Points in the score add up to the score; the signed contribution is how far each component pulls "
        "the score above (+) or below (-) neutral. Missing or stale components are left out and their "
        "weight is shared over the rest."
    )
    # a static table (not the data grid): every value is in the page, where a reader's browser search and
    # the tests find it
    rows = pd.DataFrame(
        [
            {
                "component": component.label,
                "pillar": component.pillar,
                "status": component.status,
                "raw value": raw_value(component.raw_value),
                "score (0-100)": score(component.score),
                "weight": percent(component.normalised_weight),
                "points in the score": points(component.contribution),
                "signed contribution": points(component.pull, signed=True),
                "what it measures": component.description,
            }
            for component in page.components
        ]
    )
    st.table(rows.set_index("component"))
    left_out = [c.label for c in page.components if c.status in ("missing", "stale")]
    if left_out:
        st.caption(f"Left out today (missing or stale): {', '.join(left_out)}")
