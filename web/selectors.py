"""What each role's home page and lists show."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from accounts.models import Role, Scope
from children.models import Child
from children.selectors import children_in_scope, is_partner
from organisation.models import Team, Worker

MANAGER_ROLES = {Role.TEAM_MANAGER}
SENIOR_ROLES = {Role.HEAD_OF_SERVICE, Role.DIRECTOR, Role.ANALYST, Role.QA_OFFICER, Role.IRO}


def teams_in_scope(user: Any) -> QuerySet[Team]:
    """Teams, their workers and caseloads are the council's own business: none for a
    partner-agency user, whatever its scope says (docs/entitlements.md)."""
    teams = Team.objects.all()
    if is_partner(user):
        return teams.none()
    if user.scope == Scope.COUNCIL:
        return teams
    if user.scope == Scope.SERVICE and user.service_id:
        return teams.filter(service_id=user.service_id)
    if user.scope in (Scope.TEAM, Scope.CASELOAD) and user.team_id:
        return teams.filter(pk=user.team_id)
    return teams.none()


def workers_with_caseloads(team: Team, visible: QuerySet[Any]) -> QuerySet[Worker]:
    return team.workers.filter(active=True).annotate(caseload=Count("children", filter=Q(children__in=visible)))


def team_counts(teams: QuerySet[Team]) -> QuerySet[Team]:
    """Teams with their allocated children and active workers, counted in subqueries
    so that neither count multiplies the other."""
    allocated = (
        Child.objects.filter(team=OuterRef("pk"), worker__isnull=False)
        .values("team")
        .annotate(n=Count("pk"))
        .values("n")
    )
    workers = Worker.objects.filter(team=OuterRef("pk"), active=True).values("team").annotate(n=Count("pk")).values("n")
    return teams.select_related("service").annotate(
        allocated=Coalesce(Subquery(allocated), 0),
        worker_count=Coalesce(Subquery(workers), 0),
    )


# --- home pages ----------------------------------------------------------------------------------------
# Each role's home page is the start of its day's work (issue 15 point 1): a list of panels, each a small,
# bounded query through the owning app's selectors, each row linking straight to the detail. `shown` gathers
# the children a panel names, for the view to record (audit.services.record_shown).

HOME_ROWS = 10  # rows a home panel lists before linking to the full list
EXCEPTIONS_CACHE_SECONDS = 600  # the performance exceptions read the register's facts: ten minutes a month
HEADLINE_CACHE_SECONDS = 300  # as the line-of-sight pages (timescales.pagecache.MAX_SECONDS)


def home_summary(user: Any) -> dict[str, Any]:
    """One dictionary per page; the template only lays it out, panel by panel."""
    summary: dict[str, Any] = {"panels": [], "shown": []}
    panels: list[str] = summary["panels"]
    if user.role == Role.MASE_MEMBER:
        summary.update(mase_panel(user))
        summary["shown"] += [a.child_id for a in summary["mase_actions"]]
        panels.append("mase")
    if is_partner(user) or user.role == Role.MASE_MEMBER:
        # A partner's share of the cohort, never the register (docs/entitlements.md).
        from exploitation.selectors import cohort_children

        cohort = cohort_children(user)
        summary["children_count"] = cohort.count()
        summary["cohort"] = list(
            cohort.prefetch_related("cohort_entries").order_by("last_name", "first_name", "pk")[:200]
        )
        summary["shown"] += [c.pk for c in summary["cohort"]]
        panels.append("cohort")
        return summary
    children = children_in_scope(user)
    if user.role == Role.SOCIAL_WORKER and user.worker_id:
        summary.update(my_work(user))
        caseload = list(children.filter(worker_id=user.worker_id).order_by("last_name", "first_name", "pk"))
        summary["caseload"] = caseload
        summary["shown"] += [row["child"].pk for row in summary["my_children"]] + [c.pk for c in caseload]
        panels += ["my_work", "caseload"]
    elif user.role in MANAGER_ROLES and user.team_id:
        summary.update(team_work(user, user.team))
        summary["shown"] += [o.child_id for o in summary["team_overdue"]]
        panels.append("team")
    elif user.role in (Role.HEAD_OF_SERVICE, Role.DIRECTOR):
        summary["headline"] = headline(user)
        summary["exceptions"] = performance_exceptions()
        panels += ["headline", "exceptions"]
    elif user.role == Role.QA_OFFICER:
        summary.update(qa_panel(user))
        summary["shown"] += [c.child_id for c in summary["moderation"]]
        panels.append("qa")
    elif user.role == Role.LADO:
        summary.update(lado_panel())
        panels.append("lado")
    elif user.role == Role.ANALYST:
        summary["returns"] = latest_returns()
        panels.append("returns")
    elif user.role == Role.BOARD_MANAGER:
        summary.update(plan_actions_due(user))
        panels.append("plans")
    if user.role == Role.IRO:
        summary["children_count"] = children.count()
        summary["teams"] = team_counts(teams_in_scope(user))
        panels.append("service")
    elif user.role == Role.ADMINISTRATOR:
        panels.append("admin")
    if not panels:
        summary["children_count"] = children.count()
        panels.append("general")
    return summary


def _computed_on() -> Any:
    from timescales.models import RecomputeRun

    return RecomputeRun.objects.order_by("-pk").values_list("as_of", flat=True).first()


def my_work(user: Any) -> dict[str, Any]:
    """A social worker's children with what is overdue and due soon, the most overdue first, and their drift."""
    from timescales.models import Status
    from timescales.selectors import drift_in_scope, obligations_in_scope

    open_now = (Status.OVERDUE, Status.DUE_SOON)
    mine = obligations_in_scope(user).filter(worker_id=user.worker_id, status__in=open_now)
    counts = mine.aggregate(
        overdue=Count("pk", filter=Q(status=Status.OVERDUE)), due_soon=Count("pk", filter=Q(status=Status.DUE_SOON))
    )
    by_child: dict[int, dict[str, Any]] = {}
    for o in mine.select_related("child", "rule").order_by("due_date", "pk")[:100]:
        by_child.setdefault(o.child_id, {"child": o.child, "overdue": [], "due_soon": []})[o.status].append(o)
    drift = list(
        drift_in_scope(user).filter(worker_id=user.worker_id).select_related("child").order_by("since", "pk")[:20]
    )
    for flag in drift:
        by_child.setdefault(flag.child_id, {"child": flag.child, "overdue": [], "due_soon": []})
    for row in by_child.values():
        row["drift"] = [f for f in drift if f.child_id == row["child"].pk]
    return {
        "my_children": list(by_child.values()),
        "my_counts": counts,
        "computed_on": _computed_on(),
    }


