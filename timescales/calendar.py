"""The working-day calendar for England.

Working days exclude Saturdays, Sundays, England-and-Wales bank holidays (from
the `holidays` package, which follows the proclamations, including one-off
days such as 19 September 2022 and 8 May 2023) and any local closure days a
council records (e.g. the days between Christmas and New Year)."""

from __future__ import annotations

import calendar as _calendar
import datetime as dt
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day N months later ("within N months runs to the same day N
    months later", DOMAIN.md). Where that month is shorter, the last day of the
    month: 31 August + 6 months is 28 (or 29) February."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    last = _calendar.monthrange(year, month)[1]
    return dt.date(year, month, min(day.day, last))


@dataclass
class WorkingCalendar:
    closures: frozenset[dt.date] = field(default_factory=frozenset)
    first_year: int = 2000
    last_year: int = 2040

    @cached_property
    def _non_working(self) -> frozenset[dt.date]:
        import holidays  # here, not at the top: 30 ms that every command and worker would pay at start-up

        bank = holidays.country_holidays("GB", subdiv="ENG", years=range(self.first_year, self.last_year + 1))
        return frozenset(bank.keys()) | self.closures

    @cached_property
    def _working_days(self) -> list[dt.date]:
        # Every working day in range, sorted: counting becomes two binary searches.
        day, last = dt.date(self.first_year, 1, 1), dt.date(self.last_year, 12, 31)
        days = []
        while day <= last:
            if day.weekday() < 5 and day not in self._non_working:
                days.append(day)
            day += dt.timedelta(days=1)
        return days

    def is_working_day(self, day: dt.date) -> bool:
        return day.weekday() < 5 and day not in self._non_working

    def _count_up_to(self, day: dt.date) -> int:
        """How many working days fall on or before day."""
        return bisect_right(self._working_days, day)

    def add_working_days(self, start: dt.date, days: int) -> dt.date:
        """The Nth working day after start. Start itself never counts, so a
        referral received on a Friday is due a decision on Monday (1 working
        day); one received on a Saturday is due on Monday too."""
        if days <= 0:
            raise ValueError("add_working_days counts forward from a clock start")
        return self._working_days[self._count_up_to(start) + days - 1]

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days after start, up to and including end (negative when end is earlier)."""
        return self._count_up_to(end) - self._count_up_to(start)

    def bank_holidays(self, year: int) -> list[dt.date]:
        return sorted(d for d in self._non_working if d.year == year and d not in self.closures)


# Weekends and bank holidays only: what every statutory deadline and national measure counts.
NATIONAL = WorkingCalendar()


def calendar_with(closures: Iterable[dt.date]) -> WorkingCalendar:
    return WorkingCalendar(closures=frozenset(closures))


# School terms as the PEP rule counts them: spring (January to March), summer
# (April to August, the holiday going with the summer term) and autumn
# (September to December). Councils' term dates differ by days, not by terms.
TERM_ENDS = ((3, 31), (8, 31), (12, 31))


def term_index(day: dt.date) -> int:
    return day.year * 3 + (0 if day.month < 4 else 1 if day.month < 9 else 2)


def end_of_term(day: dt.date, terms_later: int) -> dt.date:
    """The last day of the term `terms_later` terms after the one containing day."""
    year, term = divmod(term_index(day) + terms_later, 3)
    month, last = TERM_ENDS[term]
    return dt.date(year, month, last)
