"""Partnership business pages. Thin: selectors read, services change, templates show."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from accounts.http import AuthedRequest
from audit.models import Action as AuditAction
from audit.services import record
from organisation.models import PartnerAgency

from . import exports, selectors, services
from .forms import (
    AllegationForm,
    AttendanceForm,
    BodyForm,
    CourseForm,
    DelegateForm,
    MeetingForm,
    MembershipForm,
    PeriodForm,
    SessionForm,
    SessionScoresForm,
    TargetForm,
)
from .models import Allegation, Attendance, Body, Course, CourseSession, Delegate, Meeting, Membership


def _allowed(request: AuthedRequest) -> None:
    if not selectors.may_use(request.user):
        record(AuditAction.FORBIDDEN, request=request, detail="partnership: role may not see it")
        raise PermissionDenied


def _allowed_allegations(request: AuthedRequest) -> None:
    if not selectors.may_see_allegations(request.user):
        record(AuditAction.FORBIDDEN, request=request, detail="allegations: role may not see them")
        raise PermissionDenied


def _period(request: AuthedRequest) -> tuple[PeriodForm, dt.date, dt.date]:
    """The period from ?start=&end=, else the financial year to date."""
    start, end = selectors.financial_year(selectors.today())
    form = PeriodForm(request.GET or None, initial={"start": start, "end": end})
    if request.GET and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    return form, start, end


def home(request: AuthedRequest) -> HttpResponse:
    _allowed_allegations(request)  # every partnership role sees allegations
    return render(
        request,
        "partnership/home.html",
        {"open": selectors.open_cases(), "business": selectors.may_use(request.user)},
    )


# --- allegations --------------------------------------------------------------


def allegation_list(request: AuthedRequest) -> HttpResponse:
    _allowed_allegations(request)
    cases = selectors.open_cases()
    record(AuditAction.VIEW, request=request, detail=f"open allegations: {len(cases)}")
    return render(
        request,
        "partnership/allegation_list.html",
        {
            "cases": cases,
            "overdue": sum(1 for c in cases if c.overdue),
            "by_employer": selectors.open_by_employer(cases),
            "months": selectors.target_months(),
            "recent": Allegation.objects.exclude(closed_date=None).select_related("agency")[:20],
        },
    )


def allegation_add(request: AuthedRequest) -> HttpResponse:
    _allowed_allegations(request)
    form = AllegationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        allegation = services.create_allegation(request.user, **form.values())
        messages.success(request, f"Allegation {allegation.reference} recorded")
        return redirect("partnership_allegation", allegation.pk)
    return render(request, "partnership/form.html", {"form": form, "title": "Record an allegation"})


def _allegation(request: AuthedRequest, pk: int) -> Allegation:
    _allowed_allegations(request)
    return get_object_or_404(Allegation.objects.select_related("agency", "child"), pk=pk)


def allegation_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    allegation = _allegation(request, pk)
    sees_child = selectors.may_see_child(request.user, allegation)
    record(AuditAction.VIEW, request=request, child=allegation.child_id, obj=allegation, detail="allegation")
    case = selectors.case_of(allegation)
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
    _allowed_allegations(request)
    form = TargetForm(request.POST or None, initial={"target_months": selectors.target_months()})
    if request.method == "POST" and form.is_valid():
        services.set_target_months(request.user, form.cleaned_data["target_months"])
        messages.success(request, "Target saved")
        return redirect("partnership_allegations")
    return render(request, "partnership/form.html", {"form": form, "title": "Target for closing an allegation"})


def allegation_report(request: AuthedRequest) -> HttpResponse:
    _allowed_allegations(request)
    form, start, end = _period(request)
    report = selectors.lado_report(start, end)
    record(AuditAction.VIEW, request=request, detail=f"allegation tables {start}..{end}")
    return render(
        request,
        "partnership/allegation_report.html",
        {"form": form, "r": report, "business": selectors.may_use(request.user)},
    )


# --- training -------------------------------------------------------------------


def training(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    courses = Course.objects.annotate(runs=Count("sessions"), latest=Max("sessions__date"))
    return render(request, "partnership/training.html", {"courses": courses})


def course_add(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    form = CourseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        course = form.save()
        record(AuditAction.CREATE, request=request, obj=course, detail="course")
        return redirect("partnership_course", course.pk)
    return render(
        request,
        "partnership/form.html",
        {"form": form, "title": "Add a course", "back_url": reverse("partnership_training")},
    )


def course_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _allowed(request)
    course = get_object_or_404(Course, pk=pk)
    sessions = course.sessions.annotate(came=Count("delegates", filter=Q(delegates__attended=True)))
    return render(request, "partnership/course_detail.html", {"course": course, "sessions": sessions})


def session_add(request: AuthedRequest, pk: int) -> HttpResponse:
    _allowed(request)
    course = get_object_or_404(Course, pk=pk)
    form = SessionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        session = form.save(commit=False)
        session.course = course
        session.save()
        record(AuditAction.CREATE, request=request, obj=session, detail="course session")
        return redirect("partnership_session", session.pk)
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": "Add a session",
            "caption": course.title,
            "back_url": reverse("partnership_course", args=[pk]),
        },
    )


def session_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _allowed(request)
    session = get_object_or_404(CourseSession.objects.select_related("course"), pk=pk)
    form = DelegateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.add_delegate(request.user, session, **form.cleaned_data)
        messages.success(request, f"{form.cleaned_data['name']} added")
        return redirect("partnership_session", pk)
    delegates = session.delegates.select_related("agency")
    record(AuditAction.VIEW, request=request, obj=session, detail="delegates")
    return render(
        request, "partnership/session_detail.html", {"session": session, "delegates": delegates, "form": form}
    )


def delegate_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    _allowed(request)
    delegate = get_object_or_404(Delegate.objects.select_related("session__course"), pk=pk)
    form = DelegateForm(request.POST or None, instance=Delegate.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        services.update_delegate(request.user, delegate, **form.cleaned_data)
        return redirect("partnership_session", delegate.session_id)
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": f"Change {delegate.name}",
            "caption": str(delegate.session),
            "back_url": reverse("partnership_session", args=[delegate.session_id]),
            "remove_url": reverse("partnership_delegate_remove", args=[pk]),
            "remove_label": "Remove this booking (made in error)",
        },
    )


def training_report(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    form, start, end = _period(request)
    rows, total = selectors.course_table(start, end)
    agencies, attendees = selectors.training_by_agency(start, end)
    return render(
        request,
        "partnership/training_report.html",
        {
            "form": form,
            "start": start,
            "end": end,
            "rows": rows,
            "total": total,
            "agencies": agencies,
            "attendees": attendees,
            "evaluation": selectors.evaluation(start, end),
            "previous": selectors.training_totals(*selectors.year_before(start, end)),
        },
    )


# --- board and sub-groups -------------------------------------------------------


def meetings(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    bodies = Body.objects.annotate(held=Count("meetings", distinct=True), latest=Max("meetings__date"))
    return render(request, "partnership/meetings.html", {"bodies": bodies})


def body_add(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    form = BodyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        body = form.save()
        record(AuditAction.CREATE, request=request, obj=body, detail="board or sub-group")
        return redirect("partnership_body", body.pk)
    return render(
        request,
        "partnership/form.html",
        {"form": form, "title": "Add the board or a sub-group", "back_url": reverse("partnership_meetings")},
    )


def body_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _allowed(request)
    body = get_object_or_404(Body, pk=pk)
    form, start, end = _period(request)
    return render(
        request,
        "partnership/body_detail.html",
        {
            "body": body,
            "form": form,
            "grid": selectors.attendance_grid(body, start, end),
            "start": start,
            "end": end,
            "memberships": body.memberships.select_related("agency"),
            "statuses": dict(Attendance.Status.choices),
        },
    )


def member_add(request: AuthedRequest, pk: int) -> HttpResponse:
    _allowed(request)
    body = get_object_or_404(Body, pk=pk)
    form = MembershipForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        seat = form.save(commit=False)
        seat.body = body
        seat.save()
        record(AuditAction.CREATE, request=request, obj=seat, detail=f"member of {body}")
        return redirect("partnership_body", pk)
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": "Add a member agency",
            "caption": body.name,
            "back_url": reverse("partnership_body", args=[pk]),
        },
    )


def meeting_add(request: AuthedRequest, pk: int) -> HttpResponse:
    _allowed(request)
    body = get_object_or_404(Body, pk=pk)
    form = MeetingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if Meeting.objects.filter(body=body, date=form.cleaned_data["date"]).exists():
            form.add_error("date", "This body already has a meeting on that day")
        else:
            meeting = Meeting.objects.create(body=body, date=form.cleaned_data["date"])
            record(AuditAction.CREATE, request=request, obj=meeting, detail="meeting")
            return redirect("partnership_meeting", meeting.pk)
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": "Add a meeting",
            "caption": body.name,
            "back_url": reverse("partnership_body", args=[pk]),
        },
    )


def meeting_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    """Who attended: one choice for each agency with a seat on the day (and any recorded before)."""
    _allowed(request)
    meeting = get_object_or_404(Meeting.objects.select_related("body"), pk=pk)
    current = dict(meeting.attendance.values_list("agency_id", "status"))
    agencies = selectors.member_agencies(meeting.body, meeting.date)
    extra = [a for a in PartnerAgency.objects.filter(pk__in=current) if a not in agencies]
    form = AttendanceForm(request.POST or None, agencies=agencies + extra, current=current)
    if request.method == "POST" and form.is_valid():
        services.record_attendance(request.user, meeting, form.statuses())
        messages.success(request, "Attendance saved")
        return redirect("partnership_body", meeting.body_id)
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": f"Attendance on {meeting.date:%-d %b %Y}",
            "caption": meeting.body.name,
            "back_url": reverse("partnership_body", args=[meeting.body_id]),
            "empty": "No agency had a seat on this body on that day: add member agencies first.",
        },
    )


def meetings_report(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    form, start, end = _period(request)
    return render(
        request,
        "partnership/meetings_report.html",
        {"form": form, "start": start, "end": end, "rows": selectors.attendance_by_agency(start, end)},
    )


def report_xlsx(request: AuthedRequest) -> HttpResponse:
    _allowed(request)
    _, start, end = _period(request)
    record(AuditAction.EXPORT, request=request, detail=f"partnership annual report tables {start}..{end}")
    response = HttpResponse(
        exports.workbook(start, end), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = f'attachment; filename="partnership-{start:%Y-%m-%d}-to-{end:%Y-%m-%d}.xlsx"'
    return response


def member_edit(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change a seat: most often to give the date an agency left the body."""
    _allowed(request)
    seat = get_object_or_404(Membership.objects.select_related("body", "agency"), pk=pk)
    form = MembershipForm(request.POST or None, instance=seat)
    if request.method == "POST" and form.is_valid():
        form.save()
        record(AuditAction.CHANGE, request=request, obj=seat, detail=f"member of {seat.body}")
        return redirect("partnership_body", seat.body_id)
    return render(
        request,
        "partnership/form.html",
        {
            "form": form,
            "title": f"Change {seat.agency}'s seat",
            "caption": seat.body.name,
            "back_url": reverse("partnership_body", args=[seat.body_id]),
        },
    )


def session_scores(request: AuthedRequest, pk: int) -> HttpResponse:
    _allowed(request)
    session = get_object_or_404(CourseSession.objects.select_related("course"), pk=pk)
    delegates = list(session.delegates.select_related("agency"))
    form = SessionScoresForm(request.POST or None, delegates=delegates)
    if request.method == "POST" and form.is_valid():
        changed = services.record_scores(request.user, session, form.values())
        messages.success(request, f"Saved: {changed} delegate{'s' if changed != 1 else ''} changed")
        return redirect("partnership_session", pk)
    return render(request, "partnership/session_scores.html", {"session": session, "form": form})


def delegate_remove(request: AuthedRequest, pk: int) -> HttpResponse:
    _allowed(request)
    delegate = get_object_or_404(Delegate.objects.select_related("session__course"), pk=pk)
    if request.method == "POST":
        services.remove_delegate(request.user, delegate)
        messages.success(request, f"{delegate.name} removed")
    return redirect("partnership_session", delegate.session_id)
