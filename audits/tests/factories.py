import datetime as dt

import factory

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audits import services
from audits.models import AuditRound, AuditTool, CaseAudit, GradingScale, RoundKind
from children.tests.factories import ChildFactory

FOUR_POINT = ["Outstanding", "Good", "Requires improvement", "Inadequate"]


def scale(name: str = "Four-point") -> GradingScale:
    return GradingScale.objects.filter(name=name).first() or services.create_scale(name, FOUR_POINT)


def tool(name: str = "Casework audit", questions: int = 2) -> AuditTool:
    t = services.create_tool(name, scale())
    section = services.add_section(t, "Planning")
    for i in range(questions):
        services.add_question(section, f"Question {i + 1}")
    return t


class QAOfficerFactory(UserFactory):
    role = Role.QA_OFFICER
    scope = Scope.COUNCIL


class RoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AuditRound

    title = factory.Sequence(lambda n: f"Round {n}")
    kind = RoundKind.CASEWORK
    tool = factory.LazyFunction(lambda: AuditTool.objects.first() or tool())
    due_date = dt.date(2026, 3, 31)


class CaseAuditFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CaseAudit

    round = factory.SubFactory(RoundFactory)
    child = factory.SubFactory(ChildFactory)
    auditor = factory.SubFactory(QAOfficerFactory)
    team = factory.LazyAttribute(lambda c: c.child.team)


def grade(label: str):
    return scale().grades.get(label=label)


def complete(case: CaseAudit, overall: str, themes: str = "", by=None) -> CaseAudit:
    """Grade every question and the overall grade with the same label, and complete."""
    g = grade(overall)
    answers = {q.pk: (g, "") for q in case.round.tool.sections.first().questions.all()}
    return services.save_grading(
        case, answers=answers, overall=g, summary="", themes=themes, complete=True, by=by or case.auditor
    )
