"""Reading timescales for the line-of-sight pages, always within the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Count, Q, QuerySet

from accounts.models import Scope
from children import models as m
from children.selectors import children_in_scope, is_partner, not_restricted_for, open_case
from organisation.models import Team, Worker

from .models import OPEN_STATUSES, CaseloadPromise, DriftFlag, Obligation, Status

TIMELINESS_DAYS = 365  # "% in timescale" looks back a year from the day computed


def _in_scope(qs: QuerySet[Any], user: Any) -> QuerySet[Any]:
    if getattr(user, "scope", None) == Scope.COUNCIL and not is_partner(user):
        return qs.filter(not_restricted_for(user, "child_id"))  # the whole council: no need to join every child
    return qs.filter(child__in=children_in_scope(user).values("pk"))


def obligations_in_scope(user: Any) -> QuerySet[Obligation]:
    return _in_scope(Obligation.objects.all(), user)


def drift_in_scope(user: Any) -> QuerySet[DriftFlag]:
    return _in_scope(DriftFlag.objects.all(), user)


ID_FILTERS = {"team", "worker", "service"}


def _has_field(qs: QuerySet[Any], lookup: str) -> bool:
    try:
        qs.model._meta.get_field(lookup.split("__")[0])
    except FieldDoesNotExist:
        return False
    return True


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
        if not value or not _has_field(qs, lookup):
            continue  # a filter this list does not have (?kind= on obligations, ?rule= on drift) is ignored
        if value == "open" and key == "status":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif value == "none" and key in ("worker", "team"):
            qs = qs.filter(**{f"{lookup}__isnull": True})
        elif key in ID_FILTERS and not (value.isdigit() and int(value) < 2**63):
            qs = qs.none()  # ?team=abc matches nothing (it is not an id), rather than a server error
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


def caseloads_by_team(teams: QuerySet[Team]) -> dict[int, list[Caseload]]:
    """Every active worker's open cases, for many teams in three queries."""
    promises = dict(CaseloadPromise.objects.values_list("team_type", "max_cases"))
    counts = dict(
        m.Child.objects.filter(open_case(dt.date.today()), worker__team__in=teams)
        .values("worker")
        .annotate(n=Count("pk"))
        .values_list("worker", "n")
    )
    result: dict[int, list[Caseload]] = {t.pk: [] for t in teams}
    for w in Worker.objects.filter(team__in=teams, active=True).select_related("team").order_by("name"):
        result[w.team_id].append(Caseload(w, counts.get(w.pk, 0), promises.get(w.team.team_type)))
    return result


def caseloads(team: Team) -> list[Caseload]:
    return caseloads_by_team(Team.objects.filter(pk=team.pk))[team.pk]


def team_caseload(loads: list[Caseload]) -> tuple[int, Decimal | None, int | None]:
    """Open cases held in a team, cases per FTE, and the promise per FTE."""
    fte = sum((c.worker.fte for c in loads), Decimal(0))
    cases = sum(c.cases for c in loads)
    per_fte = (Decimal(cases) / fte).quantize(Decimal("0.1")) if fte else None
    return cases, per_fte, (loads[0].promise if loads else None)


def total_of(rows: list[Row], loads: list[Caseload]) -> Row:
    """The teams' rows added up: a child drifts in one team only, so drifting children add up too; cases per FTE
    over every worker's FTE."""
    total = Row(None, "Total")
    for r in rows:
        total.overdue += r.overdue
        total.due_soon += r.due_soon
        total.drift += r.drift
        total.in_time += r.in_time
        total.late += r.late
    total.cases, total.capacity, _ = team_caseload(loads)
    return total


def child_timescales(child: m.Child) -> dict[str, Any]:
    """What is due, overdue or drifting for one child, and why."""
    obligations = Obligation.objects.filter(child=child).select_related("rule")
    return {
        "open_obligations": obligations.filter(status__in=OPEN_STATUSES).order_by("due_date"),
        "finished_obligations": obligations.exclude(status__in=OPEN_STATUSES).order_by("-due_date")[:20],
        "drift_flags": DriftFlag.objects.filter(child=child),
    }


