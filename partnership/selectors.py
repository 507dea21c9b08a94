"""Reading partnership business: who may see it, open allegations by age, and the
annual report tables (seed 001 sections 2.11, 3.3 and 4.5)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import Role
from children.selectors import children_in_scope
from timescales.calendar import add_months

from .models import (
    Allegation,
    Category,
    LadoSettings,
    Outcome,
    Sector,
    Source,
)

# Allegations name adults and, through a linked child, children: the partnership's
# business manager and the system administrator only (decision 0015). The designated
# officer (LADO) is given the business manager's role until a role of their own exists.
PARTNERSHIP_ROLES = {Role.BOARD_MANAGER, Role.ADMINISTRATOR}


def today() -> dt.date:
    return timezone.localdate()


def may_use(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.role in PARTNERSHIP_ROLES)


def may_see_child(user: Any, allegation: Allegation) -> bool:
    """A linked child is shown only to someone whose scope includes that child."""
    return allegation.child_id is not None and children_in_scope(user).filter(pk=allegation.child_id).exists()


def financial_year(day: dt.date) -> tuple[dt.date, dt.date]:
    """1 April to 31 March, the year the annual report covers."""
    start_year = day.year if day.month >= 4 else day.year - 1
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


# --- allegations --------------------------------------------------------------


def target_months() -> int:
    row = LadoSettings.objects.first()
    return row.target_months if row else LadoSettings._meta.get_field("target_months").get_default()


def allegations_in(start: dt.date, end: dt.date) -> QuerySet[Allegation]:
    return Allegation.objects.filter(referral_date__gte=start, referral_date__lte=end)


@dataclass
class OpenCase:
    allegation: Allegation
    age_days: int
    due: dt.date  # the target date: referral date + target months
    overdue: bool


def open_cases(on: dt.date | None = None, months: int | None = None) -> list[OpenCase]:
    """Allegations referred by `on` and not closed by it, oldest first. One is overdue
    when `on` is after the same day `months` months after its referral."""
    on = on or today()
    months = months or target_months()
    rows = (
        Allegation.objects.filter(referral_date__lte=on)
        .exclude(closed_date__lte=on)
        .select_related("agency")
        .order_by("referral_date", "pk")
    )
    out = []
    for a in rows:
        due = add_months(a.referral_date, months)
        out.append(OpenCase(a, (on - a.referral_date).days, due, on > due))
    return out


@dataclass
class Row:
    label: str
    count: int
    percent: float  # of the table's total, 0 when the total is 0


@dataclass
class Table:
    title: str
    heading: str
    rows: list[Row]
    total: int


def _table(title: str, heading: str, counts: Counter[str], labels: list[tuple[str, str]], blank: str = "") -> Table:
    total = sum(counts.values())
    rows = []
    for value, label in labels + ([("", blank)] if blank else []):
        n = counts.get(value, 0)
        rows.append(Row(label, n, round(100 * n / total, 1) if total else 0.0))
    return Table(title, heading, rows, total)


@dataclass
class LadoReport:
    start: dt.date
    end: dt.date
    total: int
    by_sector: Table
    by_agency: Table
    by_category: Table
    by_outcome: Table
    by_source: Table
    strategy_meetings: int
    employer_action: int
    suspended: int
    dismissed: int
    left_employment: int
    convicted_or_cautioned: int
    open_at_end: int


def lado_report(start: dt.date, end: dt.date) -> LadoReport:
    """The annual report tables over allegations referred between start and end
    (inclusive). Outcome counts closed allegations by their outcome; an allegation
    without one yet is 'No outcome yet'."""
    rows = list(allegations_in(start, end).select_related("agency"))
    agencies = sorted({a.agency.name for a in rows if a.agency})
    return LadoReport(
        start=start,
        end=end,
        total=len(rows),
        by_sector=_table("Allegations by sector", "Sector", Counter(a.sector for a in rows), Sector.choices),
        by_agency=_table(
            "Allegations by partner agency",
            "Agency",
            Counter(a.agency.name if a.agency else "" for a in rows),
            [(n, n) for n in agencies],
            blank="No partner agency",
        ),
        by_category=_table("Primary abuse type", "Category", Counter(a.category for a in rows), Category.choices),
        by_outcome=_table(
            "Allegations by outcome",
            "Outcome",
            Counter(a.outcome for a in rows),
            Outcome.choices,
            blank="No outcome yet",
        ),
        by_source=_table(
            "How allegations came to the designated officer",
            "Source",
            Counter(a.source for a in rows),
            Source.choices,
        ),
        strategy_meetings=sum(1 for a in rows if a.strategy_meeting_date),
        employer_action=sum(1 for a in rows if a.employer_action),
        suspended=sum(1 for a in rows if a.suspended),
        dismissed=sum(1 for a in rows if a.dismissed),
        left_employment=sum(1 for a in rows if a.left_employment),
        convicted_or_cautioned=sum(1 for a in rows if a.convicted_or_cautioned),
        open_at_end=sum(1 for a in rows if a.closed_date is None or a.closed_date > end),
    )
