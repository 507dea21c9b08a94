from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from accounts.models import Role
from children.models import Child
from children.selectors import is_partner

from . import selectors
from .models import Action, AuditEvent, ShownChild


def audit_log(request: AuthedRequest) -> HttpResponse:
    """Administrators search the log by person, child, action and date."""
    if request.user.role != Role.ADMINISTRATOR and not request.user.is_superuser:
        raise PermissionDenied
    if is_partner(request.user):  # the log names children: never for a partner account (docs/entitlements.md)
        raise PermissionDenied
    events = AuditEvent.objects.select_related("child")
    filters = {
        "username": request.GET.get("username", "").strip(),
        "child": request.GET.get("child", "").strip(),
        "action": request.GET.get("action", "").strip(),
        "date_from": request.GET.get("date_from", "").strip(),
        "date_to": request.GET.get("date_to", "").strip(),
    }
    if filters["username"]:
        events = events.filter(username__iexact=filters["username"])
    if filters["child"]:
        # The child's own pages and every list, search or export that showed them (decision 0017).
        child = Child.objects.filter(la_child_id__iexact=filters["child"]).values_list("pk", flat=True).first()
        events = events.filter(pk__in=selectors.about_child(child).values("pk")) if child else events.none()
    if filters["action"]:
        events = events.filter(action=filters["action"])
    if filters["date_from"]:
        events = events.filter(at__date__gte=filters["date_from"])
    if filters["date_to"]:
        events = events.filter(at__date__lte=filters["date_to"])
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    counts = dict(
        ShownChild.objects.filter(event__in=[e.pk for e in page.object_list])
        .values("event")
        .annotate(n=Count("pk"))
        .values_list("event", "n")
    )
    for e in page.object_list:
        e.shown_count = counts.get(e.pk, 0)  # type: ignore[attr-defined]  # for the template only
    return render(request, "audit/audit_log.html", {"page": page, "filters": filters, "actions": Action.choices})
