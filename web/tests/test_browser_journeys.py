"""Journeys in headless Chromium: the foundation's two, and each role's main job reached from its home page by
clicking (issue 15 point 2)."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from accounts.models import Role, Scope
from accounts.tests.factories import PASSWORD, UserFactory
from audit.models import Action, AuditEvent
from children.tests.factories import AssessmentFactory, ChildFactory, ReferralFactory
from organisation.tests.factories import TeamFactory, WorkerFactory
from timescales.services import recompute_all
from timescales.snapshots import backfill

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_team_manager_opens_a_child_from_the_team_list_and_sees_the_chronology(page, live_server):
    team = TeamFactory(name="Safeguarding Team East")
    worker = WorkerFactory(team=team, name="Priya Shah")
    child = ChildFactory(team=team, worker=worker, first_name="Maisie", last_name="Okafor")
    ReferralFactory(child=child, referral_date=dt.date(2024, 3, 4))
    UserFactory(username="tm", role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)

    sign_in(page, live_server.url, "tm")
    page.get_by_role("link", name="Teams").first.click()
    page.get_by_role("link", name="Safeguarding Team East").click()
    page.get_by_role("link", name="Maisie Okafor").click()

    assert page.get_by_role("heading", name="Maisie Okafor").is_visible()
    chronology = page.locator("#chronology")
    assert "Referral received" in chronology.inner_text()
    assert "4 Mar 2024" in chronology.inner_text()
    assert AuditEvent.objects.filter(action=Action.VIEW, child=child, username="tm").exists()


def test_social_worker_asking_for_a_child_outside_their_scope_is_not_found_and_audited(page, live_server):
    # Not found rather than forbidden: a 403 would tell the worker the child exists (decision 0020).
    team = TeamFactory()
    worker = WorkerFactory(team=team)
    UserFactory(username="sw", role=Role.SOCIAL_WORKER, scope=Scope.CASELOAD, team=team, worker=worker)
    stranger = ChildFactory(first_name="Hidden", last_name="Person")

    sign_in(page, live_server.url, "sw")
    response = page.goto(f"{live_server.url}/children/{stranger.pk}/")

    assert response.status == 404
    assert page.get_by_role("heading", name="Page not found").is_visible()
    assert "Hidden" not in page.content()
    event = AuditEvent.objects.get(action=Action.FORBIDDEN)
    assert (event.username, event.child_id) == ("sw", stranger.pk)


# --- issue 15 point 2: every role reaches its main job from its home page in two clicks ----------------------
# Each journey signs in (which lands on the home page), then only clicks; `clicks` counts them.


def late_child(team, worker, first_name, last_name):
    """A child whose assessment, begun on 8 Jan 2024, is overdue when timescales are computed on 2 Apr 2024."""
    child = ChildFactory(team=team, worker=worker, first_name=first_name, last_name=last_name)
    AssessmentFactory(referral=ReferralFactory(child=child, referral_date=dt.date(2024, 1, 8)))
    return child


def at_home(page, base_url, username):
    sign_in(page, base_url, username)
    expect(page).to_have_url(f"{base_url}/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_team_manager_goes_from_home_to_the_teams_overdue_work_and_on_to_a_child(page, live_server):
    team = TeamFactory(name="Safeguarding Team East")
    child = late_child(team, WorkerFactory(team=team, name="Priya Shah"), "Maisie", "Okafor")
    recompute_all(dt.date(2024, 4, 2))
    UserFactory(username="tm", role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)

    at_home(page, live_server.url, "tm")
    page.locator("#team-counts").get_by_role("link", name=re.compile(r"overdue item")).click()  # 1
    expect(page.locator("#obligations")).to_contain_text("Maisie Okafor")
    page.locator("#obligations").get_by_role("link", name="Maisie Okafor").first.click()  # 2

    expect(page.get_by_role("heading", name="Maisie Okafor")).to_be_visible()
    assert AuditEvent.objects.filter(action=Action.VIEW, child=child, username="tm").exists()


def test_director_goes_from_home_to_the_board_pack(page, live_server):
    team = TeamFactory()
    late_child(team, WorkerFactory(team=team), "Late", "Assessment")
    done = ChildFactory(team=team)
    AssessmentFactory(
        referral=ReferralFactory(child=done, referral_date=dt.date(2024, 1, 8)), authorisation_date=dt.date(2024, 1, 20)
    )
    recompute_all(dt.date(2024, 4, 2))  # a line of sight with a trend, drawn as a chart
    backfill(dt.date(2024, 4, 2))  # the eleven months before, worked out from the register (decision 0043)
    UserFactory(username="director", role=Role.DIRECTOR, scope=Scope.COUNCIL)

    at_home(page, live_server.url, "director")
    expect(page.locator("#headline figure svg")).to_be_visible()
    expect(page.locator("#exceptions")).to_be_visible()
    with page.expect_download() as download:
        page.get_by_role("link", name=re.compile(r"Board pack for quarter")).click()  # 1

    assert download.value.suggested_filename.endswith(".pdf")
    assert open(download.value.path(), "rb").read(5) == b"%PDF-"
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, username="director", detail__startswith="board pack"
    ).exists()
    page.get_by_role("link", name="Line of sight by team").click()  # the council total, definitions and trend
    expect(page.locator("#line-of-sight-total")).to_contain_text("Council total")
    page.get_by_text("What these figures mean").click()
    expect(page.locator("#definitions")).to_contain_text("Cases per FTE (promise)")
    page.get_by_role("link", name="Each measure over 12 months").click()  # each measure's trend, charts and table
    expect(page.locator("#trend h2")).to_contain_text("council total")
    expect(page.locator("#trend figure svg")).to_have_count(5)
    expect(page.locator("#trend-table tbody tr")).to_have_count(12)
    expect(page.locator("#trend-table")).to_contain_text("Worked out afterwards")
    expect(page.locator("#trend-table")).to_contain_text("Not recorded")  # drift and caseloads of past months


def test_analyst_goes_from_home_to_an_upload_and_on_to_a_committed_run(page, live_server, tmp_path, settings):
    from returns.models import ImportRun, Kind
    from returns.tests.test_ssda903_helpers import RETURN_2025

    settings.RETURNS_UPLOAD_DIR = tmp_path / "uploads"
    # the preview and the commit run when queued, as in the returns app's own tests (returns/tests/conftest.py)
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

    UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    WorkerFactory(staff_id="SW100001")
    WorkerFactory(staff_id="SW100002")

    at_home(page, live_server.url, "analyst")
    page.locator("#latest-returns").get_by_role("link", name="Import a return").click()  # 1
    page.select_option("#id_kind", Kind.SSDA903)
    page.set_input_files("#id_file", [str(p) for p in sorted(RETURN_2025.glob("*.csv"))])
    page.get_by_role("button", name="Upload and check").click()  # 2
    expect(page.locator("#status")).to_have_text("Ready to commit", timeout=60_000)
    page.get_by_role("button", name="Commit to the register").click()  # 3: the commit itself

    expect(page.locator("#status")).to_have_text("Committed", timeout=60_000)
    assert ImportRun.objects.get().status == "committed"
    page.goto(f"{live_server.url}/")  # and the home page shows the committed run
    expect(page.locator("#returns")).to_contain_text("Committed")


def test_mase_coordinator_goes_from_home_to_the_prepared_agenda(page, live_server):
    from django.utils import timezone

    from exploitation.services import create_meeting
    from exploitation.tests.factories import CohortEntryFactory

    coordinator = UserFactory(username="mase", role=Role.MASE_MEMBER, scope=Scope.COUNCIL)
    child = ChildFactory(first_name="Tayo", last_name="Mensah")
    CohortEntryFactory(child=child, rag="red")
    meeting = create_meeting(coordinator, timezone.localdate() + dt.timedelta(days=7), title="December panel")
    assert meeting.items.filter(child=child).exists()

    at_home(page, live_server.url, "mase")
    page.locator("#mase").get_by_role("link", name=re.compile("December panel")).click()  # 1

    expect(page.get_by_role("heading", name="December panel")).to_be_visible()
    expect(page.locator("#agenda")).to_contain_text("Tayo Mensah")


def test_auditor_goes_from_an_audit_to_the_childs_record(page, live_server):
    from audits.tests.factories import CaseAuditFactory

    own, other = TeamFactory(name="Team West"), TeamFactory(name="Team North")
    auditor = UserFactory(username="auditor", role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=own)
    child = ChildFactory(team=other, first_name="Ruby", last_name="Adeyemi")
    ReferralFactory(child=child, referral_date=dt.date(2024, 3, 4))
    case = CaseAuditFactory(child=child, auditor=auditor)

    at_home(page, live_server.url, "auditor")
    page.locator("#audit-reminders").get_by_role("link", name=re.compile("Ruby Adeyemi")).click()  # 1
    page.get_by_role("link", name="Open Ruby Adeyemi's record").click()  # 2

    expect(page.get_by_role("heading", name="Ruby Adeyemi")).to_be_visible()
    expect(page.locator("#chronology")).to_contain_text("Referral received")
    assert AuditEvent.objects.filter(
        action=Action.VIEW, child=child, username="auditor", detail=f"as auditor of audit {case.pk}"
    ).exists()


def test_plan_lead_goes_from_home_to_an_actions_rag_update(page, live_server):
    from plans.tests.factories import ActionFactory, LeadFactory

    lead = UserFactory(username="lead", role=Role.HEAD_OF_SERVICE, scope=Scope.NONE)
    action = ActionFactory(summary="Audit the front door's thresholds", end_date=dt.date.today() + dt.timedelta(days=5))
    LeadFactory(action=action, user=lead)

    at_home(page, live_server.url, "lead")
    page.locator("#plan-reminders").get_by_role("link", name=re.compile("Audit the front door")).click()  # 1
    page.get_by_role("link", name="Update progress and RAG").click()  # 2

    expect(page).to_have_url(re.compile(rf"/plans/actions/{action.pk}/update/$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()


def test_lado_goes_from_home_to_a_new_allegation(page, live_server):
    UserFactory(username="lado", role=Role.LADO, scope=Scope.COUNCIL)

    at_home(page, live_server.url, "lado")
    page.get_by_role("link", name="Record a new allegation").click()  # 1

    expect(page.get_by_role("heading", name="Record an allegation")).to_be_visible()
