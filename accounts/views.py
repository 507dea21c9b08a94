"""The administrators' list of access changes, and self-service password change."""

from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.forms import PasswordChangeForm
from django.contrib.auth.views import PasswordChangeView
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

from audit.models import Action
from audit.services import record

from .access import recent_access_changes
from .http import AuthedRequest
from .models import Role, User

# The same allowance as sign-in (settings.AXES_*): five wrong current passwords, then 15 minutes' wait.
PASSWORD_CHANGE_FAILURE_LIMIT = settings.AXES_FAILURE_LIMIT
PASSWORD_CHANGE_COOLOFF_SECONDS = int(settings.AXES_COOLOFF_TIME * 60 * 60)


def is_administrator(user: object) -> bool:
    return getattr(user, "role", None) == Role.ADMINISTRATOR or bool(getattr(user, "is_superuser", False))


def access_changes(request: AuthedRequest) -> HttpResponse:
    """Every change of anyone's access, newest first, so each administrator sees what the others granted."""
    if not is_administrator(request.user):
        raise PermissionDenied
    page = Paginator(recent_access_changes(), 100).get_page(request.GET.get("page"))
    return render(request, "accounts/access_changes.html", {"page": page})


class GovukPasswordChangeForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = "govuk-input govuk-!-width-two-thirds"


class PasswordChange(PasswordChangeView):
    """Change one's own password: the current one is needed, wrong guesses are throttled like sign-in
    (PASSWORD_CHANGE_FAILURE_LIMIT in 15 minutes, then refused), and the change is audited (never the password)."""

    form_class = GovukPasswordChangeForm
    template_name = "registration/password_change_form.html"

    def throttle_key(self) -> str:
        return f"password-change-failures:{self.request.user.pk}"

    def locked(self) -> bool:
        return int(cache.get(self.throttle_key(), 0)) >= PASSWORD_CHANGE_FAILURE_LIMIT

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if request.user.is_authenticated and not request.user.has_usable_password():
            raise Http404  # a single sign-on account: its password is the provider's (decision 0025)
        if request.user.is_authenticated and request.method == "POST" and self.locked():
            record(Action.FORBIDDEN, request=request, obj=request.user, detail="password change: too many attempts")
            return render(request, "registration/locked_out.html", status=429)
        return super().dispatch(request, *args, **kwargs)

    def form_invalid(self, form: Any) -> HttpResponse:
        if "old_password" in form.errors:
            key = self.throttle_key()
            cache.add(key, 0, PASSWORD_CHANGE_COOLOFF_SECONDS)
            cache.incr(key)
            detail = "password change: wrong current password"
            record(Action.FORBIDDEN, request=self.request, obj=cast(User, self.request.user), detail=detail)
        return super().form_invalid(form)

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        cache.delete(self.throttle_key())
        user = cast(User, self.request.user)
        record(Action.CHANGE, request=self.request, obj=user, detail="password changed by its owner")
        messages.success(self.request, "Your password has been changed")
        return response

    def get_success_url(self) -> str:
        return reverse("home")
