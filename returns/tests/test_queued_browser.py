"""The background worker's journey in headless Chromium (issue 16 point 1): an analyst uploads a census, the run
page says it is queued until a worker takes it, then shows the preview (it refreshes itself; here it is reloaded,
so as not to wait); the commit is queued the same way and, once committed, the background work page lists the
check, the commit and the recompute that the commit queued without anyone asking. The worker runs in its
one-shot mode in the test's process."""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.models import Child
from returns.models import ImportRun, Status
from returns.tests.conftest import DATA
from returns.tests.test_browser import sign_in, upload

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def run_worker() -> None:
    call_command("run_worker", once=True, stdout=io.StringIO(), stderr=io.StringIO())


def test_the_run_page_shows_queued_work_until_a_worker_takes_it_and_the_background_page_lists_it(
    page, live_server, settings
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    sign_in(page, live_server.url, "analyst")
    upload(page, live_server.url, DATA / "cin_full_2025.xml")

    assert page.locator("#status").inner_text() == "Queued"
    assert "The check is queued" in page.locator("#queued").inner_text()
    run_worker()
    page.reload()
    expect(page.locator("#status")).to_have_text("Ready to commit")

    page.get_by_role("button", name="Commit to the register").click()
    assert page.locator("#status").inner_text() == "Queued"
    assert "The commit is queued" in page.locator("#queued").inner_text() and Child.objects.count() == 0
    run_worker()
    page.reload()
    expect(page.locator("#status")).to_have_text("Committed")
    assert ImportRun.objects.get().status == Status.COMMITTED and Child.objects.count() == 3

    page.goto(f"{live_server.url}/returns/")
    page.get_by_role("link", name="see the background work").click()
    tasks = page.locator("#tasks").inner_text()
    assert "Check of an imported return" in tasks and "Commit of an imported return" in tasks
    assert "Recompute of statutory timescales" in tasks and "(import run" in tasks
    assert page.locator("#tasks .govuk-tag").all_inner_texts() == ["Finished"] * 3
    assert page.locator("#worker-state").inner_text().startswith("Running")
