"""Partnership business in headless Chromium: the business manager finds the pages from
the navigation, records an allegation, sees it open, closes it with an outcome, and the
annual report table counts it."""

import pytest

from accounts.models import Role
from accounts.tests.factories import PASSWORD, UserFactory
from partnership.models import Allegation

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_business_manager_records_closes_and_counts_an_allegation(page, live_server):
    UserFactory(username="business.manager", role=Role.BOARD_MANAGER)
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "business.manager")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Partnership business").click()
    page.get_by_role("link", name="Allegations against adults who work with children (LADO)").click()
    page.get_by_role("link", name="Record an allegation").click()
    page.get_by_label("Reference", exact=True).fill("LADO-2015-001")
    page.get_by_label("Date referred to the designated officer").fill("2014-06-02")
    page.get_by_label("How it came to the designated officer").select_option(label="Police")
    page.get_by_label("Name of the adult").fill("Sam Adult")
    page.get_by_label("The adult's role").fill("Youth worker")
    page.get_by_label("Employer or setting").fill("Riverside Youth Club")
    page.get_by_label("Sector", exact=True).select_option(label="Voluntary sector")
    page.get_by_label("Category of allegation").select_option(label="Emotional abuse")
    page.get_by_role("button", name="Save").click()
    assert "Past target" in page.locator("#status").inner_text()  # referred in 2014, still open
    page.get_by_role("link", name="Back to allegations").click()
    assert "LADO-2015-001" in page.locator("#open-allegations").inner_text()
    page.get_by_role("button", name="Chased today for LADO-2015-001").click()
    assert "chased today" in page.locator(".govuk-notification-banner").inner_text()
    page.get_by_role("link", name="LADO-2015-001").click()
    page.get_by_role("link", name="Change").click()
    page.get_by_label("Outcome", exact=True).select_option(label="Unfounded")
    page.get_by_label("Closed date").fill("2014-05-01")
    page.get_by_role("button", name="Save").click()
    assert "before the referral date" in page.locator(".govuk-error-summary").inner_text()
    page.get_by_label("Closed date").fill("2014-09-01")
    page.get_by_role("button", name="Save").click()
    assert "Closed 1 Sep 2014: Unfounded" in page.locator("#status").inner_text()
    assert Allegation.objects.get().outcome == "unfounded"
    page.goto(f"{live_server.url}/partnership/allegations/report/?start=2014-04-01&end=2015-03-31")
    row = page.locator("#by-outcome tr", has_text="Unfounded")
    assert row.locator("td").first.inner_text() == "1"
    assert "1 allegation referred between" in page.locator("#headline").inner_text()
    assert problems == []
