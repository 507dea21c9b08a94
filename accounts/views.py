"""The administrators' list of access changes, and self-service password change."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from .access import recent_access_changes
from .http import AuthedRequest
from .models import Role


def is_administrator(user: object) -> bool:
    return getattr(user, "role", None) == Role.ADMINISTRATOR or bool(getattr(user, "is_superuser", False))


def access_changes(request: AuthedRequest) -> HttpResponse:
    """Every change of anyone's access, newest first, so each administrator sees what the others granted."""
    if not is_administrator(request.user):
        raise PermissionDenied
    page = Paginator(recent_access_changes(), 100).get_page(request.GET.get("page"))
    return render(request, "accounts/access_changes.html", {"page": page})
