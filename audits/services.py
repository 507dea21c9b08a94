"""Changes to the audit programme: scales, tools, rounds, sampling, grading,
moderation and actions arising. Views call these; each change of a child's audit is
written to the audit log here, so no caller can forget it."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from accounts.models import Role
from audit.models import Action
from audit.services import record
from children.models import Child
from children.selectors import open_case
from organisation.models import Team, Worker

from .models import (
    Answer,
    AuditAction,
    AuditRound,
    AuditTool,
    CaseAudit,
    Grade,
    GradingScale,
    Moderation,
    Question,
    Section11Action,
    Section11Assessment,
    Section11Rating,
    ToolSection,
    ToolUse,
    theme_tags,
)

# -- the conflict rule ------------------------------------------------------------


def team_manager_of(worker: Worker | None, team: Team | None = None) -> Worker | None:
    """The register's team manager for a worker (or, with no worker, for the team):
    the active manager of that team, lowest pk if there are several."""
    team_id = worker.team_id if worker is not None else (team.pk if team is not None else None)
    if team_id is None:
        return None
    return Worker.objects.filter(team_id=team_id, is_manager=True, active=True).order_by("pk").first()


def managed_team_ids(user: Any) -> set[int]:
    """The teams this user manages: their worker's team when that worker is a manager,
    and their own team when their role is team manager."""
    teams: set[int] = set()
    worker = getattr(user, "worker", None)
    if worker is not None and worker.is_manager:
        teams.add(worker.team_id)
    if user.role == Role.TEAM_MANAGER and user.team_id:
        teams.add(user.team_id)
    return teams


def conflict(user: Any, child: Child) -> str:
    """Why this user may not audit this child, or "" when they may. An auditor never
    audits a child they manage or supervise: the child's allocated worker, or the team
    manager of that worker's team (or of the child's team when no worker holds it)."""
    if user.worker_id and user.worker_id == child.worker_id:
        return "is the child's allocated worker"
    worker_team = child.worker.team_id if child.worker is not None else None
    supervised = {t for t in (worker_team, child.team_id) if t}
    if supervised & managed_team_ids(user):
        return "manages the child's worker or team"
    return ""


# -- scales and tools -------------------------------------------------------------


def create_scale(name: str, labels: Sequence[str], description: str = "") -> GradingScale:
    """A scale from its grades, best first."""
    labels = [lb.strip() for lb in labels if lb.strip()]
    if len(labels) < 2:
        raise ValidationError("A grading scale needs at least two grades")
    if len({lb.lower() for lb in labels}) != len(labels):
        raise ValidationError("Each grade on a scale needs a different name")
    with transaction.atomic():
        scale = GradingScale.objects.create(name=name, description=description)
        Grade.objects.bulk_create(Grade(scale=scale, label=lb, rank=i) for i, lb in enumerate(labels, 1))
    return scale


def create_tool(name: str, scale: GradingScale, description: str = "", use: str = ToolUse.CASE) -> AuditTool:
    return AuditTool.objects.create(name=name, scale=scale, description=description, use=use)


def set_tool_active(tool: AuditTool, active: bool) -> AuditTool:
    """A tool no longer in use is not offered for new rounds; its rounds keep it."""
    tool.active = active
    tool.save(update_fields=["active"])
    return tool


def add_section(tool: AuditTool, title: str) -> ToolSection:
    order = (tool.sections.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return ToolSection.objects.create(tool=tool, title=title, order=order)


def add_question(section: ToolSection, text: str, guidance: str = "") -> Question:
    order = (section.questions.order_by("-order").values_list("order", flat=True).first() or 0) + 1
    return Question.objects.create(section=section, text=text, guidance=guidance, order=order)


# -- rounds and sampling -----------------------------------------------------------


def create_round(
    *,
    title: str,
    kind: str,
    tool: AuditTool,
    due_date: dt.date,
    by: Any,
    theme: str = "",
    baseline: AuditRound | None = None,
) -> AuditRound:
    if tool.use != ToolUse.CASE:
        raise ValidationError("Choose a case audit tool")
    return AuditRound.objects.create(
        title=title, kind=kind, tool=tool, due_date=due_date, theme=theme, baseline=baseline, created_by=by
    )


class CaseType(models.TextChoices):
    """Seed 000's monthly casework audits: child protection, child in need, looked after."""

    ANY = "", "Any open case"
    CHILD_PROTECTION = "cp", "Child protection plan"
    LOOKED_AFTER = "cla", "Looked after"
    CHILD_IN_NEED = "cin", "Child in need (open case, not on a plan, not looked after)"


