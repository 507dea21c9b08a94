"""The demonstration audit programme: the usual four-point grading scale, one casework
audit tool (questions drawn from seed 000's practice standards: management oversight,
supervision with actions and timescales, risk assessments, SMART and contingency plans,
the child's voice), a baseline casework audit with its re-audit three months later
(seed 002 point 7) and this month's casework audit, sampled from the register through
the same services a QA officer uses, so the conflict rule holds for the demo too.

Idempotent: when the tool exists already, nothing is done."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.utils import timezone

from accounts.models import User

from . import services
from .models import AuditTool, CaseAudit, Grade, GradingScale, RoundKind

SCALE = "Four-point scale (Ofsted)"
GRADES = ["Outstanding", "Good", "Requires improvement", "Inadequate"]
TOOL = "Casework audit tool (child protection, child in need, children looked after)"
SECTIONS = [
    (
        "Management oversight and supervision",
        [
            "Is there clear management oversight of key decisions, with the rationale recorded?",
            "Is supervision regular and reflective, with actions and timescales, and are previous actions reviewed?",
        ],
    ),
    (
        "Assessment and risk",
        [
            "Is the assessment up to date, analytical and evidence-based?",
            "Is there a current risk assessment on file?",
        ],
    ),
    (
        "Planning and drift",
        [
            "Is the plan SMART and outcome-focused, so that it prevents drift and delay?",
            "Is there a contingency plan (Plan B)?",
        ],
    ),
    (
        "The child's voice and lived experience",
        [
            "Is the child seen, and seen alone where appropriate, with their wishes and feelings recorded?",
            "Does the record show the child's lived experience?",
        ],
    ),
    ("Working together", ["Are partner agencies involved in the plan, and is information shared?"]),
]
THEMES = [
    "voice of the child",
    "management oversight",
    "contingency planning",
    "supervision actions",
    "risk assessment",
    "drift",
    "multi-agency working",
]
AUDITORS = ["qa.officer", "team.manager", "head.of.service"]


def _grade_all(case: CaseAudit, rng: random.Random, bias: int, by: Any) -> None:
    """Grades around a level (0 best .. 3 worst) with comments, completed."""
    grades = list(case.round.tool.scale.grades.all())
    answers: dict[int, tuple[Grade | None, str]] = {}
    ranks = []
    for section in case.round.tool.sections.prefetch_related("questions"):
        for q in section.questions.all():
            rank = max(0, min(3, bias + rng.choice([-1, 0, 0, 1])))
            ranks.append(rank)
            answers[q.pk] = (grades[rank], f"{grades[rank].label}: see the case record.")
    overall = grades[round(sum(ranks) / len(ranks))]
    themes = ", ".join(rng.sample(THEMES, 2))
    services.save_grading(
        case,
        answers=answers,
        overall=overall,
        summary="Findings discussed with the practitioner and their manager.",
        themes=themes,
        complete=True,
        by=by,
    )


def load(log: Callable[[str], Any] = print, today: dt.date | None = None) -> None:
    if AuditTool.objects.filter(name=TOOL).exists():
        log("Demonstration audits: already loaded")
        return
    today = today or timezone.localdate()
    rng = random.Random(2015)
    with transaction.atomic():
        scale = GradingScale.objects.filter(name=SCALE).first() or services.create_scale(SCALE, GRADES)
        tool = services.create_tool(
            TOOL, scale, "The monthly casework audit of seed 000, graded on the four-point scale."
        )
        for title, questions in SECTIONS:
            section = services.add_section(tool, title)
            for text in questions:
                services.add_question(section, text)
        auditors = [u for u in (User.objects.filter(username=n).first() for n in AUDITORS) if u is not None]
        if not auditors:
            log("Demonstration audits: tool and scale loaded; no demonstration users to audit")
            return
        qa = auditors[0]
        baseline = services.create_round(
            title="Baseline casework audit",
            kind=RoundKind.CASEWORK,
            tool=tool,
            due_date=today - dt.timedelta(days=91),
            by=qa,
        )
        services.sample(baseline, size=24, auditors=auditors, today=today, seed=2015)
        for case in baseline.case_audits.select_related("child"):
            _grade_all(case, rng, bias=rng.choice([1, 2, 2, 3]), by=case.auditor)
        moderator = next((u for u in auditors if u.username == "head.of.service"), None) or qa
        grades = list(scale.grades.all())
        for case in list(baseline.case_audits.exclude(auditor=moderator).order_by("pk"))[:4]:
            assert case.agreed_grade is not None
            worse = grades[min(3, case.agreed_grade.rank)]  # rank is 1-based: one grade worse
            services.moderate(case, grade=worse, reason="The plan has no contingency: one grade lower.", by=moderator)
        reaudit = services.create_reaudit(
            baseline, title="Casework re-audit (three months on)", due_date=today + dt.timedelta(days=14), by=qa
        )
        for i, case in enumerate(reaudit.case_audits.select_related("child").order_by("pk")):
            if i % 4 == 3:
                continue  # still to do
            before = baseline.case_audits.get(child=case.child)
            assert before.agreed_grade is not None
            _grade_all(case, rng, bias=max(0, before.agreed_grade.rank - 1 - rng.choice([0, 1])), by=case.auditor)
        for case in baseline.case_audits.order_by("pk")[:6]:
            services.add_action(
                case,
                text="Record a contingency plan and review it at the next supervision",
                owner=case.practitioner_name or "Team manager",
                due_date=today - dt.timedelta(days=60),
                by=case.auditor,
            )
        for case in baseline.case_audits.order_by("pk")[:4]:
            for a in case.actions.all():
                services.mark_done(a, on=today - dt.timedelta(days=65), by=a.created_by)
        month = services.create_round(
            title=f"Monthly casework audit {today:%B %Y}",
            kind=RoundKind.CASEWORK,
            tool=tool,
            due_date=today + dt.timedelta(days=21),
            by=qa,
        )
        services.sample(month, size=10, auditors=auditors, today=today, seed=today.toordinal())
    log(
        f"Demonstration audits: {tool.name}; rounds {baseline.title} ({baseline.case_audits.count()} children), "
        f"{reaudit.title}, {month.title}"
    )


S11_SCALE = "Section 11 standards"
S11_GRADES = ["Fully met", "Partially met", "Not met"]
S11_TOOL = "Section 11 self-assessment (Children Act 2004)"
S11_STANDARDS = [
    "Senior management commitment to the importance of safeguarding and promoting children's welfare",
    "A clear statement of the agency's responsibilities towards children, available to all staff",
    "A clear line of accountability within the organisation for work on safeguarding",
    "Service development takes account of the need to safeguard children and is informed by their views",
    "Training on safeguarding for all staff working with or in contact with children and families",
    "Safer recruitment procedures, including vetting, in place",
    "Effective inter-agency working to safeguard and promote the welfare of children",
    "Effective information sharing",
]


def load_section11(log: Callable[[str], Any] = print, today: dt.date | None = None) -> None:
    """Seed 001 section 4.2: a two-year rolling programme of Section 11 self-assessments,
    scrutinised at a panel. Some agencies scrutinised last year, one submitted and
    awaiting the panel, one overdue, the rest due over the coming months."""
    from organisation.models import PartnerAgency

    if AuditTool.objects.filter(name=S11_TOOL).exists():
        log("Demonstration Section 11: already loaded")
        return
    today = today or timezone.localdate()
    rng = random.Random(11)
    agencies = list(PartnerAgency.objects.order_by("name"))
    with transaction.atomic():
        scale = GradingScale.objects.filter(name=S11_SCALE).first() or services.create_scale(S11_SCALE, S11_GRADES)
        tool = services.create_tool(S11_TOOL, scale, "The partnership's adapted Section 11 tool.", "section11")
        section = services.add_section(tool, "Section 11 standards")
        for text in S11_STANDARDS:
            services.add_question(section, text)
        questions = list(section.questions.all())
        grades = list(scale.grades.all())
        for i, agency in enumerate(agencies):
            due = today - dt.timedelta(days=300 - 45 * i)
            a = services.schedule_section11(agency, tool, due, by=None)
            if due > today and i % 2:
                continue  # due soon, not started
            if i == 1:
                continue  # overdue, not submitted
            ratings: dict[int, tuple[Grade | None, str]] = {
                q.pk: (grades[min(2, rng.choice([0, 0, 1, 1, 2]))], "See the agency's return") for q in questions
            }
            services.save_section11(a, ratings=ratings, submit=True, on=min(due, today), by=None)
            if due <= today - dt.timedelta(days=60):
                services.scrutinise_section11(a, on=due + dt.timedelta(days=30), notes="Panel assured.", by=None)
                services.add_section11_action(
                    a,
                    text="Refresh safeguarding training records",
                    owner="Agency lead",
                    due_date=due + dt.timedelta(90),
                )
    log(f"Demonstration Section 11: {len(agencies)} agencies on a two-year rolling programme")
