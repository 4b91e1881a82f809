"""account-health: an open-source customer-health warehouse on DuckDB and dbt."""

import warnings

__version__ = "0.1.0"

# Great Expectations imports pyspark's Spark Connect modules when pyspark is installed (it is, for the
# spark target), and each import warns that pyspark does not fully support pandas 3. Nothing here runs
# pandas through pyspark: the warning would only litter every command's output.
warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas", category=FutureWarning)
