"""On a phone (390 pixels wide): the header's menu button opens the navigation, and a wide table
scrolls inside its own container instead of pushing the page sideways (issue 15 point 7)."""

import datetime as dt

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.tests.factories import ChildFactory, ReferralFactory
from conftest import fill_date
from organisation.tests.factories import TeamFactory, WorkerFactory

from .test_browser_journeys import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def test_a_phone_gets_a_menu_button_and_tables_that_scroll_in_place(page, live_server):
    team = TeamFactory(name="Safeguarding Team East")
    worker = WorkerFactory(team=team, name="Priya Shah")
    for n in range(3):
        child = ChildFactory(team=team, worker=worker, first_name=f"Child{n}", last_name="Withaverylongsurnameindeed")
        ReferralFactory(child=child, referral_date=dt.date(2024, 3, 4))
    UserFactory(username="tm", role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)
    page.set_viewport_size(PHONE)

    sign_in(page, live_server.url, "tm")
    menu = page.get_by_role("button", name="Menu")
    assert menu.is_visible()
    nav = page.locator("header nav")
    assert not nav.get_by_role("link", name="Children", exact=True).is_visible()  # folded away until asked for
    menu.click()
    nav.get_by_role("link", name="Children", exact=True).click()

    table = page.locator("table.govuk-table").first
    assert table.is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]  # the page does not move sideways
    box = page.locator(".los-table-scroll").first
    assert box.get_attribute("role") == "region"
    assert page.evaluate("el => el.scrollWidth > el.clientWidth", box.element_handle())  # the table scrolls inside


def test_a_success_message_uses_the_success_banner(page, live_server):
    team = TeamFactory()
    child = ChildFactory(team=team)
    from children.models import CareProceedings

    proceedings = CareProceedings.objects.create(child=child, issued_date=dt.date.today() - dt.timedelta(days=30))
    UserFactory(username="tm", role=Role.TEAM_MANAGER, scope=Scope.TEAM, team=team)

    sign_in(page, live_server.url, "tm")
    page.goto(f"{live_server.url}/children/proceedings/{proceedings.pk}/extension/")
    fill_date(page, "Date the court granted the extension", dt.date.today().isoformat())
    page.get_by_label("Weeks").fill("4")
    page.get_by_role("button", name="Record the extension").click()

    banner = page.locator(".govuk-notification-banner--success")
    assert banner.is_visible()
    assert "Success" in banner.inner_text() and "Extension of 4 weeks recorded" in banner.inner_text()
