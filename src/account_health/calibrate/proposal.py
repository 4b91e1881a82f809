"""The proposal on disk: seed files a reviewer can diff against the scorecard, and a readable report."""

from __future__ import annotations

import csv
from pathlib import Path

from account_health.calibrate.evaluate import Evaluation
from account_health.calibrate.run import Calibration


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:.1%}"


def _num(value: float | None, digits: int = 3) -> str:
    return "n/a" if value is None else f"{value:.{digits}f}"


def _ratio(evaluation: Evaluation) -> float | None:
    low, high = evaluation.rate("unhealthy"), evaluation.rate("healthy")
    return low / high if low is not None and high else None


def summary_lines(result: Calibration) -> list[str]:
    """The before/after comparison as Markdown lines (also what the CLI prints)."""
    lines = [
        f"Held-out month-ends {result.test_from} .. {result.test_to}; learned from month-ends up to "
        f"{result.train_to} ({result.train_rows} account-months); outcome: churn within "
        f"{result.horizon_months} months.",
        "",
        "| | AUC | unhealthy | not_so_healthy | healthy | unhealthy / healthy | bands ordered |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for name, evaluation in (("today's scorecard", result.before), ("proposed", result.after)):
        for with_overrides in (False, True):
            rows = evaluation.bands if with_overrides else evaluation.score_bands
            cells = " | ".join(f"{_pct(row.churn_rate)} ({row.rows})" for row in rows)
            low, high = rows[0].churn_rate, rows[2].churn_rate
            ratio = low / high if low is not None and high else None
            label = f"{name}, {'with overrides' if with_overrides else 'score only'}"
            lines.append(
                f"| {label} | {_num(evaluation.auc)} | {cells} | {_num(ratio, 2)} | "
                f"{'yes' if evaluation.is_ordered(with_overrides=with_overrides) else 'NO'} |"
            )
    lines += [
        f"| gradient boosting on every fresh component | {_num(result.boosted_auc)} | | | | | |",
        "| gradient boosting on today's weighted components (the backtest's) | "
        f"{_num(result.boosted_auc_today)} | | | | | |",
        "",
        "Churn rate per band (account-months in the band).",
        "",
        "Accounts per band today (with overrides): "
        + ", ".join(
            f"{band} {result.accounts_today_before[band]} -> {result.accounts_today_after[band]}"
            for band in result.accounts_today_before
        ),
        "",
        f"Proposed bands: unhealthy < {result.cut.low:g} <= not_so_healthy < {result.cut.high:g} <= healthy"
        + ("" if result.separable else f". {result.cut.note}"),
        "",
        "| override | held-out rows fired | churn rate | lift | rows moved today's / proposed bands "
        "| accounts moved today, today's / proposed bands |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for row in result.overrides:
        lines.append(
            f"| {row.rule_id} | {row.rows_fired} | {_pct(row.churn_rate)} | {_num(row.lift, 2)} | "
            f"{row.rows_moved_before} / {row.rows_moved_after} | "
            f"{row.accounts_moved_today_before} / {row.accounts_moved_today_after} |"
        )
    retaining = [row.rule_id for row in result.overrides if row.lift is not None and row.lift < 1]
    if retaining:
        lines += [
            "",
            "Overrides whose accounts churned less than average on the held-out months (lift < 1; they do "
            "not mark risk on this data, review them): " + ", ".join(retaining) + ".",
        ]
    return lines


def write_proposal(result: Calibration, config_dir: Path) -> Path:
    """Write `<config_dir>/proposals/<valid_from>/` and return it. Nothing outside it is touched."""
    folder = config_dir / "proposals" / result.valid_from.isoformat()
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / "health_weights.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["scorecard_id", "component_id", "weight", "valid_from"])
        kept = [row for row in result.weight_rows if row[3] != result.valid_from]
        for segment, component, weight, valid_from in kept:
            writer.writerow([segment, component, f"{weight:g}", valid_from.isoformat()])
        for segment, weights in sorted(result.weights.items()):
            for component, weight in zip(result.components, weights, strict=True):
                writer.writerow([segment, component, f"{weight:.4f}", result.valid_from.isoformat()])
    with (folder / "health_bands.csv").open("w", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["band", "band_rank", "min_score", "max_score", "is_at_risk", "valid_from"])
        for band, rank, low, high, valid_from, at_risk in result.band_rows:
            if valid_from != result.valid_from:
                writer.writerow(
                    [band, rank, f"{low:g}", f"{high:g}", str(at_risk).lower(), valid_from.isoformat()]
                )
        # a proposed band keeps the at-risk flag of the band of the same rank in force today
        at_risk_by_rank = {row[1]: row[5] for row in sorted(result.band_rows, key=lambda row: row[4])}
        for band, rank, low, high in result.bands:
            at_risk = at_risk_by_rank.get(rank, rank < max(row[1] for row in result.bands))
            writer.writerow(
                [band, rank, f"{low:g}", f"{high:g}", str(at_risk).lower(), result.valid_from.isoformat()]
            )
    weight_lines = ["| component | " + " | ".join(sorted(result.weights)) + " |"]
    weight_lines.append("| --- |" + " --- |" * len(result.weights))
    for index, component in enumerate(result.components):
        values = [result.weights[segment][index] for segment in sorted(result.weights)]
        if any(values):
            weight_lines.append(f"| {component} | " + " | ".join(f"{value:.4f}" for value in values) + " |")
    sources = [f"- {segment}: {source}" for segment, source in sorted(result.weight_source.items())]
    text = [
        f"# Scorecard proposal, valid from {result.valid_from}",
        "",
        "Written by `account-health calibrate` for review; it is not applied. To adopt it, copy",
        "`health_weights.csv` and `health_bands.csv` over the scorecard seeds (or the company's config)",
        "and run `account-health build`: both are new versions from that day on (history keeps the",
        "weights and bands in force at the time).",
        "",
        "Cannot separate: " + result.cut.note
        if not result.separable
        else "The bands separate churn on the training months (adjacent bands differ significantly).",
        "",
        *summary_lines(result),
        "",
        "## Proposed weights (sum to 1 per segment; components not listed get 0)",
        "",
        *sources,
        "",
        *weight_lines,
        "",
    ]
    (folder / "CALIBRATION.md").write_text("\n".join(text))
    return folder
