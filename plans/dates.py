"""Reading the dates plans are written with: "Mar 2013", "by Sept 2013",
"31/03/2013", "Mar – Oct 2013", "Apr 2013 / Jul 2013", Excel dates.
A month on its own means the last day of that month (a milestone "– Mar 2013"
is due by the end of March)."""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = {
    "jan": 1,
    "feb": 2,
    "mar": 3,
    "apr": 4,
    "may": 5,
    "jun": 6,
    "jul": 7,
    "aug": 8,
    "sep": 9,
    "sept": 9,
    "oct": 10,
    "nov": 11,
    "dec": 12,
}
MONTH = r"(jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
DASHES = re.compile(r"\s+[–—-]\s+")


class BadDate(ValueError):
    """Looks like a date but is not a real one (31/02/2018)."""


def _real(year: int, month: int, day: int, text: str) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise BadDate(f"'{text}' is not a real date") from None


def month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_one(text: str) -> dt.date | None:
    """One date phrase, or None when the text is not a date. Raises BadDate."""
    t = " ".join(text.strip().lower().replace(",", " ").split())
    t = re.sub(r"^(by|due|w/c|wc|week commencing|end of|end)\s+", "", t)
    if not t:
        return None
    m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", t)
    if m:
        return _real(int(m[1]), int(m[2]), int(m[3]), text)
    m = re.fullmatch(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})", t)
    if m:
        year = int(m[3]) + (2000 if len(m[3]) == 2 else 0)
        return _real(year, int(m[2]), int(m[1]), text)
    m = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?\s+" + MONTH + r"\s+(\d{4})", t)
    if m:
        return _real(int(m[3]), MONTHS[m[2]], int(m[1]), text)
    m = re.fullmatch(MONTH + r"\s+(\d{4})", t)
    if m:
        return month_end(int(m[2]), MONTHS[m[1]])
    return None


def parse_dates(text: str) -> list[dt.date] | None:
    """A phrase of one or more dates: "Apr 2013 / Jul 2013", "Mar – Oct 2013" (a range
    gives its end). None when any part is not a date."""
    parts = [p for p in re.split(r"\s*/\s*(?=[a-z]{3}|\d{1,2}\s)", text.strip(), flags=re.I) if p.strip()]
    if not parts:
        return None
    out = []
    for part in parts:
        pieces = DASHES.split(part.strip())
        if len(pieces) == 2 and re.fullmatch(MONTH, pieces[0].strip().lower()):
            pieces = pieces[1:]  # "Mar – Oct 2013": the range ends in October
        if len(pieces) != 1:
            return None
        day = parse_one(pieces[0])
        if day is None:
            return None
        out.append(day)
    return out


def to_date(value: object) -> dt.date | None:
    """An Excel cell: a datetime or a date phrase."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        return parse_one(value)
    return None


def split_dated(line: str) -> tuple[str, list[dt.date], str]:
    """A milestone line "Conference held – Nov 2013" -> (text, dates, date text).
    The date follows the first dash whose remainder reads as dates; "– by Sept 2013"
    and "– Mar – Oct 2013" are read too. No date: (line, [], tail after the dash or '')."""
    spans = [m for m in DASHES.finditer(line)]
    for m in spans:
        tail = line[m.end() :].strip()
        try:
            dates = parse_dates(tail)
        except BadDate:
            raise
        if dates:
            return line[: m.start()].strip(), dates, tail
    if spans:
        last = spans[-1]
        return line[: last.start()].strip(), [], line[last.end() :].strip()
    return line.strip(), [], ""


TRAILING = re.compile(r"^(.*?)\s+((?:\d{1,2}\s+)?" + MONTH + r"\s+\d{4})$", re.I)


def trailing_date(line: str) -> tuple[str, dt.date] | None:
    """ "Business Manager July 2013" -> ("Business Manager", 31 Jul 2013)."""
    m = TRAILING.match(line.strip())
    if not m:
        return None
    day = parse_one(m[2])
    return (m[1].strip(), day) if day else None
