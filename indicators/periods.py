"""Reporting periods. The financial year runs 1 April to 31 March; `fy` is the
year it starts in (fy 2024 = April 2024 to March 2025, "2024-25")."""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass

from timescales.calendar import add_months

MONTHS = ("Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec", "Jan", "Feb", "Mar")


@dataclass(frozen=True)
class Period:
    kind: str  # month, quarter, ytd, year, rolling12
    start: dt.date
    end: dt.date  # inclusive
    label: str

    @property
    def fy(self) -> int:
        return fy_of(self.end)

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def key(self) -> str:
        return f"{self.kind}:{self.start.isoformat()}:{self.end.isoformat()}"


def fy_of(day: dt.date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def fy_label(fy: int) -> str:
    return f"{fy}-{(fy + 1) % 100:02d}"


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def month(year: int, month_no: int) -> Period:
    start = dt.date(year, month_no, 1)
    return Period("month", start, month_end(year, month_no), start.strftime("%b %Y"))


def months_of_year(fy: int) -> list[Period]:
    return [month(fy + (1 if m < 4 else 0), m) for m in (4, 5, 6, 7, 8, 9, 10, 11, 12, 1, 2, 3)]


def quarter(fy: int, q: int) -> Period:
    ms = months_of_year(fy)[(q - 1) * 3 : q * 3]
    return Period("quarter", ms[0].start, ms[-1].end, f"Q{q} {fy_label(fy)}")


def financial_year(fy: int) -> Period:
    return Period("year", dt.date(fy, 4, 1), dt.date(fy + 1, 3, 31), fy_label(fy))


def year_to_date(day: dt.date) -> Period:
    """From 1 April to the end of day's month."""
    fy = fy_of(day)
    return Period("ytd", dt.date(fy, 4, 1), month_end(day.year, day.month), f"{fy_label(fy)} to {day:%b %Y}")


def rolling_12(day: dt.date) -> Period:
    """The 12 months ending with day's month."""
    end = month_end(day.year, day.month)
    start = add_months(dt.date(day.year, day.month, 1), -11)
    return Period("rolling12", start, end, f"12 months to {day:%b %Y}")


def parse(kind: str, fy: int, index: int = 0) -> Period:
    """Period from the query string: kind month|quarter|ytd|year|rolling12;
    index is the month (1-12, April = 1) or quarter (1-4) of fy."""
    if kind == "month":
        return months_of_year(fy)[min(max(index, 1), 12) - 1]
    if kind == "quarter":
        return quarter(fy, min(max(index, 1), 4))
    if kind == "ytd":
        return year_to_date(months_of_year(fy)[min(max(index, 1), 12) - 1].end)
    if kind == "rolling12":
        return rolling_12(months_of_year(fy)[min(max(index, 1), 12) - 1].end)
    return financial_year(fy)


def same_period_last_year(p: Period) -> Period:
    start, end = add_months(p.start, -12), add_months(p.end, -12)
    if p.end.month == 2 and p.end.day >= 28:  # keep month ends at month ends (leap years)
        end = month_end(end.year, 2)
    labels = {"month": end.strftime("%b %Y"), "year": fy_label(fy_of(end))}
    return Period(p.kind, start, end, labels.get(p.kind, f"{p.label} (previous year)"))


def previous_period(p: Period) -> Period:
    if p.kind == "month":
        prev = add_months(p.start, -1)
        return month(prev.year, prev.month)
    if p.kind == "quarter":
        fy = fy_of(p.start)
        q = (p.start.month - 4) % 12 // 3 + 1
        return quarter(fy - 1, 4) if q == 1 else quarter(fy, q - 1)
    return same_period_last_year(p)
