"""Partnership business pages. Thin: selectors read, services change, templates show."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.http import AuthedRequest
from audit.models import Action as AuditAction
from audit.services import record

from . import selectors, services
from .forms import AllegationForm, PeriodForm, TargetForm
from .models import Allegation


def _allowed(request: AuthedRequest) -> None:
    if not selectors.may_use(request.user):
        record(AuditAction.FORBIDDEN, request=request, detail="partnership: role may not see it")
        raise PermissionDenied


def _period(request: AuthedRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    """The period from ?start=&end=, else the financial year to date."""
    start, end = selectors.financial_year(selectors.today())
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


def home(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    return render(request, "partnership/home.html", {"open": selectors.open_cases()})


# --- allegations --------------------------------------------------------------


def allegation_list(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    cases = selectors.open_cases()
    record(AuditAction.VIEW, request=request, detail=f"open allegations: {len(cases)}")
    return render(
        request,
        "partnership/allegation_list.html",
        {
            "cases": cases,
            "overdue": sum(1 for c in cases if c.overdue),
            "months": selectors.target_months(),
            "recent": Allegation.objects.exclude(closed_date=None).select_related("agency")[:20],
        },
    )


def allegation_add(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    form = AllegationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        allegation = services.create_allegation(request.user, **form.values())
        messages.success(request, f"Allegation {allegation.reference} recorded")
        return redirect("partnership_allegation", allegation.pk)
    return render(request, "partnership/form.html", {"form": form, "title": "Record an allegation"})


def _allegation(request: AuthedRequest, pk: int) -> Allegation:
    _allowed(request)
    return get_object_or_404(Allegation.objects.select_related("agency", "child"), pk=pk)


def allegation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    allegation = _allegation(request, pk)
    sees_child = selectors.may_see_child(request.user, allegation)
    record(AuditAction.VIEW, request=request, child=allegation.child_id, obj=allegation, detail="allegation")
    case = next((c for c in selectors.open_cases() if c.allegation.pk == allegation.pk), None)
    return render(
        request,
        "partnership/allegation_detail.html",
        {"a": allegation, "sees_child": sees_child, "case": case, "today": selectors.today()},
    )


def allegation_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    allegation = _allegation(request, pk)
    form = AllegationForm(request.POST or None, instance=allegation, user=request.user)
    if request.method == "POST" and form.is_valid():
        changed = services.update_allegation(request.user, Allegation.objects.get(pk=pk), **form.values())
        messages.success(request, "Saved" if changed else "Nothing changed")
        return redirect("partnership_allegation", pk)
    if request.method == "GET":
        record(AuditAction.VIEW, request=request, child=allegation.child_id, obj=allegation, detail="allegation form")
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": f"Change allegation {allegation.reference}",
            "back_url": reverse("partnership_allegation", args=[pk]),
        },
    )


def allegation_chase(request: AuthedRequest, pk: int) -> HttpResponse:
    allegation = _allegation(request, pk)
    if request.method != "POST":
        return redirect("partnership_allegation", pk)
    services.chase(request.user, allegation, selectors.today())
    messages.success(request, f"Recorded that the employer was chased today for {allegation.reference}")
    if request.POST.get("next") == "list":
        return redirect("partnership_allegations")
    return redirect("partnership_allegation", pk)


def allegation_target(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    form = TargetForm(request.POST or None, initial={"target_months": selectors.target_months()})
    if request.method == "POST" and form.is_valid():
        services.set_target_months(request.user, form.cleaned_data["target_months"])
        messages.success(request, "Target saved")
        return redirect("partnership_allegations")
    return render(request, "partnership/form.html", {"form": form, "title": "Target for closing an allegation"})


def allegation_report(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    form, start, end = _period(request)
    report = selectors.lado_report(start, end)
    record(AuditAction.VIEW, request=request, detail=f"allegation tables {start}..{end}")
    return render(request, "partnership/allegation_report.html", {"form": form, "r": report})
