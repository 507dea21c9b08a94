"""Recording by hand what no return carries: a court's extension of care proceedings, and how a
placement was made. Council staff who work the child's case only; the child must be in their scope."""

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from accounts.http import AuthedRequest
from accounts.models import Role
from audit.models import Action
from audit.services import record, record_view

from . import services
from .forms import ExtensionForm, PlacementRegulationForm
from .models import CareProceedings, Child, LookedAfterEpisode
from .selectors import children_in_scope, refusal_detail

# Those who keep a child's case record. Directors, analysts, auditors and partners read; they do not record.
RECORDERS = {Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.HEAD_OF_SERVICE}


def _child_to_record(request: AuthedRequest, child: Child) -> Child:
    if not children_in_scope(request.user).filter(pk=child.pk).exists():
        record(Action.FORBIDDEN, request=request, child=child, detail=refusal_detail(request.user, child))
        raise Http404  # as for a child that does not exist (decision 0020)
    if request.user.role not in RECORDERS:
        record(Action.FORBIDDEN, request=request, child=child, detail="recording: not a case role")
        raise PermissionDenied
    return child


def proceedings_extension(request: AuthedRequest, pk: int) -> HttpResponse:
    proceedings = get_object_or_404(CareProceedings.objects.select_related("child"), pk=pk)
    child = _child_to_record(request, proceedings.child)
    form = ExtensionForm(request.POST or None, proceedings=proceedings)
    if request.method == "POST" and form.is_valid():
        services.record_extension(proceedings, **form.cleaned_data)
        messages.success(request, f"Extension of {form.cleaned_data['weeks']} weeks recorded")
        return redirect("child_detail", child.pk)
    record_view(request, child, detail="record a court extension")
    return render(request, "children/extension_form.html", _context(child, form, proceedings=proceedings))


def placement_regulation(request: AuthedRequest, pk: int) -> HttpResponse:
    episode = get_object_or_404(LookedAfterEpisode.objects.select_related("child"), pk=pk)
    child = _child_to_record(request, episode.child)
    form = PlacementRegulationForm(request.POST or None, initial={"placement_regulation": episode.placement_regulation})
    if request.method == "POST" and form.is_valid():
        services.set_placement_regulation(episode, form.cleaned_data["placement_regulation"])
        messages.success(request, "How the placement was made is recorded; its visits follow it")
        return redirect("child_detail", child.pk)
    record_view(request, child, detail="record how a placement was made")
    return render(request, "children/placement_regulation_form.html", _context(child, form, episode=episode))


def _context(child: Child, form: Any, **extra: Any) -> dict[str, Any]:
    return {"child": child, "form": form, **extra}
