"""In headless Chromium: an administrator sets the SSDA903 all-or-nothing on the returns pages, and the
next 903 with one child in error is refused whole, its run saying it was accepted all-or-nothing
(issue 13 point 4, decision 0071)."""

import shutil

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import AuditEvent
from children.models import Child
from organisation.tests.factories import WorkerFactory
from returns.models import Acceptance, Kind
from returns.tests.test_browser import sign_in
from returns.tests.test_ssda903_helpers import D903, RETURN_2025

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_administrator_sets_a_kind_all_or_nothing(page, live_server, tmp_path):
    UserFactory(username="admin", role=Role.ADMINISTRATOR, scope=Scope.COUNCIL)
    WorkerFactory(staff_id="SW100001")
    WorkerFactory(staff_id="SW100002")
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "admin")

    page.goto(f"{live_server.url}/returns/")
    assert "Per child" in page.locator("#acceptance").inner_text()
    page.get_by_role("link", name="Change how returns are accepted").click()
    assert "the server's setting" in page.locator("#acceptance").inner_text()
    page.locator("#ssda903-all").check()
    page.get_by_role("button", name="Save").click()

    assert "Changed how SSDA903 looked-after children return returns are accepted" in page.locator("main").inner_text()
    assert page.locator("#ssda903-all").is_checked() and page.locator("#cin-child").is_checked()
    assert "Set by admin" in page.locator("#acceptance").inner_text()
    assert Acceptance.objects.get(kind=Kind.SSDA903).all_or_nothing
    assert AuditEvent.objects.filter(object_type="returns.Acceptance", user__username="admin").count() == 1

    # the next 903 with one child in error (L001's episodes overlap) is refused whole
    tables = tmp_path / "tables"
    shutil.copytree(RETURN_2025, tables)
    shutil.copy(D903 / "bad" / "episodes_overlap.csv", tables / "episodes.csv")
    page.goto(f"{live_server.url}/returns/upload/")
    page.select_option("#id_kind", Kind.SSDA903)
    page.set_input_files("#id_file", [str(p) for p in sorted(tables.glob("*.csv"))])
    page.get_by_role("button", name="Upload and check").click()
    assert page.locator("#status").inner_text() == "Has errors"
    assert page.locator("#acceptance").inner_text().startswith("All-or-nothing")
    assert "imports SSDA903 looked-after children return all-or-nothing" in page.locator("main").inner_text()
    assert Child.objects.count() == 0
    assert errors == []
