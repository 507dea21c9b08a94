"""From rows to numbers: any indicator, any period, any level, any breakdown.

The register is read once (facts.load); every indicator's rows for a period are
computed once and cached; levels and breakdowns are groupings of those rows."""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from . import periods
from .facts import Facts
from .library import AVERAGE, COUNT, CUMULATIVE, HIGHER, LIBRARY, LOWER, PERCENT, RATE, Indicator, Row, age_on
from .models import Benchmark, Population, RagRule, Target
from .periods import Period

LEVELS = ("council", "service", "team", "worker")
AGE_BANDS = ("Unborn", "Under 1", "1-4", "5-9", "10-15", "16-17", "18+")
POPULATION_BANDS = ("Under 1", "1-4", "5-9", "10-15", "16-17")
ETHNIC_GROUPS = {
    "W": "White",
    "M": "Mixed",
    "A": "Asian or Asian British",
    "B": "Black or Black British",
    "C": "Other ethnic group",
    "O": "Other ethnic group",
}


@dataclass
class Value:
    numerator: int
    denominator: int
    value: float | None

    def display(self, ind: Indicator) -> str:
        if self.value is None:
            return "–" if ind.measure != COUNT else "0"
        if ind.measure == COUNT:
            return f"{self.numerator:,}"
        if ind.measure == PERCENT:
            pct = f"{self.value:.0f}%"
            return f"{self.numerator:,} ({pct})" if ind.show_count else pct
        return f"{self.value:,.1f}"


def effective(ind: Indicator, p: Period) -> Period:
    """A cumulative indicator always runs from 1 April of the period's end's year."""
    if ind.kind == CUMULATIVE:
        start = dt.date(periods.fy_of(p.end), 4, 1)
        return Period(p.kind, start, p.end, p.label)
    return p


ALL_TIME = Period("all", dt.date(1900, 1, 1), dt.date(2999, 12, 31), "all time")


def rows_for(f: Facts, ind: Indicator, p: Period, direct: bool = False) -> list[Row]:
    """The indicator's rows for a period. Events whose rows depend only on their
    own date (ind.sliceable) are computed once for all time and sliced by date;
    `direct` computes the period on its own (the naive benchmark and tests
    check the two agree)."""
    p = effective(ind, p)
    key = ("rows", ind.code, p.start, p.end, direct)
    if key in f.cache:
        return f.cache[key]
    if ind.sliceable and not direct:
        all_key = ("all", ind.code)
        if all_key not in f.cache:
            every = sorted(ind.rows(f, ALL_TIME), key=lambda r: r.day)
            f.cache[all_key] = (every, [r.day for r in every])
        every, days = f.cache[all_key]
        rows = every[bisect_left(days, p.start) : bisect_right(days, p.end)]
    else:
        rows = ind.rows(f, p)
    f.cache[key] = rows
    return rows


def value_of(ind: Indicator, rows: list[Row], population: int | None = None) -> Value:
    n = len(rows)
    if ind.measure == COUNT:
        return Value(n, n, float(n))
    if ind.measure == PERCENT:
        num = sum(1 for r in rows if r.num)
        return Value(num, n, 100.0 * num / n if n else None)
    if ind.measure == RATE:
        return Value(n, population or 0, 10_000.0 * n / population if population else None)
    if ind.measure == AVERAGE:
        vals = [r.value for r in rows if r.value is not None]
        return Value(len(vals), len(vals), sum(vals) / len(vals) if vals else None)
    raise ValueError(ind.measure)


# --- populations ------------------------------------------------------------


def population_table(area: str = "council") -> dict[int, dict[tuple[str, str], int]]:
    out: dict[int, dict[tuple[str, str], int]] = defaultdict(dict)
    for year, band, sex, count in Population.objects.filter(area=area).values_list("year", "age_band", "sex", "count"):
        out[year][(band, sex)] = count
    return dict(out)


def population_for(
    table: dict[int, dict[tuple[str, str], int]], day: dt.date, band: str = "", sex: str = ""
) -> int | None:
    """Under-18 population for the financial year containing day: the mid-year
    estimate of the year that financial year starts, else the latest earlier
    estimate, else the earliest. `band`/`sex` narrow it when the table has them."""
    if not table:
        return None
    fy = periods.fy_of(day)
    earlier = [y for y in table if y <= fy]
    cells = table[max(earlier) if earlier else min(table)]
    total = 0
    for (b, s), count in cells.items():
        if band and b != band:
            continue
        if sex and s != sex:
            continue
        if not band and b != "all" and any(k[0] == "all" for k in cells):
            continue  # a table with both 'all' and bands: use 'all' for the total
        total += count
    if band and not any(b == band for b, _ in cells):
        return None
    if sex and not any(s == sex for _, s in cells):
        return None
    return total or None


