"""The typed one-row seeds the dbt Python models read (revenue_parameters, minimum_evidence).

The model passes the relation (`dbt.ref(...)` must stay in the model file: dbt finds a Python model's refs
by reading its source).
"""

from __future__ import annotations

from typing import Any


def one_row(relation: Any) -> dict[str, Any]:
    """The seed's one row, by column name (lists stay pipe-separated text)."""
    return dict(zip(relation.columns, relation.fetchone(), strict=True))


def one_row_of_floats(relation: Any) -> dict[str, float]:
    """The seed's one row, by column name, as floats (the minimum_evidence thresholds)."""
    return {name: float(value) for name, value in one_row(relation).items()}
