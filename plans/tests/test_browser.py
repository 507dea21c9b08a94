"""Improvement plans in headless Chromium: a lead updates progress and RAG with a reason,
the board report downloads and contains the change, and a user without a role on the
plan cannot edit it."""

import datetime as dt
from io import BytesIO

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import PASSWORD, UserFactory
from plans.models import RagChange

from .factories import ActionFactory, LeadFactory, MilestoneFactory, PlanFactory, RoleFactory, ThemeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def make_plan():
    plan = PlanFactory(title="Business Plan 2013-14")
    theme = ThemeFactory(plan=plan, number="1", title="Strategic leadership and accountability")
    action = ActionFactory(
        theme=theme, ref="1.3", summary="Develop BSCB Annual Report", end_date=timezone.localdate() + dt.timedelta(40)
    )
    MilestoneFactory(action=action, text="First draft completed", due_date=timezone.localdate() + dt.timedelta(5))
    return plan, action


def test_lead_updates_progress_and_rag_with_a_reason_and_the_board_report_has_the_change(page, live_server):
    plan, action = make_plan()
    lead = UserFactory(username="business.manager", role=Role.BOARD_MANAGER, first_name="Bea", last_name="Manager")
    LeadFactory(action=action, user=lead, name="Business Manager")
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    sign_in(page, live_server.url, "business.manager")
    reminders = page.locator("#plan-reminders")
    assert "Develop BSCB Annual Report" in reminders.inner_text()  # due within 14 days, on the home page
    reminders.get_by_role("link", name="1.3 Develop BSCB Annual Report").click()
    assert "Amber" in page.locator("#rag").inner_text()  # proposed: milestone due soon, no note
    page.get_by_role("link", name="Update progress and RAG").click()
    page.get_by_label("Progress note (key points to note)").fill("Draft delayed: agency data arrived late")
    page.get_by_label("Red").check()
    page.get_by_role("button", name="Save").click()
    assert "Give a reason" in page.locator(".govuk-error-summary").inner_text()  # red is not the proposal
    page.get_by_label("Red").check()
    page.get_by_label("Why this RAG status").fill("Publication will miss the July board")
    page.get_by_role("button", name="Save").click()
    assert "Publication will miss the July board" in page.locator("#rag").inner_text()
    assert "Publication will miss the July board" in page.locator("#rag-history").inner_text()
    change = RagChange.objects.get()
    assert (change.rag, change.by, change.kind) == ("red", lead, "overridden")

    page.get_by_role("link", name="Back to the plan").click()
    with page.expect_download() as info:
        page.get_by_role("link", name="Board report (Excel)").click()
    book = load_workbook(BytesIO(open(info.value.path(), "rb").read()))
    plan_rows = [[c.value for c in r] for r in book["Plan"].iter_rows()]
    row = next(r for r in plan_rows if r[0] == "1.3")
    assert "Red" in row and any("Draft delayed" in str(v) for v in row)
    summary = [str(c.value) for r in book["Summary"].iter_rows() for c in r if c.value]
    assert "Publication will miss the July board" in summary
    with page.expect_download() as info:
        page.get_by_role("link", name="Board report (PDF)").click()
    assert open(info.value.path(), "rb").read(4) == b"%PDF"
    assert not [p for p in problems if "Content Security Policy" in p or "Content-Security-Policy" in p]


def test_a_user_without_a_role_on_the_plan_cannot_edit_it(page, live_server):
    plan, action = make_plan()
    UserFactory(username="outsider", role=Role.TEAM_MANAGER, scope=Scope.TEAM)
    viewer = UserFactory(username="viewer", role=Role.QA_OFFICER, scope=Scope.COUNCIL)
    RoleFactory(plan=plan, user=viewer, kind="viewer")

    sign_in(page, live_server.url, "outsider")
    page.get_by_role("link", name="Improvement plans").click()
    assert "Business Plan 2013-14" not in page.content()
    response = page.goto(f"{live_server.url}/plans/actions/{action.pk}/update/")
    assert response.status == 403
    assert page.get_by_role("heading", name="Forbidden").is_visible()
    response = page.goto(f"{live_server.url}/plans/{plan.pk}/")
    assert response.status == 403

    page.context.clear_cookies()
    sign_in(page, live_server.url, "viewer")
    page.goto(f"{live_server.url}/plans/actions/{action.pk}/")
    assert page.get_by_role("heading", name="Action 1.3").is_visible()
    assert page.get_by_role("link", name="Update progress and RAG").count() == 0
    response = page.goto(f"{live_server.url}/plans/actions/{action.pk}/update/")
    assert response.status == 403
    assert not RagChange.objects.exists()
