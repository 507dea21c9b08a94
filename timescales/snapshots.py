"""The line of sight month by month (decision 0043): each team's figures written once a night for the month
running, and the months before the first recorded one reconstructed from what the register holds.

Each month is one SELECT over the teams (a subquery per measure, the database doing the counting) and one
insert of its rows: never a query per team. Definitions: docs/timescales.md, "Trends"."""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Sum
from django.db.models.functions import Coalesce

from children.models import Child
from children.selectors import open_case
from organisation.models import Team, Worker

from .models import CaseloadPromise, DriftFlag, LineOfSightSnapshot, Obligation, Status, TimescaleRule, Unit

MONTHS = 12  # the trend's length: the month running and the eleven before it
FINISHED = (Status.IN_TIME, Status.LATE)


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(first: dt.date) -> dt.date:
    return first.replace(day=calendar.monthrange(first.year, first.month)[1])


def months_back(first: dt.date, n: int) -> dt.date:
    """The first day of the month n months before `first`'s."""
    index = first.year * 12 + first.month - 1 - n
    return dt.date(index // 12, index % 12 + 1, 1)


def window(today: dt.date) -> list[dt.date]:
    """The first days of the trend's months, oldest first, ending with the month running."""
    current = month_start(today)
    return [months_back(current, n) for n in range(MONTHS - 1, -1, -1)]


def _count(qs: Any, distinct: str | None = None) -> Coalesce:
    """A correlated count per team (0 where none): qs filtered by team=OuterRef("pk")."""
    counted = Count(distinct, distinct=True) if distinct else Count("pk")
    sub = qs.order_by().values("team").annotate(n=counted).values("n")
    return Coalesce(Subquery(sub, output_field=IntegerField()), 0)


def _completed(month: dt.date, until: dt.date) -> dict[str, Coalesce]:
    """Timescales completed in the month (to `until`), and of them those in time: the % in timescale."""
    done = Obligation.objects.filter(
        team=OuterRef("pk"), status__in=FINISHED, completed_on__gte=month, completed_on__lte=until
    )
    return {"completed": _count(done), "in_time": _count(done.filter(status=Status.IN_TIME))}


def record_month(today: dt.date) -> int:
    """Write every team's row for the month running, as the stored obligations, drift flags and caseloads stand
    (the recompute calls this once it has written them), replacing the month's rows; the rows it wrote. A month
    that a later month's recorded rows follow has ended: it is frozen and nothing is written."""
    month = month_start(today)
    if LineOfSightSnapshot.objects.filter(month__gt=month, reconstructed=False).exists():
        return 0
    obligations = Obligation.objects.filter(team=OuterRef("pk"))
    workers = Worker.objects.filter(team=OuterRef("pk"), active=True)
    teams = Team.objects.annotate(
        overdue=_count(obligations.filter(status=Status.OVERDUE)),
        due_soon=_count(obligations.filter(status=Status.DUE_SOON)),
        drift=_count(DriftFlag.objects.filter(team=OuterRef("pk")), distinct="child"),
        **_completed(month, today),
        # As the line-of-sight page counts them (selectors.caseloads_by_team): open cases held by the
        # team's active workers, over those workers' FTE, against the promise for the team's type.
        cases=_count(Child.objects.filter(open_case(today), worker__team=OuterRef("pk"), worker__active=True)),
        fte=Subquery(workers.order_by().values("team").annotate(s=Sum("fte")).values("s")),
        promise=Subquery(CaseloadPromise.objects.filter(team_type=OuterRef("team_type")).values("max_cases")[:1]),
    )
    fields = ("overdue", "due_soon", "drift", "in_time", "completed", "cases", "fte", "promise")
    rows = [
        LineOfSightSnapshot(month=month, team_id=t["pk"], as_of=today, **{f: t[f] for f in fields})
        for t in teams.values("pk", *fields)
    ]
    return _replace(month, rows)


def reconstruct_month(month: dt.date) -> int:
    """Every team's row for a month that has ended and was never recorded, worked out from the stored
    obligations as the register now holds them: what was overdue and due soon on the month's last day, and
    what was completed in the month. Drift and caseloads are left unrecorded (None): drift flags that ended
    are not kept, nor are workers' past FTE. The rows written."""
    end = month_end(month)
    running = (
        Q(clock_start__lte=end)
        & (Q(completed_on__isnull=True) | Q(completed_on__gt=end))  # not yet done then
        & (Q(ended_on__isnull=True) | Q(ended_on__gt=end))  # nor stopped by the case, plan or care ending
        & ~Q(status=Status.UNRECORDED)
    )
    hours = list(TimescaleRule.objects.filter(unit=Unit.HOURS).values_list("pk", flat=True))
    # As rules.Context.status judges on the day: overdue from the day after the due date (a rule in hours: from
    # its due hour, so on its due day by the day's end), due soon within the rule's due-soon days (in hours:
    # whenever running and not overdue).
    overdue = Q(rule_id__in=hours, due_date__lte=end) | (~Q(rule_id__in=hours) & Q(due_date__lt=end))
    due_soon = Q(rule_id__in=hours, due_date__gt=end) | _due_soon_days(end, exclude=hours)
    # One pass over the stored clocks for every team at once (a correlated count per team would read each
    # team's clocks three times), then a row for every team, of noughts where it had none.
    finished = Q(status__in=FINISHED, completed_on__gte=month, completed_on__lte=end)
    counts: dict[int, Any] = {
        c["team"]: c
        for c in Obligation.objects.filter(  # only clocks started by the month's end and not done before it began
            Q(completed_on__isnull=True) | Q(completed_on__gte=month), team__isnull=False, clock_start__lte=end
        )
        .values("team")
        .annotate(
            overdue=Count("pk", filter=running & overdue),
            due_soon=Count("pk", filter=running & due_soon),
            completed=Count("pk", filter=finished),
            in_time=Count("pk", filter=finished & Q(status=Status.IN_TIME)),
        )
        .order_by()
    }
    fields = ("overdue", "due_soon", "in_time", "completed")
    none = dict.fromkeys(fields, 0)
    rows = [
        LineOfSightSnapshot(
            month=month, team_id=pk, as_of=end, reconstructed=True, **{f: counts.get(pk, none)[f] for f in fields}
        )
        for pk in Team.objects.values_list("pk", flat=True)
    ]
    return _replace(month, rows)


def _due_soon_days(end: dt.date, exclude: Iterable[int]) -> Q:
    """Due on or after the day and within the rule's own due-soon days of it: one term per distinct number of
    days the rules use (a handful), not one per rule or per row."""
    by_days: dict[int, list[int]] = {}
    for pk, days in TimescaleRule.objects.exclude(pk__in=list(exclude)).values_list("pk", "due_soon_days"):
        by_days.setdefault(days, []).append(pk)
    q = Q(due_date__gte=end) & Q(pk__isnull=True)  # no rule: nothing is due soon
    for days, rules in by_days.items():
        q |= Q(rule_id__in=rules, due_date__gte=end, due_date__lte=end + dt.timedelta(days=days))
    return q


def backfill(today: dt.date) -> list[dt.date]:
    """Reconstruct each month of the trend before the month running that has no row at all; the months
    written. A month recorded (or reconstructed) before is left as it is."""
    have = set(LineOfSightSnapshot.objects.values_list("month", flat=True).distinct())
    done = []
    for month in window(today)[:-1]:
        if month not in have:
            reconstruct_month(month)
            done.append(month)
    return done


def _replace(month: dt.date, rows: list[LineOfSightSnapshot]) -> int:
    LineOfSightSnapshot.objects.filter(month=month).delete()
    LineOfSightSnapshot.objects.bulk_create(rows)
    return len(rows)


def per_fte(cases: int | None, fte: Decimal | None) -> Decimal | None:
    return (Decimal(cases) / fte).quantize(Decimal("0.1")) if cases is not None and fte else None
