"""Requests as views see them: LoginRequiredMiddleware guarantees a signed-in user."""

from django.http import HttpRequest

from .models import User


class AuthedRequest(HttpRequest):
    user: User  # type: ignore[assignment]
