"""Line-of-sight pages. Every number links to the children behind it."""

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string

from accounts.http import AuthedRequest
from accounts.models import Role
from audit.models import Action
from audit.services import Shown, record_shown
from exports.writer import xlsx_response
from organisation.models import Team
from web.selectors import teams_in_scope

from . import coverage, pagecache, selectors, services
from .forms import ClosureForm, RuleForm
from .models import OPEN_STATUSES, DriftKind, LocalClosureDay, Status, TimescaleRule


def latest_results() -> tuple[int, dt.date | None]:
    """The last recompute's number (a version for caches) and the day it computed for."""
    from .models import RecomputeRun

    row = RecomputeRun.objects.order_by("-pk").values_list("pk", "as_of").first()
    return row if row else (0, None)


def computed_on() -> dt.date | None:
    return latest_results()[1]


def line_of_sight(request: AuthedRequest) -> HttpResponse:
    """Service and council view: counts and % in timescale by team. The body comes from pagecache when it was
    built from the same data for the same audience (it lists no child: nothing to audit)."""
    from indicators.selectors import last_import

    made = pagecache.state()  # read before the data (pagecache.body)
    today = made.as_of or dt.date.today()
    user = request.user
    asked = request.GET.get("team", "")
    asked = asked if asked.isdigit() and len(asked) < 10 else ""  # anything else shows the total's trend

    def build() -> str:
        table, total = line_of_sight_table(user, today)
        context = {
            "user": user,
            "table": table,
            "total": total,
            "computed_on": today,
            "imported": last_import(),
            "trend": selectors.trend(user, today, _trend_team(asked, table)),
        }
        return render_to_string("timescales/_line_of_sight_body.html", context)

    body = pagecache.body("line-of-sight", user, made.version(), (asked,), build)
    return render(request, "timescales/line_of_sight.html", {"body": body})


def _trend_team(asked: str, table: list[tuple[Team, selectors.Row, int | None]]) -> Team | None:
    """The team whose trend was asked for (?team=), if it is one of the user's; anything else is ignored and
    the total's trend is shown."""
    return next((team for team, _, _ in table if asked and team.pk == int(asked)), None)


def line_of_sight_table(
    user: Any, today: dt.date
) -> tuple[list[tuple[Team, selectors.Row, int | None]], selectors.Row]:
    """Each team's row, and the total of the teams in scope (the council's, for council scope)."""
    teams = teams_in_scope(user).select_related("service").order_by("service__name", "name")
    rows = {r.key: r for r in selectors.summary_by(user, "team", today)}
    loads = selectors.caseloads_by_team(teams)
    table = []
    for team in teams:
        row = rows.get(team.pk) or selectors.Row(team.pk, "")
        row.label = team.name
        row.cases, row.capacity, promise = selectors.team_caseload(loads[team.pk])
        table.append((team, row, promise))
    total = selectors.total_of([row for _, row, _ in table], [c for team in teams for c in loads[team.pk]])
    return table, total


