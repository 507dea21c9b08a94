"""Working days for the generator: weekends and England and Wales bank holidays
are not working days (DOMAIN.md section 2). Month arithmetic runs to the same
day N months later, or the month's last day when that day does not exist."""

import calendar as _calendar
from datetime import date, timedelta

import holidays


def add_months(d: date, months: int) -> date:
    month0 = d.month - 1 + months
    year, month = d.year + month0 // 12, month0 % 12 + 1
    return date(year, month, min(d.day, _calendar.monthrange(year, month)[1]))


def add_years(d: date, years: int) -> date:
    return add_months(d, 12 * years)


class WorkingDays:
    """A precomputed calendar: add(d, n) is the nth working day after d."""

    def __init__(self, first: date, last: date) -> None:
        bank = holidays.country_holidays("GB", subdiv="ENG", years=range(first.year, last.year + 1))
        self._first = first.toordinal()
        self._last = last.toordinal()
        self._days: list[int] = []
        # _le[i]: index in _days of the last working day on or before first + i (-1 if none).
        self._le: list[int] = []
        d = first
        one = timedelta(days=1)
        while d <= last:
            if d.weekday() < 5 and d not in bank:
                self._days.append(d.toordinal())
            self._le.append(len(self._days) - 1)
            d += one
        self.bank_holidays = frozenset(bank.keys())

    def is_working(self, d: date) -> bool:
        return d.weekday() < 5 and d not in self.bank_holidays

    def add(self, d: date, n: int) -> date:
        o = d.toordinal()
        if self._first <= o <= self._last:
            j = self._le[o - self._first] + n
            if 0 <= j < len(self._days) and self._le[o - self._first] >= 0:
                return date.fromordinal(self._days[j])
        # Outside the precomputed range: five working days to the week.
        return d + timedelta(days=(n * 7) // 5)

    def between(self, a: date, b: date) -> int:
        """Working days after a up to and including b."""
        oa, ob = a.toordinal(), b.toordinal()
        if self._first <= oa <= self._last and self._first <= ob <= self._last:
            return self._le[ob - self._first] - self._le[oa - self._first]
        return ((ob - oa) * 5) // 7
