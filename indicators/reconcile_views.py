"""The DfE's published figures for this council beside Line of Sight's (issue 14 point 5)."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import render

from accounts.http import AuthedRequest
from audit.models import Action
from audit.services import record

from . import published, selectors
from .views import _allowed


def reconciliation(request: AuthedRequest) -> HttpResponse:
    """Per indicator and year: published, ours, the difference and, where they differ, a link to
    the children behind ours (the drill-down, which limits them to the user's scope and audits it)."""
    _allowed(request)
    lines = published.reconcile(selectors.current_facts())
    record(Action.VIEW, request=request, detail=f"reconciliation with published figures: {len(lines)} lines")
    return render(request, "indicators/reconciliation.html", {"lines": lines})
