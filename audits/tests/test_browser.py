"""Completing an audit in headless Chromium: the auditor (another team's manager) opens
the audit from their list, is told to grade every question, grades and completes it and
adds an action arising; a QA officer then moderates the grade with a reason."""

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import PASSWORD, UserFactory
from audit.models import Action, AuditEvent
from audits.models import CaseAudit
from children.tests.factories import ChildFactory
from conftest import fill_date
from organisation.tests.factories import TeamFactory, WorkerFactory

from .factories import CaseAuditFactory, QAOfficerFactory, tool

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_auditor_completes_an_audit_and_a_qa_officer_moderates_it(page, live_server):
    tool(questions=2)
    a, b = TeamFactory(name="Team A"), TeamFactory(name="Team B")
    child = ChildFactory(team=a, worker=WorkerFactory(team=a, name="Sam Worker"), first_name="Amy", last_name="Ash")
    auditor = UserFactory(username="b.manager", role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=b)
    case = CaseAuditFactory(child=child, auditor=auditor, practitioner_name="Sam Worker", manager_name="Mona Manager")
    QAOfficerFactory(username="qa.officer")
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    sign_in(page, live_server.url, "b.manager")
    page.get_by_role("link", name="Audits", exact=True).click()
    page.locator("#my-audits").get_by_role("link", name=f"Amy Ash ({child.la_child_id})").click()
    page.get_by_role("link", name="Start the audit").click()
    page.get_by_role("group", name="Question 1").get_by_label("Good", exact=True).check()
    page.get_by_role("group", name="Overall grade").get_by_label("Requires improvement").check()
    page.get_by_role("button", name="Complete the audit").click()
    assert "Grade every question" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_role("group", name="Question 1").get_by_label("Good", exact=True).is_checked()  # kept
    page.get_by_role("group", name="Question 2").get_by_label("Inadequate").check()
    page.get_by_label("Comment on: Question 2").fill("No contingency plan on file")
    page.get_by_label("Themes and learning").fill("contingency planning, voice of the child")
    page.get_by_role("button", name="Complete the audit").click()
    assert "Requires improvement" in page.locator("#overall-grade").inner_text()
    assert "No contingency plan on file" in page.locator("#answers").inner_text()
    page.get_by_role("link", name="Add an action arising").click()
    page.get_by_label("Action").fill("Record a contingency plan")
    assert page.get_by_label("Owner").input_value() == "Sam Worker"  # from the register
    fill_date(page, "Due date", "2026-04-30")
    page.get_by_role("button", name="Save").click()
    assert "Record a contingency plan" in page.locator("#actions").inner_text()
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, live_server.url, "qa.officer")
    page.goto(f"{live_server.url}/audits/case/{case.pk}/")
    page.get_by_role("link", name="Moderate the grade").click()
    page.get_by_label("Inadequate").check()
    page.get_by_label("Reason").fill("Risk to the child is not assessed")
    page.get_by_role("button", name="Save").click()
    assert "Changed Requires improvement to Inadequate" in page.locator("#moderation").inner_text()
    page.locator("#actions").get_by_role("button", name="Mark done").click()
    assert "Overdue" not in page.locator("#actions").inner_text()

    case.refresh_from_db()
    assert case.status == CaseAudit.Status.COMPLETED
    assert (case.auditor_grade.label, case.agreed_grade.label) == ("Requires improvement", "Inadequate")
    assert AuditEvent.objects.filter(child_id=child.pk, action=Action.VIEW).count() >= 4
    assert AuditEvent.objects.filter(child_id=child.pk, action=Action.CHANGE).count() == 3  # completed, moderated, done
    assert not [p for p in problems if "Content Security Policy" in p or "Content-Security-Policy" in p]
