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


def last_month(fy: int, upto: Period | None) -> Period:
    """The last month a table shows: the chosen month when it falls in fy, else March."""
    months = periods.months_of_year(fy)
    if upto is not None and months[0].start <= upto.end <= months[-1].end:
        return periods.month(upto.end.year, upto.end.month)
    return months[-1]


def target_text(ind: Indicator, target: Any) -> str:
    return "-" if target is None else f"{float(target):g}{'%' if ind.unit == '%' else ''}"


def figure(f: Facts, number: str, fy: int, upto: Period | None = None) -> list[FigureRow]:
    """The seed's layout: April to March, the year to date, the target, the previous
    year. Months after `upto` (the chosen month) are blank; the year to date runs to
    it (a snapshot's year to date is its value at that month's end, as the seed's
    Figure 11 gives March's count); the previous year is the whole financial year."""
    pops = engine.population_table()
    months = periods.months_of_year(fy)
    last = last_month(fy, upto)
    ytd = periods.year_to_date(last.end)
    previous = periods.financial_year(fy - 1)
    rows = []
    for code in FIGURES[number][1]:
        ind = LIBRARY[code]
        cells = []
        for p in months:
            if p.start > last.end:
                cells.append(Cell(""))
                continue
            v = engine.council_value(f, ind, p, pops)
            cells.append(Cell(v.display(ind), p, v))
        yv = engine.council_value(f, ind, ytd, pops)
        lv = engine.council_value(f, ind, previous, pops)
        rows.append(
            FigureRow(
                ind,
                code if code.startswith("N") and code[1:].isdigit() else "Local",
                cells,
                Cell(yv.display(ind), ytd, yv),
                target_text(ind, engine.target_for(code, fy)),
                Cell(lv.display(ind), previous, lv),
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


def figure_12(f: Facts, fy: int, upto: Period | None = None) -> dict[str, Any]:
    """Plans started from 1 April to the chosen month (the whole year for a past year)."""
    from .models import Benchmark
    from .services import FIGURE_12_COMPARATORS

    pops = engine.population_table()
    last = last_month(fy, upto)
    p = periods.financial_year(fy) if last.end.month == 3 else periods.year_to_date(last.end)
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