def population(
    *, today: dt.date, team: Team | None = None, service: Any = None, case_type: str = ""
) -> QuerySet[Child]:
    """Children in scope for sampling: open cases on `today`, of a team or a service
    when one is given, and of one case type: a child protection plan open on the day, a
    looked-after episode open on the day, or neither (child in need)."""
    from children.models import ChildProtectionPlan, LookedAfterEpisode

    # A restricted record is never sampled: its auditor would see a child they are not named for (decision 0027).
    children = Child.objects.filter(open_case(today), restriction__isnull=True)
    on_plan = Exists(
        ChildProtectionPlan.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=today), child=OuterRef("pk")
        ).filter(start_date__lte=today)
    )
    looked_after = Exists(
        LookedAfterEpisode.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gt=today), child=OuterRef("pk")
        ).filter(start_date__lte=today)
    )
    if case_type == CaseType.CHILD_PROTECTION:
        children = children.filter(on_plan)
    elif case_type == CaseType.LOOKED_AFTER:
        children = children.filter(looked_after)
    elif case_type == CaseType.CHILD_IN_NEED:
        children = children.exclude(on_plan).exclude(looked_after)
    if team is not None:
        children = children.filter(team=team)
    if service is not None:
        children = children.filter(team__service=service)
    return children


@dataclass
class SampleResult:
    assigned: list[CaseAudit] = field(default_factory=list)
    unassigned: list[Child] = field(default_factory=list)  # every auditor conflicted
    already: int = 0  # in the round before


def _new_case_audit(audit_round: AuditRound, child: Child, auditor: Any) -> CaseAudit:
    manager = team_manager_of(child.worker, child.team)
    case = CaseAudit.objects.create(
        round=audit_round,
        child=child,
        auditor=auditor,
        team=child.team,
        practitioner=child.worker,
        practitioner_name=child.worker.name if child.worker else "",
        manager=manager,
        manager_name=manager.name if manager else "",
    )
    record(Action.CREATE, child=child, obj=case, detail=f"audit assigned: {audit_round.title}"[:300])
    return case


def assign(
    audit_round: AuditRound, children: Iterable[Child], auditors: Sequence[Any], limit: int | None = None
) -> SampleResult:
    """Give each child to the least-loaded auditor who does not manage or supervise them
    (ties go to the auditor listed first), stopping once `limit` are assigned. A child
    already in the round is left as it is; a child every auditor is conflicted for is
    returned unassigned."""
    result = SampleResult()
    load = {a.pk: audit_round.case_audits.filter(auditor=a).count() for a in auditors}
    existing = set(audit_round.case_audits.values_list("child_id", flat=True))
    with transaction.atomic():
        for child in children:
            if limit is not None and len(result.assigned) >= limit:
                break
            if child.pk in existing:
                result.already += 1
                continue
            free = [a for a in auditors if not conflict(a, child)]
            if not free:
                result.unassigned.append(child)
                continue
            auditor = min(free, key=lambda a: load[a.pk])
            load[auditor.pk] += 1
            result.assigned.append(_new_case_audit(audit_round, child, auditor))
            existing.add(child.pk)
    return result


def sample(
    audit_round: AuditRound,
    *,
    size: int,
    auditors: Sequence[Any],
    today: dt.date,
    team: Team | None = None,
    service: Any = None,
    case_type: str = "",
    seed: int | None = None,
) -> SampleResult:
    """Draw `size` children at random from the population (open cases of the team or
    service) and assign them. A child whom no auditor may audit is passed over and the
    next drawn, so the sample is full whenever the population allows."""
    if not auditors:
        raise ValidationError("Choose at least one auditor")
    pool = list(
        population(today=today, team=team, service=service, case_type=case_type)
        .exclude(case_audits__round=audit_round)
        .select_related("worker", "team")
        .order_by("pk")
    )
    random.Random(audit_round.pk if seed is None else seed).shuffle(pool)
    return assign(audit_round, pool, auditors, limit=size)


