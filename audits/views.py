"""Audit programme pages. Thin: selectors decide who sees what, services change data."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from accounts.http import AuthedRequest
from accounts.models import Role
from audit.models import Action
from audit.services import record, record_shown, record_view
from children.selectors import RESTRICTED, refusal_detail

from . import exports, selectors, services
from .forms import (
    ActionForm,
    GradingForm,
    ModerationForm,
    QuestionForm,
    ReassignForm,
    ReauditForm,
    RoundForm,
    SampleForm,
    ScaleForm,
    ScrutinyForm,
    Section11Form,
    Section11ScheduleForm,
    SectionForm,
    ToolForm,
)
from .models import AuditAction, AuditRound, AuditTool, CaseAudit, GradingScale, Section11Assessment


def _manager(request: AuthedRequest) -> None:
    if not selectors.can_manage(request.user):
        record(Action.FORBIDDEN, request=request, detail="audits: not a QA role")
        raise PermissionDenied


def _case(request: AuthedRequest, pk: int) -> CaseAudit:
    case = get_object_or_404(
        CaseAudit.objects.select_related("round__tool__scale", "child", "auditor", "team", "agreed_grade"), pk=pk
    )
    if not selectors.can_view(request.user, case):
        # Not found, as a case that does not exist, so that a child's audits cannot be probed; still recorded.
        restricted = refusal_detail(request.user, case.child) == RESTRICTED
        why = RESTRICTED if restricted else "audit outside the user's scope"
        record(Action.FORBIDDEN, request=request, child=case.child, obj=case, detail=why)
        raise Http404
    return case


def _refuse(request: AuthedRequest, case: CaseAudit, why: str) -> None:
    record(Action.FORBIDDEN, request=request, child=case.child, obj=case, detail=why)
    raise PermissionDenied


def home(request: AuthedRequest) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    rounds = selectors.rounds_for(user).annotate(
        n=Count("case_audits"), done=Count("case_audits", filter=Q(case_audits__status=CaseAudit.Status.COMPLETED))
    )
    mine = list(selectors.my_audits(user))
    record_shown(request, [c.child_id for c in mine], detail="audits home: my audits")
    return render(
        request,
        "audits/home.html",
        {
            "mine": mine,
            "rounds": rounds,
            "today": today,
            "can_manage": selectors.can_manage(user),
            "can_section11": selectors.can_section11(user),
        },
    )


# -- scales and tools -------------------------------------------------------------


def tool_list(request: AuthedRequest) -> HttpResponse:
    _manager(request)
    return render(
        request,
        "audits/tool_list.html",
        {
            "tools": AuditTool.objects.select_related("scale").annotate(questions=Count("sections__questions")),
            "scales": GradingScale.objects.prefetch_related("grades"),
        },
    )


def scale_new(request: AuthedRequest) -> HttpResponse:
    _manager(request)
    form = ScaleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.create_scale(form.cleaned_data["name"], form.labels())
        except ValidationError as e:
            form.add_error("grades", e)
        else:
            messages.success(request, "Grading scale saved")
            return redirect("audits_tools")
    return render(request, "audits/form.html", {"form": form, "title": "New grading scale"})


def tool_new(request: AuthedRequest) -> HttpResponse:
    _manager(request)
    form = ToolForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        tool = services.create_tool(d["name"], d["scale"], d["description"], d["use"])
        return redirect("audits_tool", pk=tool.pk)
    return render(request, "audits/form.html", {"form": form, "title": "New audit tool"})


def tool_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _manager(request)
    tool = get_object_or_404(AuditTool.objects.select_related("scale"), pk=pk)
    section_form = SectionForm(request.POST if request.POST.get("add") == "section" else None, prefix="s")
    question_form = QuestionForm(tool, request.POST if request.POST.get("add") == "question" else None, prefix="q")
    if request.method == "POST":
        if request.POST.get("active") in ("0", "1"):
            services.set_tool_active(tool, request.POST["active"] == "1")
            messages.success(
                request, "The tool is in use for new rounds" if tool.active else "The tool is no longer offered"
            )
            return redirect("audits_tool", pk=tool.pk)
        if section_form.is_bound and section_form.is_valid():
            services.add_section(tool, section_form.cleaned_data["title"])
            return redirect("audits_tool", pk=tool.pk)
        if question_form.is_bound and question_form.is_valid():
            d = question_form.cleaned_data
            services.add_question(d["section"], d["text"], d["guidance"])
            return redirect("audits_tool", pk=tool.pk)
    return render(
        request,
        "audits/tool_detail.html",
        {
            "tool": tool,
            "sections": tool.sections.prefetch_related("questions"),
            "grades": tool.scale.grades.all(),
            "section_form": section_form,
            "question_form": question_form,
        },
    )


# -- rounds ---------------------------------------------------------------------


def round_new(request: AuthedRequest) -> HttpResponse:
    _manager(request)
    form = RoundForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        audit_round = services.create_round(by=request.user, **form.cleaned_data)
        return redirect("audits_round", pk=audit_round.pk)
    return render(request, "audits/form.html", {"form": form, "title": "New audit round"})


def _round(request: AuthedRequest, pk: int) -> AuditRound:
    audit_round = get_object_or_404(AuditRound.objects.select_related("tool__scale", "baseline"), pk=pk)
    if not selectors.rounds_for(request.user).filter(pk=pk).exists():
        record(Action.FORBIDDEN, request=request, obj=audit_round, detail="audit round: no audit in scope")
        raise PermissionDenied
    return audit_round


def round_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    audit_round = _round(request, pk)
    cases = list(
        selectors.visible_cases(request.user, audit_round.case_audits.all()).select_related(
            "child", "auditor", "team", "agreed_grade", "auditor_grade"
        )
    )
    record_shown(request, [c.child_id for c in cases], obj=audit_round, detail="audit round: the sample")
    return render(
        request,
        "audits/round_detail.html",
        {
            "round": audit_round,
            "cases": cases,
            "can_manage": selectors.can_manage(request.user),
            "today": timezone.localdate(),
        },
    )


def round_sample(request: AuthedRequest, pk: int) -> HttpResponse:
    _manager(request)
    audit_round = _round(request, pk)
    form = SampleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        d = form.cleaned_data
        try:
            result = services.sample(
                audit_round,
                size=d["size"],
                auditors=list(d["auditors"]),
                today=timezone.localdate(),
                team=d["team"],
                service=d["service"],
                case_type=d["case_type"] or "",
            )
        except ValidationError as e:
            form.add_error("auditors", e)
        else:
            text = f"{len(result.assigned)} children sampled and assigned"
            if result.unassigned:
                text += f"; {len(result.unassigned)} passed over because every auditor manages them"
            messages.success(request, text)
            return redirect("audits_round", pk=audit_round.pk)
    return render(request, "audits/form.html", {"form": form, "title": f"Sample cases for {audit_round.title}"})


def round_reaudit(request: AuthedRequest, pk: int) -> HttpResponse:
    _manager(request)
    baseline = _round(request, pk)
    form = ReauditForm(request.POST or None, initial={"title": f"{baseline.title} – re-audit"})
    if request.method == "POST" and form.is_valid():
        reaudit = services.create_reaudit(baseline, by=request.user, **form.cleaned_data)
        messages.success(request, f"Re-audit created with {reaudit.case_audits.count()} children")
        return redirect("audits_round", pk=reaudit.pk)
    return render(request, "audits/form.html", {"form": form, "title": f"Re-audit {baseline.title}"})


def round_results(request: AuthedRequest, pk: int) -> HttpResponse:
    _manager(request)
    audit_round = _round(request, pk)
    cases = selectors.visible_cases(request.user, audit_round.case_audits.all())
    grades = list(audit_round.tool.scale.grades.all())
    today = timezone.localdate()
    comparison = selectors.comparison(audit_round, request.user) if audit_round.baseline_id else None
    context = {
        "round": audit_round,
        "grades": grades,
        "overall": selectors.distribution(cases, grades),
        "by_team": selectors.distribution(cases, grades, by="team"),
        "by_service": selectors.distribution(cases, grades, by="service"),
        "themes": selectors.themes(cases),
        "actions": selectors.action_counts(AuditAction.objects.filter(case_audit__in=cases), today),
        "comparison": comparison,
        "moderated": cases.filter(moderations__isnull=False).distinct().count(),
        "questions": selectors.question_distribution(cases, grades),
    }
    named = [p.case.child_id for p in comparison.worse_pairs if p.case] if comparison else []
    record_shown(request, named, obj=audit_round, detail="audit round results: children graded worse")
    return render(request, "audits/results.html", context)


def round_export(request: AuthedRequest, pk: int) -> HttpResponse:
    _manager(request)
    audit_round = _round(request, pk)
    cases = selectors.visible_cases(request.user, audit_round.case_audits.all())
    data = exports.round_xlsx(audit_round, cases)
    for child_id in cases.values_list("child_id", flat=True):
        record(Action.EXPORT, request=request, child=child_id, obj=audit_round, detail="audit round results (Excel)")
    response = HttpResponse(data, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="audit-round-{audit_round.pk}.xlsx"'
    return response


def compliance(request: AuthedRequest) -> HttpResponse:
    _manager(request)
    today = timezone.localdate()
    cases = selectors.visible_cases(request.user)
    return render(
        request,
        "audits/compliance.html",
        {"rows": selectors.compliance(today, cases), "today": today, "themes": selectors.themes(cases)},
    )


def actions_list(request: AuthedRequest) -> HttpResponse:
    """Actions arising still open, across the programme, for the QA roles and team managers."""
    if not (selectors.can_manage(request.user) or request.user.role == Role.TEAM_MANAGER):
        record(Action.FORBIDDEN, request=request, detail="audit actions: role")
        raise PermissionDenied
    actions = list(selectors.open_actions(request.user))
    for child_id in sorted({a.case_audit.child_id for a in actions}):
        record_view(request, child_id, detail="audit actions arising")
    return render(request, "audits/actions.html", {"actions": actions, "today": timezone.localdate()})


# -- a child's audit ----------------------------------------------------------------


def case_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    record_view(request, case.child, detail=f"audit {case.pk}")
    user = request.user
    return render(
        request,
        "audits/case_detail.html",
        {
            "case": case,
            "answers": case.answers.select_related("question__section", "grade"),
            "moderations": case.moderations.select_related("moderator", "grade", "grade_before"),
            "actions": case.actions.all(),
            "today": timezone.localdate(),
            "can_grade": selectors.can_grade(user, case),
            "can_open_record": selectors.can_open_record(user, case),
            "can_moderate": selectors.can_moderate(user, case),
            "can_track": selectors.can_track_actions(user, case),
            "can_reassign": selectors.can_manage_case(user, case) and case.status != CaseAudit.Status.COMPLETED,
        },
    )


def case_grade(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if not selectors.can_grade(request.user, case):
        _refuse(request, case, "audit: not the auditor, or completed")
    form = GradingForm(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        complete = request.POST.get("complete") == "1"
        try:
            services.save_grading(
                case,
                answers=form.answers(),
                overall=form.grade("overall"),
                summary=form.cleaned_data["summary"],
                themes=form.cleaned_data["themes"],
                complete=complete,
                by=request.user,
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, "Audit completed" if complete else "Audit saved; you can come back to it")
            return redirect("audits_case", pk=case.pk)
    else:
        record_view(request, case.child, detail=f"audit {case.pk} grading")
    return render(
        request,
        "audits/case_grade.html",
        {"case": case, "form": form, "can_open_record": selectors.can_open_record(request.user, case)},
    )


def case_moderate(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if not selectors.can_moderate(request.user, case):
        _refuse(request, case, "audit: may not moderate")
    form = ModerationForm(case, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.moderate(
                case, grade=form.by_pk[form.cleaned_data["grade"]], reason=form.cleaned_data["reason"], by=request.user
            )
        except ValidationError as e:
            form.add_error(None, e)
        else:
            messages.success(request, "Moderation saved")
            return redirect("audits_case", pk=case.pk)
    else:
        record_view(request, case.child, detail=f"audit {case.pk} moderation")
    return render(request, "audits/form.html", {"form": form, "title": "Moderate the grade", "case": case})


def case_reassign(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if not selectors.can_manage_case(request.user, case):
        _refuse(request, case, "audit: may not reassign")
    form = ReassignForm(request.POST or None, initial={"auditor": case.auditor_id})
    if request.method == "POST" and form.is_valid():
        try:
            services.reassign(case, form.cleaned_data["auditor"], request.user)
        except ValidationError as e:
            form.add_error("auditor", e)
        else:
            messages.success(request, "Auditor changed")
            return redirect("audits_case", pk=case.pk)
    record_view(request, case.child, detail=f"audit {case.pk}: change the auditor")
    return render(request, "audits/form.html", {"form": form, "title": "Change the auditor", "case": case})


def action_add(request: AuthedRequest, pk: int) -> HttpResponse:
    case = _case(request, pk)
    if not selectors.can_track_actions(request.user, case):
        _refuse(request, case, "audit: may not add actions")
    form = ActionForm(request.POST or None, initial={"owner": case.practitioner_name})
    if request.method == "POST" and form.is_valid():
        services.add_action(case, by=request.user, **form.cleaned_data)
        messages.success(request, "Action added")
        return redirect("audits_case", pk=case.pk)
    record_view(request, case.child, detail=f"audit {case.pk}: add an action")
    return render(request, "audits/form.html", {"form": form, "title": "Add an action arising", "case": case})


def action_done(request: AuthedRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(AuditAction, pk=pk)
    case = _case(request, action.case_audit_id)
    if request.method != "POST" or not selectors.can_track_actions(request.user, case):
        _refuse(request, case, "audit: may not complete actions")
    services.mark_done(action, on=timezone.localdate(), by=request.user)
    messages.success(request, "Action marked done")
    return redirect("audits_case", pk=case.pk)


# -- Section 11 self-assessments ---------------------------------------------------


def _section11_role(request: AuthedRequest) -> None:
    if not selectors.can_section11(request.user):
        record(Action.FORBIDDEN, request=request, detail="Section 11: role")
        raise PermissionDenied


def section11_schedule(request: AuthedRequest) -> HttpResponse:
    _section11_role(request)
    form = Section11ScheduleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            assessment = services.schedule_section11(by=request.user, **form.cleaned_data)
        except ValidationError as e:
            form.add_error("due_date", e)
        else:
            messages.success(request, f"Section 11 self-assessment scheduled for {assessment.agency}")
            return redirect("audits_section11")
    today = timezone.localdate()
    scrutinised = Section11Assessment.objects.filter(scrutinised_on__isnull=False)
    tool = AuditTool.objects.filter(section11__isnull=False).distinct().first()
    grades = list(tool.scale.grades.all()) if tool else []
    return render(
        request,
        "audits/section11_schedule.html",
        {
            "rows": selectors.section11_schedule(today),
            "form": form,
            "today": today,
            "grades": grades,
            "standards": selectors.section11_ratings(scrutinised.filter(tool=tool), grades) if tool else [],
            "cycle": services.SECTION11_CYCLE_MONTHS,
        },
    )


def section11_detail(request: AuthedRequest, pk: int) -> HttpResponse:
    _section11_role(request)
    assessment = get_object_or_404(Section11Assessment.objects.select_related("agency", "tool__scale"), pk=pk)
    today = timezone.localdate()
    kind = request.POST.get("add")

    def posted(name: str) -> Any:
        return request.POST if kind == name else None

    form = Section11Form(assessment, posted("ratings")) if not assessment.submitted_on else None
    scrutiny = ScrutinyForm(posted("scrutiny"), initial={"scrutinised_on": today}) if assessment.submitted_on else None
    action_form = ActionForm(posted("action"), prefix="a")
    if request.method == "POST":
        try:
            if kind == "action":
                if action_form.is_valid():
                    services.add_section11_action(assessment, **action_form.cleaned_data)
                    return redirect("audits_section11_detail", pk=pk)
            elif request.POST.get("done"):
                action = get_object_or_404(assessment.actions, pk=request.POST["done"])
                services.section11_action_done(action, today)
                return redirect("audits_section11_detail", pk=pk)
            elif kind == "ratings" and form is not None and form.is_valid():
                submit = request.POST.get("submit") == "1"
                services.save_section11(assessment, ratings=form.ratings(), submit=submit, on=today, by=request.user)
                messages.success(request, "Self-assessment submitted" if submit else "Self-assessment saved")
                return redirect("audits_section11_detail", pk=pk)
            elif kind == "scrutiny" and scrutiny is not None and not assessment.scrutinised_on and scrutiny.is_valid():
                d = scrutiny.cleaned_data
                following = services.scrutinise_section11(
                    assessment, on=d["scrutinised_on"], notes=d["notes"], by=request.user
                )
                text = "Scrutiny recorded"
                if following:
                    text += f"; the next self-assessment is due on {following.due_date:%-d %b %Y}"
                messages.success(request, text)
                return redirect("audits_section11_detail", pk=pk)
        except ValidationError as e:
            (form or scrutiny or action_form).add_error(None, e)
    return render(
        request,
        "audits/section11_detail.html",
        {
            "assessment": assessment,
            "status": assessment.status(today),
            "ratings": assessment.ratings.select_related("question", "grade"),
            "form": form,
            "scrutiny": scrutiny if not assessment.scrutinised_on else None,
            "action_form": action_form,
            "actions": assessment.actions.all(),
            "today": today,
            "earlier": Section11Assessment.objects.filter(agency=assessment.agency).exclude(pk=pk),
        },
    )
