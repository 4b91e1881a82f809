"""The bench's results as a small Markdown table per tier, and cost per event across tiers."""

from __future__ import annotations

from typing import Any

from bench.nodes import describe

GIB = 1024**3
STEP_LABELS = {
    "cli_start": "CLI start (`--help`)",
    "generate": "generate",
    "land": "land",
    "build": "full build",
    "daily_land": "daily land (the new day's events)",
    "daily_build": "daily build (as-of + 1 day)",
    "validate": "validate",
    "publish": "publish",
    "report": "report (HTML)",
}


def _rss(value: int | None) -> str:
    if value is None:
        return "—"
    return f"{value / GIB:.2f} GiB" if value >= GIB / 4 else f"{value / 1024**2:.0f} MiB"


def _number(value: float | int | None, digits: int = 1) -> str:
    if value is None:
        return "—"
    return f"{value:,}" if isinstance(value, int) else f"{value:,.{digits}f}"


def _ratio(step: str, value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.0%}" if step == "daily_build" else f"{value:.1f}x"


def tier_table(tier: str, result: dict[str, Any]) -> str:
    events = result["events"]
    lines = [
        f"### {tier}: {events:,} events, {result['rows']['marts']:,} mart rows",
        "",
        "| step | seconds (median of runs) | peak RSS | rows | floor in the same run | floor s | ratio "
        "| µs per event |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for step, measured in result["steps"].items():
        floor = measured.get("floor") or {}
        lines.append(
            "| "
            + " | ".join(
                [
                    STEP_LABELS.get(step, step),
                    f"{measured['seconds']:.2f} ({len(measured['runs'])})",
                    _rss(measured.get("peak_rss_bytes")),
                    _number(measured.get("rows")),
                    floor.get("what", "—"),
                    f"{floor['seconds']:.2f}" if "seconds" in floor else "—",
                    _ratio(step, measured.get("ratio")),
                    _number(measured.get("us_per_event"), 2),
                ]
            )
            + " |"
        )
    for step in ("build", "daily_build"):
        nodes = result["steps"].get(step, {}).get("nodes")
        if nodes:
            lines += ["", f"{STEP_LABELS[step]}: {describe(nodes)}"]
    history = result.get("history")
    if history:
        half, full = history["half"], history["full"]
        lines += [
            "",
            f"History doubling ({half['months']} -> {full['months']} months, {half['events']:,} -> "
            f"{full['events']:,} events): full build {half['build_seconds']:.1f} -> "
            f"{full['build_seconds']:.1f} s "
            f"({history['build_ratio']:.2f}x), daily build {half['daily_build_seconds']:.1f} -> "
            f"{full['daily_build_seconds']:.1f} s (**{history['daily_build_ratio']:.2f}x**, target "
            f"{history['target_daily_build_ratio']}x)",
        ]
    return "\n".join(lines)


def growth_table(tiers: dict[str, dict[str, Any]]) -> str:
    """Microseconds per event of every step, tier by tier: a figure that rises with size is a cost that
    grows faster than the data."""
    names = list(tiers)
    steps = [step for step in STEP_LABELS if any(step in tiers[name]["steps"] for name in names)]
    lines = [
        "### cost per event (µs), tier by tier",
        "",
        "| step | " + " | ".join(f"{name} ({tiers[name]['events']:,} events)" for name in names) + " |",
        "| --- |" + " --- |" * len(names),
    ]
    for step in steps:
        cells = [_number(tiers[name]["steps"].get(step, {}).get("us_per_event"), 2) for name in names]
        lines.append(f"| {STEP_LABELS[step]} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(results: dict[str, Any]) -> str:
    parts = [
        f"## account-health bench ({results['machine']['cpus']} CPUs, DuckDB {results['duckdb']}, "
        f"medians of up to {results['runs']} runs for steps under {results['short_seconds']} s)"
    ]
    parts += [tier_table(tier, result) for tier, result in results["tiers"].items()]
    if len(results["tiers"]) > 1:
        parts.append(growth_table(results["tiers"]))
    landing = results.get("landing")
    if landing:
        big, small = landing["big_file"], landing["small_files"]
        parts.append(
            "### landing (bench/landing.py)\n\n"
            f"- {small['files']:,} one-row files: {small['median_seconds']} s "
            f"(target {small['target_seconds']} s)\n"
            f"- {big['rows']:,}-row CSV: {big['median_land_seconds']} s vs plain read "
            f"{big['median_plain_read_seconds']} s: {big['ratio']}x (target {big['target_ratio']}x)"
        )
    return "\n\n".join(parts) + "\n"
