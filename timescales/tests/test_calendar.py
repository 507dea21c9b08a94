"""Hand-worked cases for the working-day calendar (bank holidays: gov.uk/bank-holidays)."""

import datetime as dt

import pytest

from timescales.calendar import WorkingCalendar, add_months, end_of_term

D = dt.date
cal = WorkingCalendar()


@pytest.mark.parametrize(
    "start, days, due",
    [
        (D(2024, 3, 4), 1, D(2024, 3, 5)),  # Monday -> Tuesday
        (D(2024, 3, 8), 1, D(2024, 3, 11)),  # Friday -> Monday
        (D(2024, 3, 9), 1, D(2024, 3, 11)),  # Saturday -> Monday
        (D(2024, 3, 28), 1, D(2024, 4, 2)),  # Thursday before Easter: Good Friday and Easter Monday skipped
        (D(2024, 12, 24), 1, D(2024, 12, 27)),  # Christmas Eve -> 27th (25th, 26th bank holidays)
        (D(2022, 12, 23), 1, D(2022, 12, 28)),  # 2022: Christmas on Sunday, substitute day Tuesday 27th
        (D(2020, 12, 31), 1, D(2021, 1, 4)),  # New Year's Eve Thursday -> Monday 4 January
        (D(2022, 9, 16), 1, D(2022, 9, 20)),  # Queen's state funeral, Monday 19 September 2022
        (D(2023, 5, 5), 1, D(2023, 5, 9)),  # Coronation bank holiday, Monday 8 May 2023
        (D(2024, 2, 28), 1, D(2024, 2, 29)),  # leap day is a working day
        # 45 working days from Monday 2 December 2024: 3 bank holidays in the window.
        (D(2024, 12, 2), 45, D(2025, 2, 6)),
        # 15 working days from Thursday 14 March 2024 across Easter.
        (D(2024, 3, 14), 15, D(2024, 4, 8)),  # Fri 15 ... Thu 28 = 10, Tue 2 April = 11, Mon 8 April = 15
    ],
)
def test_add_working_days(start, days, due):
    assert cal.add_working_days(start, days) == due


def test_working_days_between_counts_after_start_up_to_end():
    assert cal.working_days_between(D(2024, 3, 4), D(2024, 3, 4)) == 0
    assert cal.working_days_between(D(2024, 3, 4), D(2024, 3, 8)) == 4
    assert cal.working_days_between(D(2024, 12, 2), D(2025, 2, 6)) == 45
    assert cal.working_days_between(D(2024, 3, 8), D(2024, 3, 4)) == -4


def test_local_closure_days_are_not_working_days():
    closed = WorkingCalendar(closures=frozenset({D(2024, 12, 27), D(2024, 12, 30), D(2024, 12, 31)}))
    assert closed.add_working_days(D(2024, 12, 24), 1) == D(2025, 1, 2)
    assert cal.add_working_days(D(2024, 12, 24), 1) == D(2024, 12, 27)


@pytest.mark.parametrize(
    "start, months, due",
    [
        (D(2024, 1, 15), 3, D(2024, 4, 15)),
        (D(2023, 8, 31), 6, D(2024, 2, 29)),  # leap year: last day of February
        (D(2022, 8, 31), 6, D(2023, 2, 28)),
        (D(2024, 2, 29), 12, D(2025, 2, 28)),  # from a leap day
        (D(2024, 11, 30), 3, D(2025, 2, 28)),
        (D(2024, 10, 15), 6, D(2025, 4, 15)),  # across a year end
    ],
)
def test_add_months_runs_to_the_same_day(start, months, due):
    assert add_months(start, months) == due


@pytest.mark.parametrize(
    "day, terms, end",
    [
        (D(2024, 10, 10), 1, D(2025, 3, 31)),  # PEP in the autumn term: review by the end of spring
        (D(2025, 2, 1), 1, D(2025, 8, 31)),
        (D(2025, 5, 1), 1, D(2025, 12, 31)),
        (D(2025, 5, 1), 0, D(2025, 8, 31)),
        (D(2024, 12, 31), 3, D(2025, 12, 31)),
    ],
)
def test_end_of_term(day, terms, end):
    assert end_of_term(day, terms) == end