def team_work(user: Any, team: Team) -> dict[str, Any]:
    """A team manager's day: the team's overdue and drifting work, caseloads against the promise, supervision."""
    from timescales.models import Status
    from timescales.selectors import caseloads, drift_in_scope, obligations_in_scope, team_caseload

    obligations = obligations_in_scope(user).filter(team=team)
    counts = obligations.aggregate(
        overdue=Count("pk", filter=Q(status=Status.OVERDUE)),
        due_soon=Count("pk", filter=Q(status=Status.DUE_SOON)),
        supervision_overdue=Count("pk", filter=Q(status=Status.OVERDUE, rule__code="supervision")),
        supervision_due_soon=Count("pk", filter=Q(status=Status.DUE_SOON, rule__code="supervision")),
    )
    counts["drift"] = drift_in_scope(user).filter(team=team).values("child").distinct().count()
    overdue = list(
        obligations.filter(status=Status.OVERDUE)
        .select_related("child", "rule", "worker")
        .order_by("due_date", "pk")[:HOME_ROWS]
    )
    computed = _computed_on()  # each overdue item's days_overdue counts to the day it was computed (Obligation)
    supervision = list(
        obligations.filter(rule__code="supervision", status__in=(Status.OVERDUE, Status.DUE_SOON))
        .values("worker_id", "worker__name")
        .annotate(
            overdue=Count("pk", filter=Q(status=Status.OVERDUE)), due_soon=Count("pk", filter=Q(status=Status.DUE_SOON))
        )
        .order_by("-overdue", "worker__name")
    )
    loads = caseloads(team)
    cases, per_fte, promise = team_caseload(loads)
    return {
        "team": team,
        "team_counts": counts,
        "team_overdue": overdue,
        "supervision": supervision,
        "caseloads": loads,
        "team_cases": cases,
        "team_per_fte": per_fte,
        "team_promise": promise,
        "over_promise": sum(1 for c in loads if c.over_promise),
        "computed_on": computed,
    }


