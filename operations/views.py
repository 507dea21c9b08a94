from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_safe

from .selectors import health as health_report


@require_safe
def health(request: HttpRequest) -> HttpResponse:
    """For the council's monitoring: no sign-in, no session, no personal data; 503 when unhealthy."""
    report = health_report()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)
