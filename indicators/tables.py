"""Seed 001 Figures 10-15 as the seed lays them out, for pages and Excel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from . import engine, periods
from .facts import Facts
from .library import CATEGORY_ROWS, LIBRARY, Indicator
from .periods import Period

FIGURES: dict[str, tuple[str, list[str]]] = {
    "10": ("MASH and referral assessment activity", ["CONTACTS", "REFERRALS", "RE-REF", "REF-CSE", "N9", "N7", "N14"]),
    "11": ("Children subject to a child protection plan", ["CPP", "N19", "CPP-BME", "CPP-DIS"]),
    "13": ("Number of children in care", ["CLA", "CLA-SEN", "CLA-BME"]),
    "15": ("MASE contacts", ["CLA-MISS24", "MASE-NEW", "CIN-PLAN", "N22", "PROC-ISSUED"]),
}
FIGURE_12 = "Children becoming subject to a plan for physical, emotional or sexual abuse or neglect"


@dataclass
class Cell:
    text: str
    period: Period | None = None
    value: engine.Value | None = None


@dataclass
class FigureRow:
    ind: Indicator
    type: str
    months: list[Cell]
    ytd: Cell
    target: str
    previous_year: Cell


def figure(f: Facts, number: str, fy: int) -> list[FigureRow]:
    pops = engine.population_table()
    months = periods.months_of_year(fy)
    ytd = periods.financial_year(fy)
    last = periods.financial_year(fy - 1)
    rows = []
    for code in FIGURES[number][1]:
        ind = LIBRARY[code]
        cells = []
        for p in months:
            v = engine.council_value(f, ind, p, pops)
            cells.append(Cell(v.display(ind), p, v))
        yv = engine.council_value(f, ind, ytd, pops)
        lv = engine.council_value(f, ind, last, pops)
        target = engine.target_for(code, fy)
        rows.append(
            FigureRow(
                ind,
                code if code.startswith("N") and code[1:].isdigit() else "Local",
                cells,
                Cell(yv.display(ind), ytd, yv),
                "-" if target is None else f"{target:g}{'%' if ind.unit == '%' else ''}",
                Cell(lv.display(ind), last, lv),
            )
        )
    return rows


@dataclass
class CategoryRow:
    ind: Indicator
    label: str
    number: int
    percent: str
    benchmarks: list[tuple[str, str]]  # (number, %) per comparator


def figure_12(f: Facts, fy: int) -> dict[str, Any]:
    from .models import Benchmark
    from .services import FIGURE_12_COMPARATORS

    pops = engine.population_table()
    p = periods.financial_year(fy)
    bench_year = (
        Benchmark.objects.filter(indicator__startswith="CAT-", year__lt=fy)
        .order_by("-year")
        .values_list("year", flat=True)
        .first()
    )
    marks: dict[tuple[str, str], Benchmark] = {}
    if bench_year is not None:
        for b in Benchmark.objects.filter(indicator__startswith="CAT-", year=bench_year):
            marks[(b.indicator, b.comparator)] = b
    rows, total = [], 0
    for code, label, _ in CATEGORY_ROWS:
        ind = LIBRARY[code]
        v = engine.council_value(f, ind, p, pops)
        total = v.denominator
        cells = []
        for comparator, _ in FIGURE_12_COMPARATORS:
            mark = marks.get((code, comparator))
            cells.append(
                (
                    f"{mark.count:,}" if mark and mark.count is not None else "-",
                    f"{mark.value:.0f}%" if mark and mark.value is not None else "-",
                )
            )
        rows.append(CategoryRow(ind, label, v.numerator, "-" if v.value is None else f"{v.value:.0f}%", cells))
    started = engine.council_value(f, LIBRARY["CPP-NEW"], p, pops)
    pop = engine.population_for(pops, p.end)
    bench_totals = []
    for comparator, _ in FIGURE_12_COMPARATORS:
        counts = [marks[(c, comparator)].count for c, _, _ in CATEGORY_ROWS if (c, comparator) in marks]
        bench_totals.append(f"{sum(x for x in counts if x):,}" if counts else "-")
    return {
        "rows": rows,
        "total": total,
        "rate": None if not pop else 10_000 * started.numerator / pop,
        "period": p,
        "bench_year": bench_year,
        "comparators": [label if c != "council" else "This council" for c, label in FIGURE_12_COMPARATORS],
        "bench_totals": bench_totals,
    }
