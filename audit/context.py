"""The request behind the current unit of work, so that changes made deep in
services or signals are attributed to the person who asked for them."""

from contextvars import ContextVar

from django.http import HttpRequest

current_request: ContextVar[HttpRequest | None] = ContextVar("current_request", default=None)
