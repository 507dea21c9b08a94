"""Reading the audit programme: who may see and do what, and the results pages
(grade distribution, baseline against re-audit, compliance, themes)."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet

from accounts.models import Role
from children.selectors import children_in_scope, is_partner, not_restricted_for

from .models import AuditAction, AuditRound, CaseAudit, Grade, theme_tags

# Who runs the programme (tools, rounds, sampling, moderation, results).
MANAGE_ROLES = {Role.QA_OFFICER, Role.HEAD_OF_SERVICE, Role.DIRECTOR}
# Who may read the audits of children in their scope (a social worker: their caseload's).
VIEW_ROLES = MANAGE_ROLES | {Role.TEAM_MANAGER, Role.SOCIAL_WORKER}


def can_manage(user: Any) -> bool:
    return user.role in MANAGE_ROLES


def _in_scope(user: Any, case: CaseAudit) -> bool:
    return user.role in VIEW_ROLES and children_in_scope(user).filter(pk=case.child_id).exists()


def can_view(user: Any, case: CaseAudit) -> bool:
    """The auditor sees the audit they were given (an auditor from another team has no
    other access to the child); otherwise the role must read audits and the child be in
    the user's scope."""
    if case.auditor_id == user.pk:  # unless the child's record was restricted since without naming them
        return CaseAudit.objects.filter(pk=case.pk).filter(not_restricted_for(user, "child_id")).exists()
    return _in_scope(user, case)


def auditing(user: Any, child_id: int) -> CaseAudit | None:
    """The audit of this child given to this user and not yet completed, if any. While it is open the auditor may
    read the child's record (the register's child page) to grade it, whatever their scope: that child only, never a
    record restricted without naming them, never for a partner-agency account (the register is for council staff),
    and each view audited as the auditor's (decision 0036)."""
    if not getattr(user, "is_authenticated", False) or is_partner(user):
        return None
    return (
        CaseAudit.objects.filter(auditor=user, child_id=child_id)
        .exclude(status=CaseAudit.Status.COMPLETED)
        .filter(not_restricted_for(user, "child_id"))
        .order_by("pk")
        .first()
    )


def can_open_record(user: Any, case: CaseAudit) -> bool:
    """May this user open the audited child's record from the audit: in their scope, or auditing it now."""
    return children_in_scope(user).filter(pk=case.child_id).exists() or auditing(user, case.child_id) is not None


def can_grade(user: Any, case: CaseAudit) -> bool:
    return case.auditor_id == user.pk and case.status != CaseAudit.Status.COMPLETED


def can_moderate(user: Any, case: CaseAudit) -> bool:
    return (
        can_manage(user)
        and case.auditor_id != user.pk
        and case.status == CaseAudit.Status.COMPLETED
        and _in_scope(user, case)
    )


def can_manage_case(user: Any, case: CaseAudit) -> bool:
    return can_manage(user) and _in_scope(user, case)


def can_track_actions(user: Any, case: CaseAudit) -> bool:
    """Add actions arising and mark them done: the auditor, the programme's managers,
    and the team manager of a child in their scope."""
    if case.auditor_id == user.pk:
        return True
    return user.role in MANAGE_ROLES | {Role.TEAM_MANAGER} and _in_scope(user, case)


def visible_cases(user: Any, cases: QuerySet[CaseAudit] | None = None) -> QuerySet[CaseAudit]:
    cases = CaseAudit.objects.all() if cases is None else cases
    if user.role in VIEW_ROLES:
        cases = cases.filter(Q(auditor=user) | Q(child__in=children_in_scope(user)))
    else:
        cases = cases.filter(auditor=user)
    # an auditor of a record restricted since without naming them sees it no more (decision 0027)
    return cases.filter(not_restricted_for(user, "child_id"))


def my_audits(user: Any) -> QuerySet[CaseAudit]:
    """Audits given to this user that are not completed, soonest due first."""
    return (
        CaseAudit.objects.filter(auditor=user)
        .exclude(status=CaseAudit.Status.COMPLETED)
        .select_related("round", "child", "team")
        .order_by("round__due_date", "pk")
    )


def rounds_for(user: Any) -> QuerySet[AuditRound]:
    rounds = AuditRound.objects.select_related("tool", "baseline")
    if can_manage(user):
        return rounds
    return rounds.filter(pk__in=visible_cases(user).values("round_id"))


# -- results ---------------------------------------------------------------------


