"""What every page shares: the data folder, a read-only connection, number formats, band colours."""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
import streamlit as st

from account_health.dashboard.data import BAND_LABELS
from account_health.paths import Paths
from account_health.serving import ServingError, open_serving


def paths() -> Paths:
    """The data folder `account-health dashboard` was started on (its environment: ACCOUNT_HEALTH_DATA_DIR
    and ACCOUNT_HEALTH_CONFIG_DIR)."""
    return Paths.default()


@contextmanager
def serving(*requires: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """The serving database, read-only, opened for one page run. When nothing is published yet, or a mart
    the page needs is missing, the page says so in one line and stops (no traceback)."""
    try:
        with open_serving(paths(), requires=requires) as con:
            yield con
    except ServingError as error:
        st.warning(str(error))
        st.stop()


# what an absent value shows (a dash; a bare "-" would be a Markdown list in a table cell)
MISSING = "\u2013"


def money(value: object) -> str:
    number = _number(value)
    return MISSING if number is None else f"${number:,.0f}"


def percent(value: object, places: int = 1) -> str:
    number = _number(value)
    return MISSING if number is None else f"{100 * number:.{places}f}%"


def score(value: object) -> str:
    number = _number(value)
    return MISSING if number is None else f"{number:.1f}"


def points(value: object, *, signed: bool = False) -> str:
    """Score points to two places; never "-0.00" for a value that rounds to zero."""
    number = _number(value)
    if number is None:
        return MISSING
    if round(number, 2) == 0:
        return "0.00"
    return f"{number:+.2f}" if signed else f"{number:.2f}"


def raw_value(value: object) -> str:
    """A measure as measured: whole numbers as such, others to three significant digits."""
    number = _number(value)
    if number is None:
        return MISSING
    return f"{number:,.0f}" if number.is_integer() else f"{number:,.3g}"


def band_label(band: object) -> str:
    return BAND_LABELS.get(str(band), "not scored") if band is not None else "not scored"


def _number(value: object) -> float | None:
    if value is None:
        return None
    number = float(value)  # type: ignore[arg-type]
    return None if math.isnan(number) else number
