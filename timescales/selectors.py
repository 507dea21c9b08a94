"""Reading timescales for the line-of-sight pages, always within the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from children import models as m
from children.selectors import children_in_scope
from organisation.models import Team, Worker

from .models import OPEN_STATUSES, CaseloadPromise, DriftFlag, Obligation, Status

TIMELINESS_DAYS = 365  # "% in timescale" looks back a year from the day computed


def obligations_in_scope(user: Any) -> QuerySet[Obligation]:
    return Obligation.objects.filter(child__in=children_in_scope(user).values("pk"))


def drift_in_scope(user: Any) -> QuerySet[DriftFlag]:
    return DriftFlag.objects.filter(child__in=children_in_scope(user).values("pk"))


def filtered(qs: QuerySet[Any], params: dict[str, str]) -> QuerySet[Any]:
    """Apply the list filters (team, worker, rule, status, kind) a page was given."""
    for key, lookup in (
        ("team", "team_id"),
        ("worker", "worker_id"),
        ("rule", "rule__code"),
        ("status", "status"),
        ("kind", "kind"),
        ("service", "team__service_id"),
    ):
        value = params.get(key)
        if not value:
            continue
        if value == "open" and key == "status":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif value == "none" and key in ("worker", "team"):
            qs = qs.filter(**{f"{lookup}__isnull": True})
        else:
            qs = qs.filter(**{lookup: value})
    return qs


def timeliness_window(today: dt.date) -> Q:
    """Clocks that finished (in time or late) in the year up to today."""
    since = today - dt.timedelta(days=TIMELINESS_DAYS)
    return Q(status=Status.IN_TIME, completed_on__gte=since) | Q(status=Status.LATE, due_date__gte=since)


@dataclass
class Row:
    key: Any
    label: str
    overdue: int = 0
    due_soon: int = 0
    drift: int = 0
    in_time: int = 0
    late: int = 0
    cases: int = 0
    capacity: Decimal | None = None

    @property
    def percent_in_time(self) -> int | None:
        done = self.in_time + self.late
        return round(100 * self.in_time / done) if done else None


def summary_by(user: Any, group: str, today: dt.date, teams: QuerySet[Team] | None = None) -> list[Row]:
    """Counts by team or by worker: overdue, due soon, drift, and % completed in time."""
    field = {"team": "team_id", "worker": "worker_id"}[group]
    obligations = obligations_in_scope(user)
    drift = drift_in_scope(user)
    if teams is not None:
        obligations, drift = obligations.filter(team__in=teams), drift.filter(team__in=teams)
    counts = obligations.values(field).annotate(
        overdue=Count("pk", filter=Q(status=Status.OVERDUE)),
        due_soon=Count("pk", filter=Q(status=Status.DUE_SOON)),
        in_time=Count("pk", filter=timeliness_window(today) & Q(status=Status.IN_TIME)),
        late=Count("pk", filter=timeliness_window(today) & Q(status=Status.LATE)),
    )
    rows: dict[Any, Row] = {}
    for c in counts:
        rows[c[field]] = Row(c[field], "", c["overdue"], c["due_soon"], 0, c["in_time"], c["late"])
    for d in drift.values(field).annotate(n=Count("child", distinct=True)):
        rows.setdefault(d[field], Row(d[field], "")).drift = d["n"]
    return list(rows.values())


def open_cases(children: QuerySet[m.Child]) -> QuerySet[m.Child]:
    open_referral = m.Referral.objects.filter(child=OuterRef("pk"), closure_date__isnull=True)
    open_episode = m.LookedAfterEpisode.objects.filter(child=OuterRef("pk"), end_date__isnull=True)
    return children.filter(Exists(open_referral) | Exists(open_episode))


@dataclass
class Caseload:
    worker: Worker
    cases: int
    promise: int | None

    @property
    def weighted(self) -> Decimal:
        """Cases per full-time equivalent: a 0.5 FTE worker with 10 cases carries 20."""
        return (Decimal(self.cases) / self.worker.fte).quantize(Decimal("0.1")) if self.worker.fte else Decimal(0)

    @property
    def over_promise(self) -> bool:
        return self.promise is not None and self.weighted > self.promise


def caseloads(team: Team) -> list[Caseload]:
    promise = CaseloadPromise.objects.filter(team_type=team.team_type).values_list("max_cases", flat=True).first()
    counts = dict(
        open_cases(m.Child.objects.filter(worker__team=team))
        .values("worker")
        .annotate(n=Count("pk"))
        .values_list("worker", "n")
    )
    return [Caseload(w, counts.get(w.pk, 0), promise) for w in team.workers.filter(active=True)]


def team_caseload(team: Team) -> tuple[int, Decimal, int | None]:
    """Open cases held in the team, its FTE, and the promise per FTE."""
    loads = caseloads(team)
    fte = sum((c.worker.fte for c in loads), Decimal(0))
    return sum(c.cases for c in loads), fte, (loads[0].promise if loads else None)


def child_timescales(child: m.Child) -> dict[str, Any]:
    """What is due, overdue or drifting for one child, and why."""
    obligations = Obligation.objects.filter(child=child).select_related("rule")
    return {
        "open_obligations": obligations.filter(status__in=OPEN_STATUSES).order_by("due_date"),
        "finished_obligations": obligations.exclude(status__in=OPEN_STATUSES).order_by("-due_date")[:20],
        "drift_flags": DriftFlag.objects.filter(child=child),
    }
