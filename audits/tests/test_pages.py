"""The pages: least privilege by role and scope, the audit log of every view and change
of a child's audit, the forms, the results and the Excel export."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from audits import services
from audits.models import AuditRound, AuditTool, CaseAudit, GradingScale
from children.tests.factories import ChildFactory, ReferralFactory
from organisation.tests.factories import TeamFactory, WorkerFactory

from .factories import CaseAuditFactory, QAOfficerFactory, RoundFactory, complete, grade, tool

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    """A child in team A (worker Sam, manager Mona); the auditor is team B's manager."""
    tool(questions=2)
    a, b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    sam, mona = WorkerFactory(team=a, name="Sam Worker"), WorkerFactory(team=a, name="Mona Manager", is_manager=True)
    child = ChildFactory(team=a, worker=sam, first_name="Amy", last_name="Ash")
    auditor = UserFactory(
        username="b.manager", role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=b, worker=WorkerFactory(team=b)
    )
    case = CaseAuditFactory(child=child, auditor=auditor, practitioner_name="Sam Worker", manager_name="Mona Manager")
    return {
        "case": case,
        "child": child,
        "auditor": auditor,
        "a_manager": UserFactory(role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=a, worker=mona),
        "sam": UserFactory(role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD, team=a, worker=sam),
        "other_worker": UserFactory(role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD, worker=WorkerFactory(team=a)),
        "qa": QAOfficerFactory(),
        "admin": UserFactory(role=Role.ADMINISTRATOR, scope=Scope.NONE),
        "analyst": UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL),
    }


def views_of(child):
    return AuditEvent.objects.filter(action=Action.VIEW, child_id=child.pk).count()


def test_who_may_open_a_childs_audit(client, setting):
    url = f"/audits/case/{setting['case'].pk}/"
    for who in ("auditor", "a_manager", "sam", "qa"):
        client.force_login(setting[who])
        assert client.get(url).status_code == 200, who
    assert views_of(setting["child"]) == 4
    for who in ("other_worker", "admin", "analyst"):  # out of scope, or a role that does not read audits
        client.force_login(setting[who])
        # The same answer as a case that does not exist, so that a child's audits cannot be probed.
        assert client.get(url).status_code == 404, who
    assert client.get("/audits/case/999999/").status_code == 404
    assert AuditEvent.objects.filter(action=Action.FORBIDDEN, child_id=setting["child"].pk).count() == 3


def test_only_the_auditor_grades_and_the_page_shows_the_names_from_the_register(client, setting):
    case = setting["case"]
    client.force_login(setting["a_manager"])
    assert client.get(f"/audits/case/{case.pk}/grade/").status_code == 403
    client.force_login(setting["auditor"])
    page = client.get(f"/audits/case/{case.pk}/grade/").content.decode()
    assert "Practitioner: Sam Worker" in page and "Manager: Mona Manager" in page
    assert views_of(setting["child"]) == 1