@dataclass
class Distribution:
    label: str
    counts: list[int]  # one per grade of the scale, best first
    not_completed: int = 0

    @property
    def completed(self) -> int:
        return sum(self.counts)

    @property
    def total(self) -> int:
        return self.completed + self.not_completed

    def percent(self) -> list[int]:
        done = self.completed
        return [round(100 * c / done) if done else 0 for c in self.counts]


def distribution(cases: QuerySet[CaseAudit], grades: list[Grade], by: str = "round") -> list[Distribution]:
    """Agreed grades (after moderation) of completed audits counted per grade, with the
    audits not yet completed, for the whole set (by="round"), per team or per service
    (the child's team when sampled)."""
    index = {g.pk: i for i, g in enumerate(grades)}
    rows: dict[str, Distribution] = {}
    for case in cases.select_related("team__service"):
        if by == "team":
            label = case.team.name if case.team else "No team"
        elif by == "service":
            label = case.team.service.name if case.team else "No team"
        else:
            label = "All audits"
        row = rows.setdefault(label, Distribution(label, [0] * len(grades)))
        if case.status == CaseAudit.Status.COMPLETED and case.agreed_grade_id in index:
            row.counts[index[case.agreed_grade_id]] += 1
        else:
            row.not_completed += 1
    return [rows[k] for k in sorted(rows)]


@dataclass
class Pair:
    child_id: int
    la_child_id: str
    before: Grade | None
    after: Grade | None
    case: CaseAudit | None = None  # the re-audit's (or, missing, the baseline's) audit of the child

    @property
    def change(self) -> str:
        if self.before is None or self.after is None:
            return "not comparable"
        if self.after.rank < self.before.rank:
            return "better"
        if self.after.rank > self.before.rank:
            return "worse"
        return "same"


@dataclass
class Comparison:
    pairs: list[Pair] = field(default_factory=list)

    def count(self, change: str) -> int:
        return sum(1 for p in self.pairs if p.change == change)

    @property
    def better(self) -> int:
        return self.count("better")

    @property
    def same(self) -> int:
        return self.count("same")

    @property
    def worse(self) -> int:
        return self.count("worse")

    @property
    def not_comparable(self) -> int:
        return self.count("not comparable")

    def of(self, change: str) -> list[Pair]:
        return [p for p in self.pairs if p.change == change]

    @property
    def worse_pairs(self) -> list[Pair]:
        return self.of("worse")


def _agreed(case: CaseAudit | None) -> Grade | None:
    if case is None or case.status != CaseAudit.Status.COMPLETED:
        return None
    return case.agreed_grade


def comparison(reaudit: AuditRound, user: Any = None) -> Comparison:
    """Each child of the baseline against the same child in the re-audit, on agreed
    grades: better (a better-ranked grade), same, worse, or not comparable (either audit
    not completed, or the child not re-audited). With a user, only the audits they may
    see count."""
    assert reaudit.baseline_id is not None
    baseline = CaseAudit.objects.filter(round_id=reaudit.baseline_id)
    again = reaudit.case_audits.all()
    if user is not None:
        baseline, again = visible_cases(user, baseline), visible_cases(user, again)
    before = {c.child_id: c for c in baseline.select_related("agreed_grade", "child")}
    after = {c.child_id: c for c in again.select_related("agreed_grade", "child")}
    result = Comparison()
    for child_id in sorted(before.keys() | after.keys()):
        case = after.get(child_id) or before[child_id]
        pair = Pair(child_id, case.child.la_child_id, _agreed(before.get(child_id)), _agreed(after.get(child_id)))
        pair.case = case
        result.pairs.append(pair)
    return result


@dataclass
class Compliance:
    auditor: Any
    assigned: int = 0
    due: int = 0  # the round's due date is today or earlier
    completed: int = 0
    overdue: int = 0  # due date passed, not completed


def compliance(today: dt.date, cases: QuerySet[CaseAudit] | None = None) -> list[Compliance]:
    """Audit compliance of each auditor (the managers and QA officers who audit)."""
    cases = CaseAudit.objects.all() if cases is None else cases
    rows: dict[int, Compliance] = {}
    for case in cases.select_related("auditor", "round"):
        row = rows.setdefault(case.auditor_id, Compliance(case.auditor))
        row.assigned += 1
        done = case.status == CaseAudit.Status.COMPLETED
        row.completed += done
        row.due += case.round.due_date <= today
        row.overdue += not done and case.round.due_date < today
    return sorted(rows.values(), key=lambda r: (-r.overdue, str(r.auditor)))


