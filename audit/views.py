from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from accounts.models import Role

from .models import Action, AuditEvent


def audit_log(request: AuthedRequest) -> HttpResponse:
    """Administrators search the log by person, child, action and date."""
    if request.user.role != Role.ADMINISTRATOR and not request.user.is_superuser:
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
        events = events.filter(child__la_child_id__iexact=filters["child"])
    if filters["action"]:
        events = events.filter(action=filters["action"])
    if filters["date_from"]:
        events = events.filter(at__date__gte=filters["date_from"])
    if filters["date_to"]:
        events = events.filter(at__date__lte=filters["date_to"])
    page = Paginator(events, 100).get_page(request.GET.get("page"))
    return render(request, "audit/audit_log.html", {"page": page, "filters": filters, "actions": Action.choices})
