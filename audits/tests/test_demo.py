"""The demonstration audit programme loads through the services, keeps the conflict rule
and loads once."""

import datetime as dt

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audits import demo_audits, selectors
from audits.models import AuditRound, AuditTool, CaseAudit
from audits.services import conflict
from children.tests.factories import ChildFactory, ReferralFactory
from organisation.tests.factories import ServiceFactory, TeamFactory, WorkerFactory

pytestmark = pytest.mark.django_db


def test_demo_programme(capsys):
    service = ServiceFactory()
    teams = [TeamFactory(service=service) for _ in range(3)]
    for team in teams:
        WorkerFactory(team=team, is_manager=True)
        for _ in range(2):
            worker = WorkerFactory(team=team)
            for _ in range(8):
                ReferralFactory(child=ChildFactory(team=team, worker=worker), referral_date=dt.date(2026, 1, 5))
    manager = teams[0].workers.get(is_manager=True)
    UserFactory(username="qa.officer", role=Role.QA_OFFICER, scope=Scope.COUNCIL)
    UserFactory(username="team.manager", role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=teams[0], worker=manager)
    UserFactory(username="head.of.service", role=Role.HEAD_OF_SERVICE, scope=Scope.SERVICE, service=service)

    demo_audits.load(log=lambda s: None, today=dt.date(2026, 3, 2))
    tool = AuditTool.objects.get(name=demo_audits.TOOL)
    assert [g.label for g in tool.scale.grades.all()] == demo_audits.GRADES
    assert sum(len(q) for _, q in demo_audits.SECTIONS) == 9 == tool.sections.filter(questions__isnull=False).count()
    baseline = AuditRound.objects.get(title="Baseline casework audit")
    reaudit = AuditRound.objects.get(baseline=baseline)
    assert baseline.case_audits.count() == 24
    assert not baseline.case_audits.exclude(status=CaseAudit.Status.COMPLETED).exists()
    assert set(reaudit.case_audits.values_list("child_id", flat=True)) == set(
        baseline.case_audits.values_list("child_id", flat=True)
    )
    assert not [c for c in CaseAudit.objects.select_related("child", "auditor") if conflict(c.auditor, c.child)]
    assert baseline.case_audits.filter(moderations__isnull=False).count() == 4
    comparison = selectors.comparison(reaudit)
    assert comparison.not_comparable == 6 and comparison.better + comparison.same + comparison.worse == 18
    assert AuditRound.objects.count() == 3

    demo_audits.load(log=lambda s: None)
    assert AuditRound.objects.count() == 3 and AuditTool.objects.count() == 1


def test_demo_section11_programme():
    from audits.models import Section11Assessment
    from organisation.tests.factories import PartnerAgencyFactory

    for _ in range(5):
        PartnerAgencyFactory()
    today = dt.date(2026, 3, 2)
    demo_audits.load_section11(log=lambda s: None, today=today)
    rows = selectors.section11_schedule(today)
    assert len(rows) == 5
    assert {r.status for r in rows} >= {"Overdue", "Due"}
    assert all(r.current is not None for r in rows)  # a scrutinised one schedules the next
    scrutinised = Section11Assessment.objects.filter(scrutinised_on__isnull=False)
    assert scrutinised.exists() and all(a.ratings.count() == 8 for a in scrutinised)
    demo_audits.load_section11(log=lambda s: None, today=today)
    assert Section11Assessment.objects.count() == len(rows) + scrutinised.count()
