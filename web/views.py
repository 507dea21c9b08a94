"""Pages. Thin: the selectors decide what each user may see."""

from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.http import AuthedRequest
from audit.models import Action
from audit.services import record, record_shown, record_view
from audits.selectors import auditing
from children.models import Child
from children.selectors import (
    CASE_STATES,
    STATUSES,
    caseload,
    children_in_scope,
    chronology,
    current_liberty_deprivations,
    refusal_detail,
)
from children.views import RECORDERS
from organisation.models import Worker
from timescales.selectors import child_timescales

from .selectors import home_summary, team_counts, teams_in_scope, workers_with_caseloads


def healthz(request: AuthedRequest) -> HttpResponse:
    return JsonResponse({"status": "ok"})


def home(request: AuthedRequest) -> HttpResponse:
    context = home_summary(request.user)
    if context["shown"]:  # the children the home page names (caseload, overdue work, moderation, cohort, actions)
        record_shown(request, list(dict.fromkeys(context["shown"])), detail="home page")
    return render(request, "web/home.html", context)


# The register's columns a user may sort by, and the order each means.
SORTS = {
    "name": ("last_name", "first_name", "pk"),
    "dob": ("birth_date", "pk"),
    "team": ("team__name", "last_name", "pk"),
    "worker": ("worker__name", "last_name", "pk"),
    "status": ("status", "last_name", "pk"),
}


def child_list(request: AuthedRequest) -> HttpResponse:
    """The register as a caseload: open cases by default, each child's current status and
    worker, filters for each and sortable columns. Unknown filter values are ignored."""
    get = request.GET
    state = get.get("state", "")
    state = state if state in CASE_STATES else "open"
    status = get.get("status", "")
    status = status if status in STATUSES else ""
    teams = teams_in_scope(request.user).order_by("name")
    team = _chosen(get.get("team"), teams)
    workers = Worker.objects.filter(team=team).order_by("name") if team else Worker.objects.none()
    worker = _chosen(get.get("worker"), workers)
    sort = get.get("sort", "name")
    key, descending = sort.removeprefix("-"), sort.startswith("-")
    if key not in SORTS:
        key, descending = "name", False
    children = caseload(children_in_scope(request.user), timezone.localdate(), state=state, status=status)
    children = children.select_related("team", "worker")
    if team:
        children = children.filter(team=team)
    if worker:
        children = children.filter(worker=worker)
    query = get.get("q", "").strip()
    if query:
        children = children.filter(
            Q(la_child_id__iexact=query) | Q(last_name__istartswith=query) | Q(first_name__istartswith=query)
        )
    order = [f"-{f}" if descending and i == 0 else f for i, f in enumerate(SORTS[key])]
    page = Paginator(children.order_by(*order), 50).get_page(get.get("page"))
    record_shown(request, page.object_list, detail=f"children list page {page.number}" + (" (search)" if query else ""))
    context = {
        "page": page,
        "query": query,
        "state": state,
        "status": status,
        "states": CASE_STATES,
        "state_label": CASE_STATES[state],
        "status_label": STATUSES.get(status, ""),
        "statuses": STATUSES,
        "teams": teams,
        "team": team,
        "workers": workers,
        "worker": worker,
        "sort": key,
        "columns": [
            ("name", "Name"),
            ("", "Child ID"),
            ("dob", "Date of birth"),
            ("status", "Status"),
            ("team", "Team"),
            ("worker", "Worker"),
        ],
        "descending": descending,
    }
    return render(request, "web/child_list.html", context)


def _chosen(value: str | None, choices: Any) -> Any:
    """The object a filter names, when it is one the user may choose; else None (ignored)."""
    return choices.filter(pk=int(value)).first() if value and value.isdigit() else None


def child_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(Child.objects.select_related("team", "worker"), pk=pk)
    in_scope = children_in_scope(request.user).filter(pk=pk).exists()
    audit = None if in_scope else auditing(request.user, child.pk)  # an auditor grading the child (decision 0036)
    if not in_scope and audit is None:
        # Not found, as a child that does not exist, so that ids cannot be probed; the attempt is still recorded.
        record(Action.FORBIDDEN, request=request, child=child, detail=refusal_detail(request.user, child))
        raise Http404
    record_view(request, child, detail=f"as auditor of audit {audit.pk}" if audit else "")
    entries = chronology(child, newest_first=True)
    kinds = sorted({e.kind for e in entries})
    kind = request.GET.get("kind", "")
    kind = kind if kind in kinds else ""  # an unknown kind is ignored
    context = {
        "child": child,
        "entries": [e for e in entries if not kind or e.kind == kind],
        "kinds": kinds,
        "kind": kind,
        "disabilities": [d.code for d in child.disabilities.all()],
        "cohort": child.cohort_entries.filter(closed_date__isnull=True).first(),
        "proceedings": child.proceedings.exclude(issued_date=None).prefetch_related("extensions"),
        "placement": child.episodes.filter(end_date=None).order_by("-start_date").first(),
        "liberty": current_liberty_deprivations(child, timezone.localdate()),
        "can_record": in_scope and request.user.role in RECORDERS,
        **child_timescales(child),
    }
    return render(request, "web/child_detail.html", context)


def team_list(request: AuthedRequest) -> HttpResponse:
    teams = team_counts(teams_in_scope(request.user))
    return render(request, "web/team_list.html", {"teams": teams})


def team_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    team = get_object_or_404(teams_in_scope(request.user), pk=pk)
    visible = children_in_scope(request.user)
    workers = workers_with_caseloads(team, visible)
    children = visible.filter(team=team).select_related("worker").order_by("last_name", "first_name")
    page = Paginator(children, 50).get_page(request.GET.get("page"))
    record_shown(request, page.object_list, detail=f"team page {team.pk}, page {page.number}")
    return render(request, "web/team_detail.html", {"team": team, "workers": workers, "page": page})


def worker_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    worker = get_object_or_404(Worker.objects.select_related("team"), pk=pk)
    if not teams_in_scope(request.user).filter(pk=worker.team_id).exists() and request.user.worker_id != worker.pk:
        raise PermissionDenied
    children = list(children_in_scope(request.user).filter(worker=worker).order_by("last_name", "first_name"))
    record_shown(request, children, detail=f"worker page {worker.pk}")
    return render(request, "web/worker_detail.html", {"worker": worker, "children": children})


def forbidden(request: AuthedRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {
            "title": "Forbidden",
            "message": (
                "You do not have permission to see this page. "
                "If you think you should, ask your manager or the system administrator."
            ),
        },
        status=403,
    )


def not_found(request: AuthedRequest, exception: Exception | None = None) -> HttpResponse:
    return render(
        request,
        "web/error.html",
        {"title": "Page not found", "message": "If you typed the web address, check it is correct."},
        status=404,
    )


def server_error(request: AuthedRequest) -> HttpResponse:
    """A static page: no detail of the failure (it could carry a child's data), and nothing that needs the
    database (no request context, so no context processor, user or session), so it shows when the database is down."""
    html = render_to_string("web/500.html", {"static_url": settings.STATIC_URL})
    return HttpResponse(html, status=500)
