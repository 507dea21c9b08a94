"""A director goes from the performance board to an indicator and to the children behind a number,
in headless Chromium; the chart is there and the page raises no Content-Security-Policy errors."""

import datetime as dt

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import PASSWORD, UserFactory
from children.tests.factories import ChildFactory, ReferralFactory
from indicators import selectors
from indicators.models import Target
from organisation.tests.factories import TeamFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_director_drills_from_the_board_to_the_children(page, live_server):
    selectors.clear_cache()
    team = TeamFactory(name="Assessment Team South")
    child = ChildFactory(team=team, first_name="Again", last_name="Referred")
    ReferralFactory(child=child, referral_date=dt.date(2024, 5, 1))
    ReferralFactory(child=child, referral_date=dt.date(2024, 9, 1))
    Target.objects.create(indicator="RE-REF", year=2024, value=15)
    UserFactory(username="director", role=Role.DIRECTOR, scope=Scope.COUNCIL)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Username").fill("director")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Performance", exact=True).click()
    page.get_by_label("Financial year", exact=True).select_option("2024")
    page.get_by_label("Month", exact=True).select_option("6")
    page.get_by_role("button", name="Show").click()
    row = page.locator("#performance-board tr", has_text="Re-referrals within 12 months")
    assert "1 (50%)" in row.inner_text() and "Red" in row.inner_text()
    row.get_by_role("link", name="Re-referrals within 12 months").click()
    assert page.locator("svg[role=img]").first.is_visible()
    page.locator("#monthly tr", has_text="Sep 2024").get_by_role("link").nth(1).click()  # the numerator
    assert "Again Referred" in page.locator("#drill-down").inner_text()
    selectors.clear_cache()
    assert not [p for p in problems if "Content Security Policy" in p or "Content-Security-Policy" in p]
