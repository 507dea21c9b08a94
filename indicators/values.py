"""Every indicator's value for the whole council over one period, as plain records
for analysts' workbooks (manage.py indicator_values; issue 14 point 4).

The numbers are the engine's (engine.compute at council level), so they are the ones the
pages show for the same period: snapshots are taken at the period's last day, cumulative
indicators run from 1 April of that day's financial year, the adoption indicators over the
3 years to that day (decision 0021)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from io import StringIO
from typing import Any

from exports.writer import csv_writer

from . import engine, facts
from .library import AVERAGE, COUNT, LIBRARY, RATE
from .periods import Period

FIELDS = ("code", "name", "numerator", "denominator", "value", "unit")


class UnknownIndicator(ValueError):
    pass


def period_between(start: dt.date, end: dt.date) -> Period:
    if end < start:
        raise ValueError(f"the period ends ({end.isoformat()}) before it starts ({start.isoformat()})")
    return Period("custom", start, end, f"{start.isoformat()} to {end.isoformat()}")


def resolve(codes: Iterable[str] | None) -> list[str]:
    """The codes asked for, in the library's order; every code in LIBRARY when none."""
    if not codes:
        return list(LIBRARY)
    wanted = [c.strip().upper() for c in codes if c.strip()]
    unknown = [c for c in wanted if c not in LIBRARY]
    if unknown:
        raise UnknownIndicator(f"unknown indicator code(s): {', '.join(unknown)} (see docs/indicators.md)")
    return [c for c in LIBRARY if c in set(wanted)]


def council_values(p: Period, codes: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """One record per indicator: code, name, numerator, denominator, value, unit.
    count: numerator = value, no denominator; percent: the two counts; rate: the count and the
    under-18 population; average: the total and the number of records averaged."""
    f = facts.load()
    pops = engine.population_table()
    out = []
    for code in resolve(codes):
        ind = LIBRARY[code]
        v = engine.council_value(f, ind, p, pops)
        numerator: float | int = v.numerator
        denominator: int | None = v.denominator
        if ind.measure == COUNT:
            denominator = None
        elif ind.measure == AVERAGE:
            rows = engine.rows_for(f, ind, p)
            numerator = sum(r.value for r in rows if r.value is not None)
        elif ind.measure == RATE and not denominator:
            denominator = None
        out.append(
            {
                "code": code,
                "name": ind.name,
                "numerator": numerator,
                "denominator": denominator,
                "value": None if v.value is None else round(v.value, 4),
                "unit": ind.unit,
            }
        )
    return out


def as_json(records: list[dict[str, Any]]) -> str:
    return json.dumps(records, indent=2) + "\n"


def as_csv(records: list[dict[str, Any]]) -> str:
    """Through the shared writer (decision 0017): a name starting like a formula stays text."""
    buffer = StringIO()
    writer = csv_writer(buffer, lineterminator="\n")
    writer.writerow(FIELDS)
    for r in records:
        writer.writerow(["" if r[k] is None else r[k] for k in FIELDS])
    return buffer.getvalue()
