"""The foundation's two journeys, in headless Chromium."""

import datetime as dt

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import PASSWORD, UserFactory
from audit.models import Action, AuditEvent
from children.tests.factories import ChildFactory, ReferralFactory
from organisation.tests.factories import TeamFactory, WorkerFactory

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