def headline(user: Any) -> dict[str, Any]:
    """The line of sight in one row for a head of service or director: open work and drift across their scope,
    % completed in timescale over the year, and that % month by month (the trend) for the last twelve months.
    Cached per scope and per recompute, as the line-of-sight page is."""
    from timescales.views import latest_results

    version, day = latest_results()
    key = f"home-headline:{version}:{user.scope}:{user.service_id}:{user.team_id}:{user.pk}"
    found = cache.get(key)
    if found is None:
        found = _headline(user, day or dt.date.today())
        found["computed_on"] = day
        cache.set(key, found, HEADLINE_CACHE_SECONDS)
    return found


def _headline(user: Any, today: dt.date) -> dict[str, Any]:
    from timescales.models import Status
    from timescales.selectors import drift_in_scope, obligations_in_scope, timeliness_window

    obligations = obligations_in_scope(user)
    totals = obligations.aggregate(
        overdue=Count("pk", filter=Q(status=Status.OVERDUE)),
        due_soon=Count("pk", filter=Q(status=Status.DUE_SOON)),
        in_time=Count("pk", filter=timeliness_window(today) & Q(status=Status.IN_TIME)),
        late=Count("pk", filter=timeliness_window(today) & Q(status=Status.LATE)),
    )
    done = totals["in_time"] + totals["late"]
    totals["percent_in_time"] = round(100 * totals["in_time"] / done) if done else None
    totals["drift"] = drift_in_scope(user).values("child").distinct().count()
    first = (today.replace(day=1) - dt.timedelta(days=335)).replace(day=1)  # the first of the month 11 months back
    by_month = (
        obligations.filter(status__in=(Status.IN_TIME, Status.LATE), completed_on__gte=first, completed_on__lte=today)
        .annotate(month=TruncMonth("completed_on"))
        .values("month")
        .annotate(in_time=Count("pk", filter=Q(status=Status.IN_TIME)), n=Count("pk"))
        .order_by("month")
    )
    trend = []
    for row in by_month:
        month = row["month"].date() if isinstance(row["month"], dt.datetime) else row["month"]
        trend.append({"month": month, "done": row["n"], "percent": round(100 * row["in_time"] / row["n"])})
    for before, after in zip(trend, trend[1:], strict=False):
        change = after["percent"] - before["percent"]
        after["change"] = "up" if change > 0 else ("down" if change < 0 else "same")
    return {"totals": totals, "trend": trend, "chart": percent_chart(trend) if trend else None}