def create_reaudit(baseline: AuditRound, *, title: str, due_date: dt.date, by: Any) -> AuditRound:
    """A re-audit of the baseline: same tool, same children, each with the baseline's
    auditor unless that auditor is now conflicted (then the least-loaded baseline
    auditor who is not)."""
    reaudit = create_round(
        title=title,
        kind=baseline.kind,
        tool=baseline.tool,
        due_date=due_date,
        theme=baseline.theme,
        baseline=baseline,
        by=by,
    )
    cases = list(baseline.case_audits.select_related("child__worker", "child__team", "auditor").order_by("pk"))
    auditors = list({c.auditor_id: c.auditor for c in cases}.values())
    with transaction.atomic():
        for case in cases:
            same = not conflict(case.auditor, case.child)
            assign(reaudit, [case.child], [case.auditor] if same else auditors)
    return reaudit


def reassign(case: CaseAudit, auditor: Any, by: Any) -> CaseAudit:
    why = conflict(auditor, case.child)
    if why:
        raise ValidationError(f"{auditor} {why}: choose another auditor")
    if case.status == CaseAudit.Status.COMPLETED:
        raise ValidationError("A completed audit cannot be given to another auditor")
    case.auditor = auditor
    case.save(update_fields=["auditor", "updated_at"])
    record(Action.CHANGE, user=by, child=case.child_id, obj=case, detail=f"audit reassigned to {auditor.username}")
    return case


# -- completing an audit ----------------------------------------------------------


def save_grading(
    case: CaseAudit,
    *,
    answers: dict[int, tuple[Grade | None, str]],
    overall: Grade | None,
    summary: str,
    themes: str,
    complete: bool,
    by: Any,
) -> CaseAudit:
    """Save the auditor's grades and comments (question pk -> (grade, comment)). With
    complete=True every question and the overall grade must be graded, and the audit
    is completed; until then it is in progress and can be saved again."""
    if case.status == CaseAudit.Status.COMPLETED:
        raise ValidationError("This audit is completed: its grade can only change through moderation")
    scale_id = case.round.tool.scale_id
    questions = list(Question.objects.filter(section__tool=case.round.tool))
    for grade in [overall, *(g for g, _ in answers.values())]:
        if grade is not None and grade.scale_id != scale_id:
            raise ValidationError("A grade is not on this tool's scale")
    if complete:
        missing = [q for q in questions if answers.get(q.pk, (None, ""))[0] is None]
        if missing or overall is None:
            raise ValidationError("Grade every question and give an overall grade to complete the audit")
    with transaction.atomic():
        for question in questions:
            grade, comment = answers.get(question.pk, (None, ""))
            Answer.objects.update_or_create(
                case_audit=case, question=question, defaults={"grade": grade, "comment": comment.strip()}
            )
        case.auditor_grade = overall
        case.agreed_grade = overall
        case.summary = summary.strip()
        case.themes = ", ".join(theme_tags(themes))[:400]
        case.status = CaseAudit.Status.COMPLETED if complete else CaseAudit.Status.IN_PROGRESS
        case.completed_at = timezone.now() if complete else None
        case.save()
        record(
            Action.CHANGE,
            user=by,
            child=case.child_id,
            obj=case,
            detail="audit completed" if complete else "audit grading saved",
        )
    return case


def moderate(case: CaseAudit, *, grade: Grade, reason: str, by: Any) -> Moderation:
    """A second person agrees the grade or changes it, with a reason; kept in history."""
    if case.status != CaseAudit.Status.COMPLETED or case.agreed_grade is None:
        raise ValidationError("Only a completed audit can be moderated")
    if by.pk == case.auditor_id:
        raise ValidationError("A second person moderates: the auditor cannot moderate their own audit")
    if grade.scale_id != case.round.tool.scale_id:
        raise ValidationError("The grade is not on this tool's scale")
    if not reason.strip():
        raise ValidationError("Give a reason for the moderation decision")
    with transaction.atomic():
        mod = Moderation.objects.create(
            case_audit=case, moderator=by, grade_before=case.agreed_grade, grade=grade, reason=reason.strip()
        )
        case.agreed_grade = grade
        case.save(update_fields=["agreed_grade", "updated_at"])
        verb = "agreed" if mod.agreed else f"changed {mod.grade_before.label} to {grade.label}"
        record(Action.CHANGE, user=by, child=case.child_id, obj=case, detail=f"moderation: {verb}"[:300])
    return mod


def add_action(case: CaseAudit, *, text: str, owner: str, due_date: dt.date, by: Any) -> AuditAction:
    action = AuditAction.objects.create(
        case_audit=case, text=text.strip(), owner=owner.strip(), due_date=due_date, created_by=by
    )
    record(Action.CREATE, user=by, child=case.child_id, obj=action, detail="audit action arising added")
    return action


