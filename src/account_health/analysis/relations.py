"""What the dbt Python models need from a relation, on either engine (issue 13).

dbt hands a Python model each `dbt.ref(...)` as the engine's own object: a `DuckDBPyRelation` on DuckDB, a
PySpark `DataFrame` on Spark. The models need three things from it, and each is one call per engine:

- `query`: run SQL over the relation, under a name the SQL uses (the SQL is written to run on both);
- `to_pandas`: read a small result (month-end rows, never events) into pandas;
- `one_row`: a one-row seed as a dict.

The models pass the relation here (`dbt.ref(...)` must stay in the model file: dbt finds a Python model's
refs by reading its source). Spark is imported only when a Spark relation arrives.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd


def _is_duckdb(relation: Any) -> bool:
    return isinstance(relation, duckdb.DuckDBPyRelation)


def query(relation: Any, name: str, sql: str) -> Any:
    """The result of `sql`, which reads the relation as `name`, as a relation of the same engine."""
    if _is_duckdb(relation):
        return relation.query(name, sql)
    relation.createOrReplaceTempView(name)
    return relation.sparkSession.sql(sql)


def to_pandas(relation: Any) -> pd.DataFrame:
    """The relation's rows as a pandas frame (dates as datetime.date, decimals as Decimal on both)."""
    if _is_duckdb(relation):
        return relation.to_arrow_table().to_pandas()
    return relation.toPandas()


def one_row(relation: Any) -> dict[str, Any]:
    """The seed's one row, by column name (lists stay pipe-separated text)."""
    row = relation.fetchone() if _is_duckdb(relation) else relation.first()
    return dict(zip(relation.columns, row, strict=True))


def one_row_of_floats(relation: Any) -> dict[str, float]:
    """The seed's one row, by column name, as floats (the minimum_evidence thresholds)."""
    return {name: float(value) for name, value in one_row(relation).items()}
