"""A team manager follows an overdue count down to the child, and sees the team's trend, in headless Chromium."""

import datetime as dt

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import PASSWORD, UserFactory
from children.tests.factories import AssessmentFactory, ChildFactory, ReferralFactory
from organisation.tests.factories import TeamFactory, WorkerFactory
from timescales.services import recompute_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_manager_drills_from_team_count_to_the_overdue_child(page, live_server):
    team = TeamFactory(name="Assessment Team North")
    worker = WorkerFactory(team=team, name="Jo Bloggs")
    referral = ReferralFactory(
        child=ChildFactory(team=team, worker=worker, first_name="Late", last_name="Case"),
        referral_date=dt.date(2024, 1, 8),
    )
    AssessmentFactory(referral=referral)
    recompute_all(dt.date(2024, 4, 2))
    UserFactory(username="tm", role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("tm")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Line of sight", exact=True).click()
    page.get_by_role("link", name="Assessment Team North").click()
    row = page.locator("#team-workers tr", has_text="Jo Bloggs")
    row.get_by_role("link").first.click()  # the overdue count
    assert "Late Case" in page.locator("#obligations").inner_text()
    page.get_by_role("link", name="Late Case").click()
    assert page.get_by_role("heading", name="What is due").is_visible()
    assert "Overdue" in page.locator("#due").inner_text()
    page.goto(f"{live_server.url}/oversight/team/{team.pk}/")
    page.get_by_role("link", name="Assessment Team North over 12 months").click()  # the team's trend (decision 0043)
    assert "Assessment Team North" in page.locator("#trend h2").inner_text()
    assert page.locator("#trend figure svg").count() == 4  # nothing completed: no "in timescale" to draw
    assert "No month has a figure to draw" in page.locator("#trend").inner_text()
    april = page.locator("#trend-table tbody tr").last.inner_text()
    assert april.startswith("Apr 2024") and "As on 2 Apr 2024" in april