def team_oversight(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(teams_in_scope(request.user).select_related("service"), pk=pk)
    made = pagecache.state()  # read before the data (pagecache.body)
    today = made.as_of or dt.date.today()
    user = request.user

    def build() -> str:
        rows = {r.key: r for r in selectors.summary_by(user, "worker", today, Team.objects.filter(pk=pk))}
        workers = [(c, rows.get(c.worker.pk) or selectors.Row(c.worker.pk, "")) for c in selectors.caseloads(team)]
        context = {"team": team, "workers": workers, "computed_on": today}
        return render_to_string("timescales/_team_body.html", context)

    body = pagecache.body("team", user, made.version(), (pk,), build)
    return render(request, "timescales/team.html", {"team": team, "body": body})


def my_caseload(request: AuthedRequest) -> HttpResponse:
    if not request.user.worker_id:
        return redirect("oversight")
    obligations = (
        selectors.obligations_in_scope(request.user)
        .filter(worker_id=request.user.worker_id, status__in=OPEN_STATUSES)
        .select_related("child", "rule")
        .order_by("due_date")
    )
    drift = selectors.drift_in_scope(request.user).filter(worker_id=request.user.worker_id).select_related("child")
    shown_obligations, shown_drift = list(obligations), list(drift)
    children = [x.child_id for x in shown_obligations] + [x.child_id for x in shown_drift]
    record_shown(request, children, detail="my caseload: timescales and drift")
    return render(request, "timescales/mine.html", {"obligations": shown_obligations, "drift": shown_drift})


def obligation_list(request: AuthedRequest) -> HttpResponse:
    params = request.GET.dict()
    obligations = selectors.filtered(selectors.obligations_in_scope(request.user), params)
    if params.get("window") == "year":
        obligations = obligations.filter(selectors.timeliness_window(computed_on() or dt.date.today()))
    obligations = obligations.select_related("child", "rule", "team", "worker").order_by("due_date", "pk")
    if params.get("format") == "xlsx":
        shown = Shown()
        response = xlsx_response(
            "timescales.xlsx",
            "Timescales",
            ["Child ID", "Child", "Rule", "Clock started", "Due", "Completed", "Status", "Team", "Worker"],
            (
                (
                    o.child.la_child_id,
                    str(o.child),
                    o.rule.name,
                    o.clock_start,
                    o.due_date,
                    o.completed_on,
                    o.get_status_display(),
                    o.team.name if o.team else "",
                    o.worker.name if o.worker else "",
                )
                for o in shown.each(obligations.iterator())
            ),
        )
        record_shown(request, shown.ids, action=Action.EXPORT, detail=f"timescales list {params}"[:300])
        return response
    page = Paginator(obligations, 50).get_page(params.get("page"))
    record_shown(request, [o.child_id for o in page.object_list], detail=f"timescales list {params}"[:300])
    return render(
        request,
        "timescales/obligation_list.html",
        {
            "page": page,
            "params": params,
            "rules": TimescaleRule.objects.all(),
            "statuses": Status.choices,
            "teams": teams_in_scope(request.user),
        },
    )


def drift_list(request: AuthedRequest) -> HttpResponse:
    params = request.GET.dict()
    flags = selectors.filtered(selectors.drift_in_scope(request.user), params)
    flags = flags.select_related("child", "team", "worker").order_by("since", "pk")
    if params.get("format") == "xlsx":
        shown = Shown()
        response = xlsx_response(
            "drift.xlsx",
            "Drift",
            ["Child ID", "Child", "Drift", "Since", "Detail", "Team", "Worker"],
            (
                (
                    f.child.la_child_id,
                    str(f.child),
                    f.get_kind_display(),
                    f.since,
                    f.detail,
                    f.team.name if f.team else "",
                    f.worker.name if f.worker else "",
                )
                for f in shown.each(flags.iterator())
            ),
        )
        record_shown(request, shown.ids, action=Action.EXPORT, detail=f"drift list {params}"[:300])
        return response
    page = Paginator(flags, 50).get_page(params.get("page"))
    record_shown(request, [f.child_id for f in page.object_list], detail=f"drift list {params}"[:300])
    return render(
        request,
        "timescales/drift_list.html",
        {
            "page": page,
            "params": params,
            "kinds": DriftKind.choices,
            "teams": teams_in_scope(request.user),
        },
    )


def rule_list(request: AuthedRequest) -> HttpResponse:
    return render(
        request,
        "timescales/rules.html",
        {
            "rules": _with_tracking(TimescaleRule.objects.all()),
            "can_edit": request.user.role == Role.ADMINISTRATOR,
        },
    )


def _with_tracking(rules: Any) -> list[tuple[TimescaleRule, coverage.Tracking | None]]:
    tracking = coverage.rule_tracking()
    return [(r, tracking.get(r.code)) for r in rules]


def rule_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    if request.user.role != Role.ADMINISTRATOR:
        raise PermissionDenied
    rule = get_object_or_404(TimescaleRule, pk=pk)
    form = RuleForm(
        request.POST or None,
        rule=rule,
        initial={"amount": rule.amount, "due_soon_days": rule.due_soon_days, "active": rule.active},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.change_rule(rule, request.user, data.pop("reason"), **data)
        except ValueError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{rule.name} changed. Timescales are being recomputed in the background.")
            return redirect("timescale_rules")
    return render(request, "timescales/rule_edit.html", {"rule": rule, "form": form, "changes": rule.changes.all()})


def closure_days(request: AuthedRequest) -> HttpResponse:
    if request.user.role != Role.ADMINISTRATOR:
        raise PermissionDenied
    form = ClosureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        day = form.cleaned_data["day"]
        if services.add_closure_day(day, form.cleaned_data["reason"], request.user):
            messages.success(request, f"{day:%-d %B %Y} added as a local closure day. Timescales are being recomputed.")
        else:
            messages.success(request, f"{day:%-d %B %Y} was already a local closure day.")
        return redirect("closure_days")
    return render(request, "timescales/closures.html", {"form": form, "days": LocalClosureDay.objects.all()})