# --- the 12-month trend of each measure (decision 0043) ----------------------------------------------------------


@dataclass
class TrendMonth:
    """One month of the trend for the teams asked about, added up. A measure None was not recorded that month."""

    month: dt.date
    as_of: dt.date | None = None
    reconstructed: bool = False
    overdue: int | None = None
    due_soon: int | None = None
    drift: int | None = None
    cases: int | None = None
    fte: Decimal | None = None
    promise: int | None = None
    in_time: int | None = None
    completed: int | None = None

    @property
    def per_fte(self) -> Decimal | None:
        from .snapshots import per_fte

        return per_fte(self.cases, self.fte)

    @property
    def percent_in_time(self) -> int | None:
        return round(100 * (self.in_time or 0) / self.completed) if self.completed else None


SUMMED = ("overdue", "due_soon", "drift", "cases", "fte", "in_time", "completed")
TREND_MEASURES = (  # key, heading, the y axis's unit
    ("overdue", "Overdue", "timescales"),
    ("due_soon", "Due soon", "timescales"),
    ("drift", "Drifting children", "children"),
    ("per_fte", "Cases per FTE", "cases per FTE"),
    ("percent_in_time", "In timescale", "%"),
)


def trend(user: Any, today: dt.date, team: Team | None = None) -> dict[str, Any]:
    """The last 12 months of each line-of-sight measure for the teams in the user's scope added up (the council's,
    for council scope), or for one of them: one query over the stored months (models.LineOfSightSnapshot)."""
    from django.db.models import Max, Min, Sum

    from web.selectors import teams_in_scope

    from .models import LineOfSightSnapshot
    from .snapshots import window

    teams = teams_in_scope(user)
    if team is not None:
        teams = teams.filter(pk=team.pk)
    firsts = window(today)
    stored = (
        LineOfSightSnapshot.objects.filter(team__in=teams, month__gte=firsts[0], month__lte=firsts[-1])
        .values("month")
        .annotate(
            rebuilt=Count("pk", filter=Q(reconstructed=True)),
            last=Max("as_of"),
            low=Min("promise"),
            high=Max("promise"),
            **{f"{f}_sum": Sum(f) for f in SUMMED},
            **{f"{f}_n": Count(f) for f in SUMMED},
        )
    )
    by_month: dict[dt.date, dict[str, Any]] = {row["month"]: dict(row) for row in stored}
    months = []
    for first in firsts:
        row = by_month.get(first)
        point = TrendMonth(first)
        if row is not None:
            point.as_of, point.reconstructed = row["last"], bool(row["rebuilt"])
            for f in SUMMED:
                setattr(point, f, row[f"{f}_sum"] if row[f"{f}_n"] else None)  # no team recorded it: not recorded
            point.promise = row["low"] if row["low"] == row["high"] else None  # one promise for every team only
        months.append(point)
    promise = months[-1].promise  # the promise as it stands (the chart's dashed line)
    return {"team": team, "months": months, "charts": _trend_charts(months, promise), "promise": promise}


def _trend_charts(months: list[TrendMonth], promise: int | None) -> list[dict[str, Any]]:
    from indicators.charts import line_chart

    labels = [f"{m.month:%b}" for m in months]
    charts = []
    for key, heading, unit in TREND_MEASURES:
        values = [getattr(m, key) for m in months]
        target = promise if key == "per_fte" else None
        chart = line_chart(
            labels,
            [float(v) if v is not None else None for v in values],
            target=float(target) if target is not None else None,
            description=f"{heading}, month by month, the last 12 months ({unit})",
            unit=unit,
        )
        charts.append({"key": key, "heading": heading, "chart": chart, "recorded": sum(v is not None for v in values)})
    return charts
