"""Partnership business in headless Chromium: the business manager finds the pages from
the navigation, records an allegation, sees it open, closes it with an outcome, and the
annual report table counts it."""

import pytest

from accounts.models import Role
from accounts.tests.factories import PASSWORD, UserFactory
from conftest import fill_date
from organisation.tests.factories import PartnerAgencyFactory
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
    fill_date(page, "Date referred to the designated officer", "2014-06-02")
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
    page.get_by_role("link", name="Change", exact=True).click()
    page.get_by_label("Outcome", exact=True).select_option(label="Unfounded")
    fill_date(page, "Closed date", "2014-05-01")
    page.get_by_role("button", name="Save").click()
    assert "must be the same as or after the referral date" in page.locator(".govuk-error-summary").inner_text()
    fill_date(page, "Closed date", "2014-09-01")
    page.get_by_role("button", name="Save").click()
    assert "Closed 1 Sep 2014: Unfounded" in page.locator("#status").inner_text()
    assert Allegation.objects.get().outcome == "unfounded"
    page.goto(f"{live_server.url}/partnership/allegations/report/?start=2014-04-01&end=2015-03-31")
    row = page.locator("#by-outcome tr", has_text="Unfounded")
    assert row.locator("td").first.inner_text() == "1"
    assert "1 allegation referred between" in page.locator("#headline").inner_text()
    assert problems == []


def test_business_manager_records_a_board_meeting_and_a_training_session(page, live_server):
    UserFactory(username="business.manager", role=Role.BOARD_MANAGER)
    PartnerAgencyFactory(name="Borough Police")
    PartnerAgencyFactory(name="Health Trust", kind="health")
    problems = []
    page.on("console", lambda msg: problems.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "business.manager")
    page.goto(f"{live_server.url}/partnership/")
    page.get_by_role("link", name="Board and sub-group meetings").click()
    page.get_by_role("link", name="Add the board or a sub-group").click()
    page.get_by_label("Name").fill("Safeguarding Children Board")
    page.get_by_label("The board itself (not a sub-group)").check()
    page.get_by_role("button", name="Save").click()
    for name in ("Borough Police", "Health Trust"):
        page.get_by_role("link", name="Add a member agency").click()
        page.get_by_label("Agency").select_option(label=name)
        fill_date(page, "Start date", "2014-01-01")
        page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a meeting").click()
    fill_date(page, "Date", "2014-06-12")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("group", name="Borough Police").get_by_label("Attended").check()
    page.get_by_role("group", name="Health Trust").get_by_label("Apologies").check()
    page.get_by_role("button", name="Save").click()
    fill_date(page, "From", "2014-04-01")
    fill_date(page, "To", "2015-03-31")
    page.get_by_role("button", name="Show").click()
    assert "represented at 1 of 2 expected attendances (50.0%)" in page.locator("#headline").inner_text()
    police = page.locator("#attendance tr", has_text="Borough Police")
    assert "Attended" in police.inner_text() and "1 of 1" in police.inner_text()

    page.goto(f"{live_server.url}/partnership/training/")
    page.get_by_role("link", name="Add a course").click()
    page.get_by_label("Title").fill("Safeguarding Neglected Children")
    page.get_by_label("Level").select_option(label="Specialist or themed")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("link", name="Add a session").click()
    fill_date(page, "Date", "2014-10-01")
    page.get_by_label("Places").fill("16")
    page.get_by_role("button", name="Save").click()
    for name, agency, pre, post in (
        ("Ann Nurse", "Health Trust", "2", "4"),
        ("Bob Officer", "Borough Police", "3", "4"),
    ):
        page.get_by_label("Name").fill(name)
        page.get_by_label("Agency").select_option(label=agency)
        page.get_by_label("Confidence before").fill(pre)
        page.get_by_label("Confidence after").fill(post)
        page.get_by_role("button", name="Add delegate").click()
    assert "2 booked for 16 places" in page.locator("#places").inner_text()
    page.goto(f"{live_server.url}/partnership/training/report/?start=2014-04-01&end=2015-03-31")
    row = page.locator("#evaluation tr", has_text="Safeguarding Neglected Children")
    assert row.locator("td").nth(3).inner_text() == "1.5"  # (2 + 1) / 2
    assert problems == []
