"""Server-rendered SVG charts: the template draws what these functions measure."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 240, 48, 12, 12, 36


# Benchmark lines: each its own colour and dash (GOV.UK palette), named in the legend.
BENCHMARK_STYLES = (("#505a5f", "2 3"), ("#f47738", "8 3"), ("#912b88", "1 3"), ("#00703c", "6 2 1 2"))


@dataclass
class Line:
    label: str
    points: str
    css: str
    y: float | None = None  # for horizontal lines
    stroke: str = ""
    dash: str = ""


@dataclass
class Chart:
    width: int = WIDTH
    height: int = HEIGHT
    lines: list[Line] = field(default_factory=list)
    dots: list[tuple[float, float, str]] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    y_labels: list[tuple[float, str]] = field(default_factory=list)
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT
    bottom_edge: int = HEIGHT - BOTTOM
    description: str = ""
    unit: str = ""  # the y axis's unit, written above it ("%", "days", "per 10,000")


def line_chart(
    labels: list[str],
    values: list[float | None],
    target: float | None = None,
    benchmarks: list[tuple[str, float]] | None = None,
    description: str = "",
    unit: str = "",
) -> Chart:
    benchmarks = benchmarks or []
    known = [v for v in values if v is not None]
    scale = known + ([target] if target is not None else []) + [b for _, b in benchmarks]
    top = max(scale) if scale else 1.0
    top = top * 1.1 if top > 0 else 1.0
    chart = Chart(description=description, unit=unit)
    inner_w = WIDTH - LEFT - RIGHT
    inner_h = HEIGHT - TOP - BOTTOM
    n = max(len(labels), 1)

    def x(i: int) -> float:
        return LEFT + (inner_w * (i + 0.5) / n)

    def y(v: float) -> float:
        return TOP + inner_h * (1 - v / top)

    pts = [f"{x(i):.1f},{y(v):.1f}" for i, v in enumerate(values) if v is not None]
    if target is not None:
        chart.lines.append(
            Line("Target", f"{LEFT},{y(target):.1f} {WIDTH - RIGHT},{y(target):.1f}", "target", y(target))
        )
    for i, (label, v) in enumerate(benchmarks):
        stroke, dash = BENCHMARK_STYLES[i % len(BENCHMARK_STYLES)]
        chart.lines.append(
            Line(
                f"{label}: {v:,.1f}",
                f"{LEFT},{y(v):.1f} {WIDTH - RIGHT},{y(v):.1f}",
                f"benchmark benchmark-{i % len(BENCHMARK_STYLES)}",
                y(v),
                stroke,
                dash,
            )
        )
    chart.lines.append(Line("This council", " ".join(pts), "value"))
    chart.dots = [(x(i), y(v), f"{v:,.1f}") for i, v in enumerate(values) if v is not None]
    chart.x_labels = [(x(i), label) for i, label in enumerate(labels)]
    chart.y_labels = [(y(top * k / 4), f"{top * k / 4:,.0f}") for k in range(5)]
    return chart


def sparkline(values: list[float | None], width: int = 120, height: int = 28) -> dict[str, Any]:
    known = [v for v in values if v is not None]
    if not known:
        return {"points": "", "width": width, "height": height}
    lo, hi = min(known), max(known)
    span = (hi - lo) or 1.0
    n = max(len(values) - 1, 1)
    pts = [
        f"{2 + (width - 4) * i / n:.1f},{height - 2 - (height - 4) * (v - lo) / span:.1f}"
        for i, v in enumerate(values)
        if v is not None
    ]
    return {"points": " ".join(pts), "width": width, "height": height}
