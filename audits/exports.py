"""A round's results as an Excel workbook: one row per audit with every question's
grade, then the grade distribution per team."""

from __future__ import annotations

from django.db.models import QuerySet

from exports.writer import workbook, xlsx_bytes

from . import selectors
from .models import AuditRound, CaseAudit, Question


def round_xlsx(audit_round: AuditRound, cases: QuerySet[CaseAudit]) -> bytes:
    questions = list(Question.objects.filter(section__tool=audit_round.tool).select_related("section"))
    grades = list(audit_round.tool.scale.grades.all())
    book = workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Audits"
    sheet.append(
        [
            "LA child ID",
            "Child",
            "Team",
            "Practitioner",
            "Manager",
            "Auditor",
            "Status",
            "Auditor's grade",
            "Agreed grade",
            "Moderated",
            "Themes",
            *[f"{q.section.order}.{q.order} {q.text}" for q in questions],
        ]
    )
    rows = cases.select_related("child", "team", "auditor", "auditor_grade", "agreed_grade").prefetch_related(
        "answers__grade", "moderations"
    )
    for case in rows:
        answers = {a.question_id: a for a in case.answers.all()}
        sheet.append(
            [
                case.child.la_child_id,
                str(case.child),
                case.team.name if case.team else "",
                case.practitioner_name,
                case.manager_name,
                str(case.auditor),
                case.get_status_display(),
                case.auditor_grade.label if case.auditor_grade else "",
                case.agreed_grade.label if case.agreed_grade else "",
                "Yes" if case.moderations.all() else "No",
                case.themes,
                *[
                    answers[q.pk].grade.label if q.pk in answers and answers[q.pk].grade else ""  # type: ignore[union-attr]
                    for q in questions
                ],
            ]
        )
    dist = book.create_sheet("Grades by team")
    dist.append(["Team", *[g.label for g in grades], "Not completed", "Total"])
    for row in selectors.distribution(cases, grades, by="team") + selectors.distribution(cases, grades):
        dist.append([row.label, *row.counts, row.not_completed, row.total])
    return xlsx_bytes(book)