def mark_done(action: AuditAction, *, on: dt.date, by: Any) -> AuditAction:
    action.done_date = on
    action.save(update_fields=["done_date"])
    record(Action.CHANGE, user=by, child=action.case_audit.child_id, obj=action, detail="audit action done")
    return action


# -- Section 11 self-assessments -----------------------------------------------------

# Seed 001 section 4.2: "In Bromley this runs as a two-year rolling programme".
SECTION11_CYCLE_MONTHS = 24


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day `months` later; the month's last day when it has no such day."""
    import calendar

    month0 = day.month - 1 + months
    year, month = day.year + month0 // 12, month0 % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def schedule_section11(agency: Any, tool: AuditTool, due_date: dt.date, by: Any) -> Section11Assessment:
    if tool.use != ToolUse.SECTION11:
        raise ValidationError("Choose a Section 11 tool")
    if Section11Assessment.objects.filter(agency=agency, due_date=due_date).exists():
        raise ValidationError(f"{agency} already has a Section 11 self-assessment due on that date")
    assessment = Section11Assessment.objects.create(agency=agency, tool=tool, due_date=due_date, created_by=by)
    record(Action.CREATE, user=by, obj=assessment, detail="Section 11 self-assessment scheduled")
    return assessment


def save_section11(
    assessment: Section11Assessment,
    *,
    ratings: dict[int, tuple[Grade | None, str]],
    submit: bool,
    on: dt.date,
    by: Any,
) -> Section11Assessment:
    """Record the agency's ratings and evidence against each standard. Submitting needs
    every standard rated; a submitted self-assessment changes only at the panel."""
    if assessment.submitted_on:
        raise ValidationError("This self-assessment has been submitted")
    questions = list(Question.objects.filter(section__tool=assessment.tool))
    for grade, _ in ratings.values():
        if grade is not None and grade.scale_id != assessment.tool.scale_id:
            raise ValidationError("A rating is not on this tool's scale")
    if submit and any(ratings.get(q.pk, (None, ""))[0] is None for q in questions):
        raise ValidationError("Rate every standard to submit the self-assessment")
    with transaction.atomic():
        for q in questions:
            grade, evidence = ratings.get(q.pk, (None, ""))
            Section11Rating.objects.update_or_create(
                assessment=assessment, question=q, defaults={"grade": grade, "evidence": evidence.strip()}
            )
        if submit:
            assessment.submitted_on = on
            assessment.save(update_fields=["submitted_on"])
        detail = "Section 11 self-assessment submitted" if submit else "Section 11 self-assessment saved"
        record(Action.CHANGE, user=by, obj=assessment, detail=detail)
    return assessment


def scrutinise_section11(
    assessment: Section11Assessment, *, on: dt.date, notes: str, by: Any
) -> Section11Assessment | None:
    """The panel's scrutiny of a submitted self-assessment. The agency's next one is
    scheduled a cycle after this one's due date (unless one is already scheduled later);
    it is returned."""
    if not assessment.submitted_on:
        raise ValidationError("Only a submitted self-assessment can be scrutinised")
    if assessment.scrutinised_on:
        raise ValidationError("This self-assessment has been scrutinised")
    with transaction.atomic():
        assessment.scrutinised_on = on
        assessment.panel_notes = notes.strip()
        assessment.save(update_fields=["scrutinised_on", "panel_notes"])
        record(Action.CHANGE, user=by, obj=assessment, detail="Section 11 self-assessment scrutinised")
        later = Section11Assessment.objects.filter(agency=assessment.agency, due_date__gt=assessment.due_date)
        if later.exists():
            return None
        due = add_months(assessment.due_date, SECTION11_CYCLE_MONTHS)
        return Section11Assessment.objects.create(
            agency=assessment.agency, tool=assessment.tool, due_date=due, created_by=by
        )


def add_section11_action(
    assessment: Section11Assessment, *, text: str, owner: str, due_date: dt.date
) -> Section11Action:
    return Section11Action.objects.create(
        assessment=assessment, text=text.strip(), owner=owner.strip(), due_date=due_date
    )


def section11_action_done(action: Section11Action, on: dt.date) -> Section11Action:
    action.done_date = on
    action.save(update_fields=["done_date"])
    return action
