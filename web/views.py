"""Pages. Thin: the selectors decide what each user may see."""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string

from accounts.http import AuthedRequest
from audit.models import Action
from audit.services import record, record_shown, record_view
from audits.selectors import auditing
from children.models import Child
from children.selectors import children_in_scope, chronology, refusal_detail
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


def child_list(request: AuthedRequest) -> HttpResponse:
    children = children_in_scope(request.user).select_related("team", "worker")
    query = request.GET.get("q", "").strip()
    if query:
        children = children.filter(
            Q(la_child_id__iexact=query) | Q(last_name__istartswith=query) | Q(first_name__istartswith=query)
        )
    page = Paginator(children.order_by("last_name", "first_name", "pk"), 50).get_page(request.GET.get("page"))
    record_shown(request, page.object_list, detail=f"children list page {page.number}" + (" (search)" if query else ""))
    return render(request, "web/child_list.html", {"page": page, "query": query})


def child_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    child = get_object_or_404(Child.objects.select_related("team", "worker"), pk=pk)
    in_scope = children_in_scope(request.user).filter(pk=pk).exists()
    audit = None if in_scope else auditing(request.user, child.pk)  # an auditor grading the child (decision 0036)
    if not in_scope and audit is None:
        # Not found, as a child that does not exist, so that ids cannot be probed; the attempt is still recorded.
        record(Action.FORBIDDEN, request=request, child=child, detail=refusal_detail(request.user, child))
        raise Http404
    record_view(request, child, detail=f"as auditor of audit {audit.pk}" if audit else "")
    context = {
        "child": child,
        "entries": chronology(child),
        "disabilities": [d.code for d in child.disabilities.all()],
        "cohort": child.cohort_entries.filter(closed_date__isnull=True).first(),
        "proceedings": child.proceedings.exclude(issued_date=None).prefetch_related("extensions"),
        "placement": child.episodes.filter(end_date=None).order_by("-start_date").first(),
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