# --- grouping -----------------------------------------------------------------


def age_band(f: Facts, child: int, day: dt.date) -> str:
    age = age_on(f, child, day)
    if age is None:
        return "Unborn"
    if age < 1:
        return "Under 1"
    if age < 5:
        return "1-4"
    if age < 10:
        return "5-9"
    if age < 16:
        return "10-15"
    if age < 18:
        return "16-17"
    return "18+"


def ethnic_group(code: str) -> str:
    if not code or code in ("REFU", "NOBT"):
        return "Not known"
    if code in ("CHNE",):
        return "Asian or Asian British"  # Chinese sat in its own group before 2011; DfE now places it with Asian
    return ETHNIC_GROUPS.get(code[0], "Other ethnic group")


def grouper(f: Facts, by: str) -> Callable[[Row], Any]:
    if by == "council":
        return lambda r: "council"
    if by == "team":
        return lambda r: f.holder_at(r.child, r.day)[0]
    if by == "worker":
        return lambda r: f.holder_at(r.child, r.day)[1]
    if by == "service":
        return lambda r: f.service_of_team.get(f.holder_at(r.child, r.day)[0])  # type: ignore[arg-type]
    if by == "age":
        return lambda r: age_band(f, r.child, r.day)
    if by == "sex":
        return lambda r: f.children[r.child].sex
    if by == "ethnicity":
        return lambda r: ethnic_group(f.children[r.child].ethnicity)
    if by == "bme":
        from .library import is_bme

        return lambda r: "BME" if is_bme(f.children[r.child].ethnicity) else "White or not known"
    if by == "disability":
        return lambda r: "Disabled" if r.child in f.disabled else "Not disabled"
    raise ValueError(by)


def split(f: Facts, rows: Iterable[Row], by: str) -> dict[Any, list[Row]]:
    key = grouper(f, by)
    out: dict[Any, list[Row]] = defaultdict(list)
    for r in rows:
        out[key(r)].append(r)
    return out


def compute(
    f: Facts,
    ind: Indicator,
    p: Period,
    by: str = "council",
    pops: dict[int, dict[tuple[str, str], int]] | None = None,
    direct: bool = False,
) -> dict[Any, Value]:
    """The indicator for one period, split by a level or a breakdown.
    Rates have a population only for the council, age bands and sexes."""
    pops = pops if pops is not None else {}
    rows = rows_for(f, ind, p, direct)
    groups = {"council": rows} if by == "council" else split(f, rows, by)
    out = {}
    for key, group in groups.items():
        pop = None
        if ind.measure == RATE:
            if by == "council":
                pop = population_for(pops, p.end)
            elif by == "age":
                pop = population_for(pops, p.end, band=key)
            elif by == "sex":
                pop = population_for(pops, p.end, sex=key)
        out[key] = value_of(ind, group, pop)
    return out


def council_value(f: Facts, ind: Indicator, p: Period, pops: dict[int, dict[tuple[str, str], int]]) -> Value:
    return compute(f, ind, p, "council", pops).get("council") or value_of(ind, [], population_for(pops, p.end))


def drill(
    f: Facts, ind: Indicator, p: Period, by: str = "council", key: Any = "council", part: str = "all"
) -> list[Row]:
    """The rows behind one number (part: all, numerator or 'other' = in the denominator but not the numerator)."""
    rows = rows_for(f, ind, p)
    if by != "council":
        g = grouper(f, by)
        rows = [r for r in rows if str(g(r)) == str(key)]
    if part == "numerator":
        rows = [r for r in rows if r.num]
    elif part == "other":
        rows = [r for r in rows if not r.num]
    return rows


# --- the dataset ----------------------------------------------------------------


