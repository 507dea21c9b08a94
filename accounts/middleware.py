"""Every page needs a signed-in user, except sign-in itself and static files; and a sign-in lasts at most
LOS_SESSION_ABSOLUTE_SECONDS (12 hours) however active it is, on top of the 30-minute idle timeout."""

import time
from collections.abc import Callable

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse

OPEN_PREFIXES = ("/accounts/login/", "/static/", "/healthz", "/health/")
SIGNED_IN_AT = "los_signed_in_at"  # set at sign-in (accounts.signals.on_login), seconds since the epoch


def session_expired(request: HttpRequest, now: float | None = None) -> bool:
    started = request.session.get(SIGNED_IN_AT)
    if not isinstance(started, int | float):
        return True  # a session from before the limit, or not made by signing in: sign in again
    return (now if now is not None else time.time()) - started > settings.LOS_SESSION_ABSOLUTE_SECONDS


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.user.is_authenticated and session_expired(request):
            had_limit = SIGNED_IN_AT in request.session
            logout(request)  # audited as a sign-out (accounts.signals); LoginRequiredMiddleware then asks to sign in
            if had_limit:
                hours = settings.LOS_SESSION_ABSOLUTE_SECONDS // 3600
                messages.info(request, f"You have been signed out because you signed in more than {hours} hours ago.")
        return self.get_response(request)


class LoginRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.user.is_authenticated and not request.path.startswith(OPEN_PREFIXES):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)