def percent_chart(trend: list[dict[str, Any]]) -> Any:
    """The trend as the indicators' server-rendered line chart (indicators.charts), on a 0 to 100% scale."""
    from indicators.charts import BOTTOM, HEIGHT, LEFT, RIGHT, TOP, WIDTH, Chart, Line

    chart = Chart(description="Percentage of timescales completed in time, by month completed, the last 12 months")
    inner_w, inner_h, n = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM, len(trend)

    def x(i: int) -> float:
        return LEFT + inner_w * (i + 0.5) / n

    def y(percent: float) -> float:
        return TOP + inner_h * (1 - percent / 100)

    chart.lines = [
        Line("In timescale", " ".join(f"{x(i):.1f},{y(r['percent']):.1f}" for i, r in enumerate(trend)), "value")
    ]
    chart.dots = [(x(i), y(r["percent"]), f"{r['month']:%b %Y}: {r['percent']}") for i, r in enumerate(trend)]
    chart.x_labels = [(x(i), f"{r['month']:%b}") for i, r in enumerate(trend)]
    chart.y_labels = [(y(k), str(k)) for k in (0, 25, 50, 75, 100)]
    return chart


@dataclass
class Exception_:
    code: str
    name: str
    value: Any  # the year to date, formatted as the board formats it
    target: Any
    rag: str
    benchmark: str  # "England 2023-24: 22.0", when the value is worse than it


