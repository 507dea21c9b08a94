"""Reading indicators for pages, exports and the board pack."""

from __future__ import annotations

import datetime as dt
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.db import connection

from children.models import Child
from children.selectors import children_in_scope

from . import engine, periods
from .facts import Facts, load
from .library import AVERAGE, LIBRARY, PERCENT, RATE, Indicator
from .models import Benchmark, Commentary, Comparator
from .periods import Period
from .themes import THEMES, Theme, theme_of

_lock = threading.Lock()
_cache: dict[str, tuple[float, Facts]] = {}
FACTS_SECONDS = 120  # a page reads the register at most once every two minutes per process


def current_facts(fresh: bool = False) -> Facts:
    key = connection.settings_dict.get("NAME") or "default"
    with _lock:
        hit = _cache.get(str(key))
        if hit and not fresh and time.monotonic() - hit[0] < FACTS_SECONDS:
            return hit[1]
    f = load()
    with _lock:
        _cache[str(key)] = (time.monotonic(), f)
    return f


def clear_cache() -> None:
    with _lock:
        _cache.clear()


def default_month(today: dt.date | None = None) -> Period:
    """The last complete month."""
    today = today or dt.date.today()
    last = today.replace(day=1) - dt.timedelta(days=1)
    return periods.month(last.year, last.month)


def month_from(params: Any) -> Period:
    """?fy=2024&m=12 (m: 1 = April ... 12 = March); default, and at the latest: the last
    complete month (a month still running or to come would show today's snapshot as its end)."""
    last = default_month()
    try:
        fy, m = int(params.get("fy")), int(params.get("m", 12))
        if not 2000 <= fy <= 2100:
            raise ValueError
        chosen = periods.months_of_year(fy)[min(max(m, 1), 12) - 1]
    except (TypeError, ValueError):
        return last
    return last if chosen.end > last.end else chosen


def month_index(p: Period) -> int:
    return (p.end.month - 4) % 12 + 1


@dataclass
class BoardRow:
    ind: Indicator
    month: engine.Value
    ytd: engine.Value
    last_year_ytd: engine.Value
    target: Any
    rag: str
    vs_previous: str
    vs_last_year: str
    spark: dict[str, Any]
    trend: list[engine.Value]
    benchmark: Benchmark | None = None  # the comparator the row is judged against (preferred_benchmarks)
    worse_than_benchmark: bool = False

    @property
    def exception(self) -> bool:
        """Red against target, or worse than its benchmark: what a board is asked to look at first."""
        return self.rag == "red" or self.worse_than_benchmark

    @property
    def theme(self) -> Theme:
        return theme_of(self.ind.code)


def headline_period(ind: Indicator, month: Period) -> Period:
    """What RAG is judged on: the year to date for events, the month end for snapshots."""
    return periods.year_to_date(month.end)


def board(f: Facts, month: Period, codes: list[str] | None = None) -> list[BoardRow]:
    from .charts import sparkline

    pops = engine.population_table()
    rule = engine.current_rule()
    previous = periods.previous_period(month)
    ytd = periods.year_to_date(month.end)
    ytd_last = periods.year_to_date(periods.same_period_last_year(month).end)
    months = []
    day = month.end
    for _ in range(12):
        mp = periods.month(day.year, day.month)
        months.append(mp)
        day = mp.start - dt.timedelta(days=1)
    months.reverse()
    benchmarks = preferred_benchmarks(month.fy)
    out = []
    for code in codes or list(LIBRARY):
        ind = LIBRARY[code]
        m_val = engine.council_value(f, ind, month, pops)
        prev = engine.council_value(f, ind, previous, pops)
        y_val = engine.council_value(f, ind, ytd, pops)
        y_last = engine.council_value(f, ind, ytd_last, pops)
        target = engine.target_for(code, month.fy)
        trend = [engine.council_value(f, ind, mp, pops) for mp in months]
        out.append(
            BoardRow(
                ind,
                m_val,
                y_val,
                y_last,
                target,
                engine.rag(ind, y_val.value, target, y_last.value, rule),
                engine.direction(ind, m_val.value, prev.value),
                engine.direction(ind, y_val.value, y_last.value),
                sparkline([v.value for v in trend]),
                trend,
                benchmarks.get(code) if ind.measure in COMPARABLE else None,
                worse_than(ind, y_val.value, benchmarks.get(code)),
            )
        )
    return out