def dataset(
    f: Facts, fy: int, by: str = "team", codes: Iterable[str] | None = None
) -> dict[str, dict[str, dict[Any, Value]]]:
    """Every indicator, for each month of the financial year and the year to
    date, split by `by`: {code: {period label: {group: Value}}}."""
    pops = population_table()
    months = periods.months_of_year(fy)
    out: dict[str, dict[str, dict[Any, Value]]] = {}
    for code in codes or LIBRARY:
        ind = LIBRARY[code]
        per: dict[str, dict[Any, Value]] = {}
        for p in [*months, periods.year_to_date(months[-1].end)]:
            per[p.label] = compute(f, ind, p, by, pops)
        out[code] = per
    return out


# --- targets, RAG and direction of travel ------------------------------------------


def target_for(code: str, fy: int) -> Decimal | None:
    """The council's target for the year, else the indicator's national threshold (A1 426 days ...)."""
    target = Target.objects.filter(indicator=code, year=fy).values_list("value", flat=True).first()
    if target is None and code in LIBRARY and LIBRARY[code].threshold is not None:
        return Decimal(str(LIBRARY[code].threshold))
    return target


def current_rule() -> RagRule:
    return RagRule.objects.first() or RagRule(tolerance_percent=Decimal(10), amber_if_improved=True)


def better(ind: Indicator, new: float | None, old: float | None) -> bool | None:
    """Is new better than old in the indicator's good direction (None: cannot say)."""
    if new is None or old is None or ind.polarity not in (HIGHER, LOWER):
        return None
    if new == old:
        return False
    return (new > old) == (ind.polarity == HIGHER)


def off_target(ind: Indicator, value: float, target: float) -> float:
    """How far value is on the wrong side of target, as a % of the target (0 when on or past it)."""
    if ind.polarity == HIGHER:
        gap = target - value
    elif ind.polarity == LOWER:
        gap = value - target
    else:
        gap = abs(value - target)
    if gap <= 0:
        return 0.0
    return float("inf") if target == 0 else 100.0 * gap / abs(target)


def rag(
    ind: Indicator, value: float | None, target: Decimal | float | None, last_year: float | None, rule: RagRule
) -> str:
    """green: no more than the tolerance off target; amber: further off but better
    than the same period last year (if the rule allows); red otherwise; '' when
    there is no target or no value."""
    if value is None or target is None:
        return ""
    off = off_target(ind, value, float(target))
    if off <= float(rule.tolerance_percent):
        return "green"
    if rule.amber_if_improved:
        improved = better(ind, value, last_year)
        if improved is None and ind.polarity not in (HIGHER, LOWER) and last_year is not None:
            improved = abs(value - float(target)) < abs(last_year - float(target))
        if improved:
            return "amber"
    return "red"


def direction(ind: Indicator, new: float | None, old: float | None) -> str:
    """'improving', 'worsening', 'no change', or for neutral indicators 'up' / 'down'; '' when unknown."""
    if new is None or old is None:
        return ""
    if abs(new - old) < 1e-9:
        return "no change"
    if ind.polarity in (HIGHER, LOWER):
        return "improving" if better(ind, new, old) else "worsening"
    return "up" if new > old else "down"


def benchmarks_for(code: str, fy: int | None = None) -> list[Benchmark]:
    qs = Benchmark.objects.filter(indicator=code)
    if fy is not None:
        qs = qs.filter(year=fy)
    return list(qs.order_by("year", "comparator"))


@dataclass
class Headline:
    ind: Indicator
    period: Period
    value: Value
    target: Decimal | None
    rag: str
    previous: Value
    last_year: Value
    vs_previous: str
    vs_last_year: str
    trend: list[tuple[Period, Value]]


def headline(f: Facts, ind: Indicator, p: Period, pops: Any, rule: RagRule, trend_months: int = 12) -> Headline:
    value = council_value(f, ind, p, pops)
    prev = council_value(f, ind, periods.previous_period(p), pops)
    last = council_value(f, ind, periods.same_period_last_year(p), pops)
    target = target_for(ind.code, p.fy)
    trend = []
    day = p.end
    for _ in range(trend_months):
        mp = periods.month(day.year, day.month)
        trend.append((mp, council_value(f, ind, mp, pops)))
        day = mp.start - dt.timedelta(days=1)
    trend.reverse()
    return Headline(
        ind,
        p,
        value,
        target,
        rag(ind, value.value, target, last.value, rule),
        prev,
        last,
        direction(ind, value.value, prev.value),
        direction(ind, value.value, last.value),
        trend,
    )