def test_completing_an_audit_through_the_form(client, setting):
    case = setting["case"]
    q1, q2 = case.round.tool.sections.first().questions.all()
    good, ri = grade("Good"), grade("Requires improvement")
    client.force_login(setting["auditor"])
    url = f"/audits/case/{case.pk}/grade/"
    incomplete = {f"q{q1.pk}_grade": good.pk, f"q{q1.pk}_comment": "Clear plan", "overall": good.pk, "complete": "1"}
    response = client.post(url, incomplete)
    assert response.status_code == 200 and "Grade every question" in response.content.decode()
    case.refresh_from_db()
    assert case.status == CaseAudit.Status.ASSIGNED  # nothing half-saved
    client.post(url, {**incomplete, "complete": "0"})
    case.refresh_from_db()
    assert case.status == CaseAudit.Status.IN_PROGRESS
    response = client.post(
        url,
        {**incomplete, f"q{q2.pk}_grade": ri.pk, "themes": "voice of the child", "summary": "Mostly good"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseAudit.Status.COMPLETED and case.agreed_grade == good
    assert case.answers.get(question=q1).comment == "Clear plan"
    assert client.get(url).status_code == 403  # completed: moderation only
    assert AuditEvent.objects.filter(action=Action.CHANGE, child_id=case.child_id, detail="audit completed").exists()


def test_moderation_page_is_for_a_second_person(client, setting):
    case = complete(setting["case"], "Good")
    url = f"/audits/case/{case.pk}/moderate/"
    for who in ("auditor", "a_manager", "sam"):
        client.force_login(setting[who])
        assert client.get(url).status_code == 403, who
    client.force_login(setting["qa"])
    assert client.post(url, {"grade": grade("Inadequate").pk, "reason": ""}).status_code == 200  # reason required
    response = client.post(url, {"grade": grade("Inadequate").pk, "reason": "Risk not assessed"})
    assert response.status_code == 302
    page = client.get(f"/audits/case/{case.pk}/").content.decode()
    assert "Changed Good to Inadequate" in page and "Risk not assessed" in page


def test_actions_arising_added_and_marked_done_by_the_childs_team_manager(client, setting):
    case = setting["case"]
    client.force_login(setting["a_manager"])
    response = client.post(
        f"/audits/case/{case.pk}/actions/add/",
        {"text": "Update the risk assessment", "owner": "Sam Worker", "due_date": "2026-04-01"},
    )
    assert response.status_code == 302
    action = case.actions.get()
    client.force_login(setting["sam"])  # the practitioner reads, does not sign off
    assert client.post(f"/audits/actions/{action.pk}/done/").status_code == 403
    client.force_login(setting["a_manager"])
    assert client.get(f"/audits/actions/{action.pk}/done/").status_code == 403  # POST only
    client.post(f"/audits/actions/{action.pk}/done/")
    action.refresh_from_db()
    assert action.done_date is not None


def test_the_programme_pages_are_for_qa_roles(client, setting):
    r = setting["case"].round
    for url in ("/audits/tools/", "/audits/rounds/new/", f"/audits/rounds/{r.pk}/results/", "/audits/compliance/"):
        client.force_login(setting["auditor"])
        assert client.get(url).status_code == 403, url
        client.force_login(setting["qa"])
        assert client.get(url).status_code == 200, url


def test_home_lists_my_audits_and_a_round_lists_only_children_in_scope(client, setting):
    case = setting["case"]
    other = CaseAuditFactory(round=case.round, child=ChildFactory(first_name="Zed", last_name="Zulu"))
    client.force_login(setting["auditor"])
    home = client.get("/audits/").content.decode()
    assert "Amy Ash" in home and case.round.title in home
    page = client.get(f"/audits/rounds/{case.round.pk}/").content.decode()
    assert "Amy Ash" in page and "Zed Zulu" not in page
    client.force_login(setting["qa"])
    page = client.get(f"/audits/rounds/{case.round.pk}/").content.decode()
    assert "Amy Ash" in page and "Zed Zulu" in page
    client.force_login(setting["admin"])
    assert client.get(f"/audits/rounds/{other.round.pk}/").status_code == 403


def test_qa_officer_builds_a_scale_a_tool_a_round_and_samples(client, setting):
    client.force_login(setting["qa"])
    client.post("/audits/scales/new/", {"name": "Three-point", "grades": "Good\nAdequate\nPoor"})
    scale = GradingScale.objects.get(name="Three-point")
    assert [g.label for g in scale.grades.all()] == ["Good", "Adequate", "Poor"]
    client.post("/audits/tools/new/", {"name": "Neglect tool", "scale": scale.pk, "description": "", "use": "case"})
    t = AuditTool.objects.get(name="Neglect tool")
    client.post(f"/audits/tools/{t.pk}/", {"add": "section", "s-title": "Neglect"})
    section = t.sections.get()
    client.post(f"/audits/tools/{t.pk}/", {"add": "question", "q-section": section.pk, "q-text": "Is neglect named?"})
    assert section.questions.get().text == "Is neglect named?"
    response = client.post(
        "/audits/rounds/new/",
        {"title": "Neglect thematic", "kind": "thematic", "tool": t.pk, "due_date": "2026-05-31", "theme": "Neglect"},
    )
    r = AuditRound.objects.get(title="Neglect thematic")
    assert response.status_code == 302
    child = setting["child"]
    ReferralFactory(child=child, referral_date=dt.date(2025, 1, 1))
    a_manager = setting["a_manager"]
    response = client.post(
        f"/audits/rounds/{r.pk}/sample/", {"team": child.team_id, "size": 5, "auditors": [a_manager.pk]}
    )
    assert r.case_audits.count() == 0  # the only auditor manages the only child
    response = client.post(
        f"/audits/rounds/{r.pk}/sample/",
        {"team": child.team_id, "size": 5, "auditors": [a_manager.pk, setting["auditor"].pk]},
    )
    assert [c.auditor for c in r.case_audits.all()] == [setting["auditor"]]


def test_results_page_and_excel_export(client, setting):
    case = complete(setting["case"], "Good", themes="voice of the child")
    client.force_login(setting["qa"])
    page = client.get(f"/audits/rounds/{case.round.pk}/results/").content.decode()
    assert "Team A" in page and "voice of the child" in page
    response = client.get(f"/audits/rounds/{case.round.pk}/results.xlsx")
    book = load_workbook(BytesIO(response.content))
    rows = [[c.value for c in r] for r in book["Audits"].iter_rows()]
    assert rows[1][:9] == [
        setting["child"].la_child_id,
        "Amy Ash",
        "Team A",
        "Sam Worker",
        "Mona Manager",
        str(setting["auditor"]),
        "Completed",
        "Good",
        "Good",
    ]
    assert rows[1][-2:] == ["Good", "Good"]  # each question's grade
    dist = [[c.value for c in r] for r in book["Grades by team"].iter_rows()]
    assert dist[1] == ["Team A", 0, 1, 0, 0, 0, 1]
    assert AuditEvent.objects.filter(action=Action.EXPORT, child_id=setting["child"].pk).count() == 1


def test_reaudit_page_creates_a_round_of_the_same_children(client, setting):
    case = complete(setting["case"], "Requires improvement")
    client.force_login(setting["qa"])
    client.post(f"/audits/rounds/{case.round.pk}/reaudit/", {"title": "Re-audit", "due_date": "2026-06-30"})
    reaudit = AuditRound.objects.get(title="Re-audit")
    again = reaudit.case_audits.get()
    assert (again.child, again.auditor, reaudit.baseline) == (case.child, case.auditor, case.round)
    complete(again, "Good")
    page = client.get(f"/audits/rounds/{reaudit.pk}/results/").content.decode()
    assert "Compared with the baseline" in page
    assert 'Better</dt><dd class="govuk-summary-list__value">1</dd>' in page
    assert 'Worse</dt><dd class="govuk-summary-list__value">0</dd>' in page


def test_navigation_shows_audits_to_roles_that_use_them(client, setting):
    client.force_login(setting["auditor"])
    assert 'href="/audits/"' in client.get("/").content.decode()
    client.force_login(setting["admin"])
    assert 'href="/audits/"' not in client.get("/").content.decode()


def test_open_actions_page_shows_actions_of_audits_in_scope(client, setting):
    case = setting["case"]
    services.add_action(case, text="Update the chronology", owner="Sam", due_date=dt.date(2026, 1, 1), by=None)
    elsewhere = CaseAuditFactory(child=ChildFactory(team=TeamFactory()))
    services.add_action(elsewhere, text="Elsewhere action", owner="X", due_date=dt.date(2026, 1, 1), by=None)
    done = services.add_action(case, text="Done already", owner="Sam", due_date=dt.date(2026, 1, 1), by=None)
    services.mark_done(done, on=dt.date(2026, 1, 2), by=None)
    client.force_login(setting["a_manager"])
    page = client.get("/audits/actions/").content.decode()
    assert "Update the chronology" in page and "Elsewhere action" not in page and "Done already" not in page
    assert AuditEvent.objects.filter(child_id=case.child_id, detail="audit actions arising").count() == 1
    client.force_login(setting["qa"])
    assert "Elsewhere action" in client.get("/audits/actions/").content.decode()
    client.force_login(setting["sam"])
    assert client.get("/audits/actions/").status_code == 403


def test_home_page_lists_my_audits_to_do(client, setting):
    audit_round = setting["case"].round
    audit_round.due_date = dt.date(2020, 1, 31)
    audit_round.save()
    client.force_login(setting["auditor"])
    page = client.get("/").content.decode()
    assert 'id="audit-reminders"' in page and "Amy Ash" in page and "Overdue" in page
    complete(setting["case"], "Good")
    assert 'id="audit-reminders"' not in client.get("/").content.decode()


def test_reaudit_comparison_counts_only_children_in_scope_and_names_the_worse(client, setting):
    in_scope = complete(setting["case"], "Good")
    outside = complete(CaseAuditFactory(round=in_scope.round, child=ChildFactory(team=TeamFactory())), "Good")
    reaudit = services.create_reaudit(in_scope.round, title="Re-audit", due_date=dt.date(2026, 6, 30), by=None)
    complete(reaudit.case_audits.get(child=in_scope.child), "Inadequate")
    complete(reaudit.case_audits.get(child=outside.child), "Inadequate")
    head = UserFactory(role=Role.HEAD_OF_SERVICE, scope=Scope.SERVICE, service=in_scope.child.team.service)
    client.force_login(head)
    page = client.get(f"/audits/rounds/{reaudit.pk}/results/").content.decode()
    assert 'Worse</dt><dd class="govuk-summary-list__value">1</dd>' in page
    assert "Amy Ash" in page and "Good to Inadequate" in page
    client.force_login(setting["qa"])
    page = client.get(f"/audits/rounds/{reaudit.pk}/results/").content.decode()
    assert 'Worse</dt><dd class="govuk-summary-list__value">2</dd>' in page


def test_a_tool_no_longer_in_use_is_not_offered_for_new_rounds(client, setting):
    t = setting["case"].round.tool
    client.force_login(setting["qa"])
    assert f'value="{t.pk}"' in client.get("/audits/rounds/new/").content.decode()
    client.post(f"/audits/tools/{t.pk}/", {"active": "0"})
    t.refresh_from_db()
    assert not t.active
    assert f'value="{t.pk}"' not in client.get("/audits/rounds/new/").content.decode()
    assert client.get(f"/audits/rounds/{setting['case'].round.pk}/").status_code == 200  # its rounds keep it


def test_a_team_manager_sees_the_rounds_they_audit_in_with_the_rounds_totals(client, setting):
    case = setting["case"]
    complete(CaseAuditFactory(round=case.round, child=ChildFactory(team=TeamFactory())), "Good")
    RoundFactory(title="Nothing of mine")
    client.force_login(setting["auditor"])
    page = client.get("/audits/").content.decode()
    assert case.round.title in page and "Nothing of mine" not in page
    rounds = page[page.index('id="rounds"') :]
    row = rounds[rounds.index(case.round.title) :]
    row = row[: row.index("</tr>")]
    assert [c.split("<")[0] for c in row.split('los-numeric">')[1:]] == ["2", "1"]  # audits, completed
