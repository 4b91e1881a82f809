"""Issue 10's targets for `account-health calibrate` on a built warehouse, measured on the held-out months.

- the proposed transparent score's 6-month churn AUC within 0.01 of (or above) gradient boosting on the
  components today's scorecard weighs (the backtest's benchmark); boosting on every fresh component is
  reported beside it,
- unhealthy / healthy churn ratio at least 5, not_so_healthy in between, no band empty (with overrides,
  what a CSM sees).

Usage: python -m bench.calibration DATA_DIR   (a data folder that `account-health demo` has built)
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from account_health.calibrate.evaluate import Evaluation
from account_health.calibrate.run import Calibration, calibrate
from account_health.paths import Paths

AUC_GAP = 0.01
MIN_RATIO = 5.0


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _bands(evaluation: Evaluation) -> dict[str, dict[str, Any]]:
    return {row.band: {"rows": row.rows, "churn_rate": _round(row.churn_rate)} for row in evaluation.bands}


def _ratio(evaluation: Evaluation) -> float | None:
    unhealthy, healthy = evaluation.rate("unhealthy"), evaluation.rate("healthy")
    if unhealthy is None or not healthy:
        return None
    return round(unhealthy / healthy, 2)


def targets(result: Calibration) -> dict[str, bool]:
    after = result.after
    rates = [after.rate(band) for band in ("unhealthy", "not_so_healthy", "healthy")]
    ratio = _ratio(after)
    return {
        "auc_within_0.01_of_boosting": (
            after.auc is not None
            and result.boosted_auc_today is not None
            and after.auc >= result.boosted_auc_today - AUC_GAP
        ),
        "unhealthy_to_healthy_ratio_at_least_5": ratio is not None and ratio >= MIN_RATIO,
        "not_so_healthy_in_between": None not in rates and rates[0] > rates[1] > rates[2],
        "no_band_empty": all(row.rows > 0 for row in after.bands),
    }


def bench_calibration(paths: Paths) -> dict[str, Any]:
    result = calibrate(paths)
    return {
        "held_out": [result.test_from.isoformat(), result.test_to.isoformat()],
        "held_out_rows": result.after.rows,
        "auc_before": _round(result.before.auc),
        "auc_after": _round(result.after.auc),
        "boosted_auc_today_components": _round(result.boosted_auc_today),
        "boosted_auc_every_component": _round(result.boosted_auc),
        "bands_before": _bands(result.before),
        "bands_after": _bands(result.after),
        "ratio_before": _ratio(result.before),
        "ratio_after": _ratio(result.after),
        "proposed_cuts": [result.cut.low, result.cut.high],
        "accounts_today_before": result.accounts_today_before,
        "accounts_today_after": result.accounts_today_after,
        "targets": targets(result),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data_dir", type=Path)
    args = parser.parse_args()
    print(json.dumps(bench_calibration(Paths(args.data_dir)), indent=2))


if __name__ == "__main__":
    main()
