from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from accounts.models import Role

from .selectors import background_work as background_report
from .selectors import health as health_report


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """For the council's monitoring: no sign-in, no session, no personal data; 503 when unhealthy."""
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


def background_work(request: HttpRequest) -> HttpResponse:
    """Queued, running and finished background work, the workers and the periodic work: for performance analysts
    and administrators (who run the imports)."""
    if getattr(request.user, "role", None) not in {Role.ANALYST, Role.ADMINISTRATOR}:
        raise PermissionDenied("Only performance analysts and administrators can see the background work.")
    return render(request, "operations/background_work.html", background_report())
