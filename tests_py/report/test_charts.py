"""The report's chart axes and numbers: round ticks, a gap for a missing value, never "-0.0"."""

from __future__ import annotations

import re

import pytest

from account_health.report import signed
from account_health.report.charts import lines, nice_axis


@pytest.mark.parametrize(
    ("value", "percent", "axis"),
    [
        (1.33, True, (1.5, 6)),  # NRR 133%: 0/25/50/.../150%, not 0/28/55/82/110%
        (0.43, True, (0.5, 5)),
        (1.0, True, (1.0, 5)),
        (83, False, (100, 5)),
        (7, False, (8, 4)),
        (14, False, (15, 3)),  # steps of 5, never 2.5 customers
        (3, False, (3, 3)),
        (1234, False, (1250, 5)),
    ],
)
def test_axis_maximum_and_ticks_are_round(value, percent, axis) -> None:
    top, ticks = nice_axis(value, percent)
    assert (pytest.approx(top), ticks) == axis
    step = top / ticks
    if not percent:
        assert step == int(step)


def test_retention_chart_has_axis_titles_round_ticks_a_100_percent_line_and_gaps() -> None:
    svg = lines(
        "NRR",
        ["2026-01", "2026-02", "2026-03"],
        {"nrr": [1.12, None, 1.31]},
        percent=True,
        x_title="month",
        y_title="revenue retained",
        reference=(1.0, "100%"),
    )
    ticks = re.findall(r'class="tick"[^>]*>([^<]+)<', svg)
    assert ticks == ["0%", "25%", "50%", "75%", "100%", "125%", "150%"]
    assert re.findall(r'class="axis-title"[^>]*>([^<]+)<', svg) == ["month", "revenue retained"]
    assert svg.count('class="reference"') == 1
    # the missing month is a gap: two separate moves, no point drawn at 0%
    path = re.search(r'class="line"[^>]* d="([^"]+)"', svg).group(1)
    assert path.count("M") == 2 and "L" not in path
    assert 'width="100%"' in svg


@pytest.mark.parametrize(
    ("value", "text"), [(-0.04, "0.0"), (0.04, "0.0"), (-1.25, "-1.2"), (2, "+2.0"), (None, "0.0")]
)
def test_signed_numbers_never_read_minus_zero(value, text) -> None:
    assert signed(value) == text


def test_drivers_read_with_the_component_labels_of_the_seed(tmp_path) -> None:
    from account_health.explain.data import component_labels
    from account_health.report import labelled

    labels = {component: label for component, (label, _) in component_labels(tmp_path / "no-config").items()}
    assert labels["by_choice_active_rate_30d"] == "Active by-choice users (30d)"
    assert not [component for component, label in labels.items() if "_" in label]  # every one has a label
    text = labelled("by_choice_active_rate_30d (-7.6), csf_right_product (-3.0), unknown_id (+1.0)", labels)
    assert text == "Active by-choice users (30d) (-7.6), CSF: right product (-3.0), unknown_id (+1.0)"