def performance_exceptions(today: dt.date | None = None) -> dict[str, Any]:
    """The performance board's exceptions for the last complete month: indicators red against target, or worse
    than their latest benchmark (England, else statistical neighbours, else region). Cached ten minutes a month:
    it reads the register's facts, as the board does, but without the board's twelve-month trends."""
    from indicators import engine, periods
    from indicators.library import LIBRARY
    from indicators.selectors import current_facts, default_month

    month = default_month(today)
    key = f"home-exceptions:{month.fy}:{month.end.isoformat()}"
    found = cache.get(key)
    if found is not None:
        return found
    from indicators.selectors import benchmark_label, preferred_benchmarks, worse_than

    facts = current_facts()
    pops = engine.population_table()
    rule = engine.current_rule()
    ytd = periods.year_to_date(month.end)
    ytd_last = periods.year_to_date(periods.same_period_last_year(month).end)
    benchmarks = preferred_benchmarks(month.fy)  # the board's choice of comparator (decision 0038)
    rows = []
    for code, ind in LIBRARY.items():
        value = engine.council_value(facts, ind, ytd, pops)
        if value.value is None:
            continue
        target = engine.target_for(code, month.fy)
        rag = engine.rag(ind, value.value, target, engine.council_value(facts, ind, ytd_last, pops).value, rule)
        worse = worse_than(ind, value.value, benchmarks.get(code))  # rates, percentages and averages only
        if rag == "red" or worse:
            label = benchmark_label(benchmarks.get(code)) if worse else ""
            rows.append(Exception_(code, ind.name, value.display(ind), target, rag, label))
    found = {"month": month, "rows": rows, "quarter": (month.end.month - 4) % 12 // 3 + 1}
    cache.set(key, found, EXCEPTIONS_CACHE_SECONDS)
    return found


def qa_panel(user: Any) -> dict[str, Any]:
    """Audits to do across the programme: rounds with audits not completed, the soonest due first (the user's own
    audits to do are the audits app's reminder panel, on every home page); and moderation waiting: completed audits
    nobody has moderated, that this user may moderate (not their own), oldest completed first."""
    from audits.models import CaseAudit
    from audits.selectors import can_manage, rounds_for, visible_cases

    if not can_manage(user):
        return {"moderation": [], "moderation_count": 0, "rounds_open": []}
    not_done = ~Q(case_audits__status=CaseAudit.Status.COMPLETED)
    rounds_open = (
        rounds_for(user)
        .annotate(open=Count("case_audits", filter=not_done), total=Count("case_audits"))
        .filter(open__gt=0)
        .order_by("due_date", "pk")[:HOME_ROWS]
    )
    waiting = (
        visible_cases(user)
        .filter(status=CaseAudit.Status.COMPLETED, moderations__isnull=True)
        .exclude(auditor=user)
        .select_related("child", "round", "auditor_grade")
    )
    return {
        "moderation": list(waiting.order_by("completed_at", "pk")[:HOME_ROWS]),
        "moderation_count": waiting.count(),
        "rounds_open": list(rounds_open),
        "today": timezone.localdate(),
    }


def lado_panel() -> dict[str, Any]:
    """Allegations to chase: open ones past the target for resolution or with no initial consideration in time,
    the oldest first; and whom to chase (partnership.selectors.open_by_employer)."""
    from partnership.selectors import open_by_employer, open_cases

    cases = open_cases()
    chase = [c for c in cases if c.overdue or c.consideration_overdue]
    return {
        "open_allegations": len(cases),
        "to_chase": chase[:HOME_ROWS],
        "to_chase_count": len(chase),
        "chase_by": open_by_employer(cases)[:5],
    }


def latest_returns() -> list[Any]:
    """The latest import of each kind of return, with its as-at date (the end of its collection year, when the
    return has one), its problems and where it stands."""
    from returns.models import ImportRun, Kind

    runs = []
    for kind in Kind:
        run = ImportRun.objects.filter(kind=kind).order_by("-created_at", "-pk").first()
        if run is None:
            continue
        run.as_at = dt.date(run.collection_year, 3, 31) if run.collection_year else None  # type: ignore[attr-defined]
        runs.append(run)
    return runs


def mase_panel(user: Any) -> dict[str, Any]:
    """The next MASE meeting (else the last one held) and the actions not yet completed for the children this user
    may see on the tracker, overdue judged against today, not the meeting's date."""
    from exploitation import entitlements as ent
    from exploitation.models import Action
    from exploitation.selectors import meetings_for, tracker_children

    today = timezone.localdate()
    meetings = meetings_for(user)
    upcoming = meetings.filter(held_on__gte=today).order_by("held_on", "pk").first()
    meeting = upcoming or meetings.filter(held_on__lt=today).order_by("-held_on", "-pk").first()
    actions = Action.objects.none()
    sees_meetings = ent.MEETINGS in ent.sections_for(user)
    if sees_meetings:
        actions = Action.objects.filter(completed_on__isnull=True, child__in=tracker_children(user))
    rows = list(actions.select_related("child", "owner_agency", "item__meeting").order_by("due_on", "pk")[:20])
    for a in rows:
        a.overdue = a.due_on < today  # type: ignore[attr-defined]
    return {
        "meeting": meeting,
        "meeting_upcoming": upcoming is not None,
        "sees_meetings": sees_meetings,
        "can_prepare": ent.sees_whole_cohort(user),
        "mase_actions": rows,
        "mase_actions_count": actions.count(),
        "mase_overdue_count": actions.filter(due_on__lt=today).count(),
        "today": today,
    }


def plan_actions_due(user: Any) -> dict[str, Any]:
    """Open actions of the plans this user may see that are overdue, or have a milestone or end date due within
    the amber window: the plans' own reminder rule (plans.selectors.reminders_for) over the plans' other actions
    (those the user leads are in the reminder panel the home page shows to every lead)."""
    from plans.models import Action, Milestone
    from plans.selectors import actions_with_detail, plans_for, rows_for, thresholds
    from plans.selectors import today as plans_today

    day = plans_today()
    horizon = day + dt.timedelta(days=thresholds().amber_due_days)
    soon = Milestone.objects.filter(done_on__isnull=True, due_date__lte=horizon).values("action")
    actions = Action.objects.filter(
        Q(end_date__lte=horizon) | Q(pk__in=soon),
        plan__in=plans_for(user).values("pk"),
        complete=False,
        plan__closed=False,
    ).exclude(leads__user=user)  # the actions the user leads are the plans app's reminder panel, above this one
    rows = rows_for(actions_with_detail(actions).order_by("end_date", "pk")[:50], day)
    return {
        "plan_overdue": [r for r in rows if r.overdue][:HOME_ROWS],
        "plan_due": [r for r in rows if not r.overdue][:HOME_ROWS],
        "plan_actions_count": actions.count(),
        "amber_days": thresholds().amber_due_days,
    }
