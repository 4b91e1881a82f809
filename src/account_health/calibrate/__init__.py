"""Calibration: a reviewable scorecard proposal learned from the company's own history (DECISIONLOG
"calibration"). `calibrate` measures, `write_proposal` writes the files; neither changes the scorecard."""

from account_health.calibrate.data import CalibrationInputError
from account_health.calibrate.proposal import summary_lines, write_proposal
from account_health.calibrate.run import Calibration, calibrate

__all__ = [
    "Calibration",
    "CalibrationInputError",
    "calibrate",
    "summary_lines",
    "write_proposal",
]