def themes(cases: QuerySet[CaseAudit]) -> list[tuple[str, int]]:
    """Learning themes of completed audits counted, ignoring case; most frequent first.
    A theme is shown as first written."""
    counts: Counter[str] = Counter()
    shown: dict[str, str] = {}
    for text in cases.filter(status=CaseAudit.Status.COMPLETED).values_list("themes", flat=True):
        for tag in theme_tags(text):
            shown.setdefault(tag.lower(), tag)
            counts[tag.lower()] += 1
    return [(shown[k], n) for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


@dataclass
class ActionCounts:
    open: int
    overdue: int
    done: int


def action_counts(actions: QuerySet[AuditAction], today: dt.date) -> ActionCounts:
    return ActionCounts(
        open=actions.filter(done_date__isnull=True).count(),
        overdue=actions.filter(done_date__isnull=True, due_date__lt=today).count(),
        done=actions.filter(done_date__isnull=False).count(),
    )


def question_distribution(cases: QuerySet[CaseAudit], grades: list[Grade]) -> list[tuple[Any, list[int]]]:
    """Each question of the round's tool with the grades it was given in completed
    audits, best first (which parts of practice are weakest)."""
    from .models import Answer, Question

    index = {g.pk: i for i, g in enumerate(grades)}
    completed = cases.filter(status=CaseAudit.Status.COMPLETED)
    counts: dict[int, list[int]] = {}
    for question_id, grade_id in Answer.objects.filter(case_audit__in=completed, grade__isnull=False).values_list(
        "question_id", "grade_id"
    ):
        if grade_id in index:
            counts.setdefault(question_id, [0] * len(grades))[index[grade_id]] += 1
    tool_ids = completed.values_list("round__tool_id", flat=True).distinct()
    questions = Question.objects.filter(section__tool__in=tool_ids).select_related("section")
    return [(q, counts.get(q.pk, [0] * len(grades))) for q in questions]


def open_actions(user: Any) -> QuerySet[AuditAction]:
    """Actions arising not yet done, of audits this user may see, soonest due first."""
    return (
        AuditAction.objects.filter(case_audit__in=visible_cases(user), done_date__isnull=True)
        .select_related("case_audit__child", "case_audit__round")
        .order_by("due_date", "pk")
    )


# -- Section 11 -------------------------------------------------------------------

SECTION11_ROLES = {Role.BOARD_MANAGER, Role.QA_OFFICER, Role.HEAD_OF_SERVICE, Role.DIRECTOR}


def can_section11(user: Any) -> bool:
    return user.role in SECTION11_ROLES


@dataclass
class ScheduleRow:
    agency: Any
    last_scrutinised: Any  # the latest scrutinised self-assessment, or None
    current: Any  # the earliest not yet scrutinised, or None
    status: str


def section11_schedule(today: dt.date) -> list[ScheduleRow]:
    """Each agency with a Section 11 self-assessment: the latest scrutinised and the one
    now due (earliest not scrutinised) with its status."""
    from .models import Section11Assessment

    rows: dict[int, ScheduleRow] = {}
    for a in Section11Assessment.objects.select_related("agency").order_by("agency__name", "due_date", "pk"):
        row = rows.setdefault(a.agency_id, ScheduleRow(a.agency, None, None, "Not scheduled"))
        if a.scrutinised_on:
            row.last_scrutinised = a
        elif row.current is None:
            row.current = a
            row.status = a.status(today)
    return list(rows.values())


def section11_ratings(assessments: Any, grades: list[Grade]) -> list[tuple[Any, list[int]]]:
    """Each standard with the ratings the given self-assessments gave it."""
    from .models import Question, Section11Rating

    index = {g.pk: i for i, g in enumerate(grades)}
    counts: dict[int, list[int]] = {}
    ratings = Section11Rating.objects.filter(assessment__in=assessments, grade__isnull=False)
    for question_id, grade_id in ratings.values_list("question_id", "grade_id"):
        if grade_id in index:
            counts.setdefault(question_id, [0] * len(grades))[index[grade_id]] += 1
    tools = assessments.values_list("tool_id", flat=True).distinct()
    questions = Question.objects.filter(section__tool__in=tools).select_related("section")
    return [(q, counts.get(q.pk, [0] * len(grades))) for q in questions]
