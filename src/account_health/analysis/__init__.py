"""The logic of the dbt Python models (python_models/): pure functions over pandas frames of month-end rows.

The models themselves only read their refs in DuckDB, call these and return the frame, so each model
file stays a page long and the functions are tested in pytest without dbt (tests_py/revenue).
"""