# A count is no benchmark's equal (a council's size decides it): only rates, percentages and averages are compared.
COMPARABLE = {PERCENT, RATE, AVERAGE}
# The comparator a row is judged against: England, else statistical neighbours, else the region.
PREFERENCE: dict[str, int] = {Comparator.ENGLAND: 0, Comparator.STATISTICAL_NEIGHBOURS: 1, Comparator.REGION: 2}


def preferred_benchmarks(fy: int) -> dict[str, Benchmark]:
    """Each indicator's latest published benchmark up to the financial year fy; in the same year, the preferred
    comparator (PREFERENCE)."""
    chosen: dict[str, Benchmark] = {}
    published = Benchmark.objects.filter(year__lte=fy, value__isnull=False, comparator__in=list(PREFERENCE))
    for b in published.order_by("year"):
        held = chosen.get(b.indicator)
        if held is None or held.year < b.year or PREFERENCE[b.comparator] < PREFERENCE[held.comparator]:
            chosen[b.indicator] = b
    return chosen


def worse_than(ind: Indicator, value: float | None, bench: Benchmark | None) -> bool:
    """Whether the council's value is worse than the benchmark in the indicator's good direction (never for a count,
    nor for an indicator that is neither better higher nor lower)."""
    if value is None or bench is None or bench.value is None or ind.measure not in COMPARABLE:
        return False
    return engine.better(ind, float(bench.value), value) is True


def benchmark_label(bench: Benchmark | None) -> str:
    """'England 2023-24: 22.4' (the region by its name when it has one)."""
    if bench is None or bench.value is None:
        return ""
    name = (bench.label or "Region") if bench.comparator == Comparator.REGION else bench.get_comparator_display()
    return f"{name} {periods.fy_label(bench.year)}: {float(bench.value):,.1f}"


def by_theme(rows: list[BoardRow]) -> list[tuple[Theme, list[BoardRow]]]:
    """The rows under their themes, in the themes' order and each theme's own order; themes with no rows left out."""
    grouped: dict[str, list[BoardRow]] = {}
    for row in rows:
        grouped.setdefault(row.theme.slug, []).append(row)
    out = []
    for theme in THEMES:
        order = {code: i for i, code in enumerate(theme.codes)}
        if theme.slug in grouped:
            out.append((theme, sorted(grouped[theme.slug], key=lambda r: order[r.ind.code])))
    if "other" in grouped:
        out.append((theme_of(""), grouped["other"]))
    return out


def last_import() -> Any:
    """The return whose data was last committed to the register (an ImportRun), or None: the date the figures'
    data was last imported."""
    from returns.models import ImportRun, Status

    committed = ImportRun.objects.filter(status=Status.COMMITTED, committed_at__isnull=False)
    return committed.order_by("-committed_at", "-pk").first()


def drill_children(
    user: Any, f: Facts, ind: Indicator, p: Period, by: str, key: str, part: str
) -> tuple[list[Any], int]:
    """The children behind one number, limited to the user's scope; and how many
    of the counted rows fall outside the scope (shown as a number only)."""
    rows = engine.drill(f, ind, p, by, key, part)
    ids = {r.child for r in rows}
    visible = children_in_scope(user).filter(pk__in=ids).select_related("team", "worker")
    seen = {c.pk: c for c in visible}
    hidden = sum(1 for r in rows if r.child not in seen)
    listed = [(r, seen[r.child]) for r in sorted(rows, key=lambda r: (r.day, r.child)) if r.child in seen]
    return listed, hidden


def commentary_for(code: str, fy: int, quarter: int) -> Commentary | None:
    return Commentary.objects.filter(indicator=code, year=fy, quarter=quarter).first()


def benchmark_lines(code: str, fy: int) -> list[tuple[str, float]]:
    """The latest benchmark of each comparator up to fy."""
    latest: dict[str, Benchmark] = {}
    for b in Benchmark.objects.filter(indicator=code, year__lte=fy, value__isnull=False).order_by("year"):
        latest[b.comparator] = b

    def name(b: Benchmark) -> str:
        return (b.label or "Region") if b.comparator == "region" else b.get_comparator_display()

    return [(f"{name(b)} {periods.fy_label(b.year)}", float(b.value)) for b in latest.values()]  # type: ignore[arg-type]


def child_label(child: Child) -> str:
    return str(child)
