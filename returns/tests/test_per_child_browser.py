"""Per-child acceptance in headless Chromium (issue 13 point 4): an analyst uploads a 903 in which
one child's episodes overlap, sees that child listed as held back with its error, commits the
other three, and finds the counts on the run and in the list of runs."""

import shutil

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from children.models import Child
from organisation.tests.factories import WorkerFactory
from returns.models import Kind
from returns.tests.test_browser import sign_in
from returns.tests.test_ssda903_helpers import D903, RETURN_2025

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_run_with_a_child_held_back(page, live_server, tmp_path):
    UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    WorkerFactory(staff_id="SW100001")
    WorkerFactory(staff_id="SW100002")
    tables = tmp_path / "tables"
    shutil.copytree(RETURN_2025, tables)
    shutil.copy(D903 / "bad" / "episodes_overlap.csv", tables / "episodes.csv")  # L001's episodes overlap
    sign_in(page, live_server.url, "analyst")
    page.goto(f"{live_server.url}/returns/upload/")
    page.select_option("#id_kind", Kind.SSDA903)
    page.set_input_files("#id_file", [str(p) for p in sorted(tables.glob("*.csv"))])
    page.get_by_role("button", name="Upload and check").click()

    assert page.locator("#status").inner_text() == "Ready to commit"
    assert page.locator("#children-committed").inner_text() == "3"
    held = page.locator("#held-back").inner_text()
    assert "L001" in held and "903.episode-overlap" in held and "Not yet committed" in held
    assert "L002" not in held
    page.get_by_role("button", name="Commit 3 children, hold back 1").click()

    assert page.locator("#status").inner_text() == "Committed"
    assert page.locator("#children-held-back").inner_text().startswith("1")
    assert "3 children committed; 1 child held back" in page.locator("main").inner_text()
    assert sorted(Child.objects.values_list("la_child_id", flat=True)) == ["L002", "L003", "L004"]
    page.get_by_role("link", name="Back to statutory returns").click()
    assert "1 child held back" in page.locator("#runs").inner_text()


def test_an_annex_a_run_with_a_child_held_back(page, live_server, tmp_path):
    """Decision 0048: B2's CP plan starts on 30 February, so its contact on List 1 is held back with it."""
    from returns.tests.test_per_child_annex_a_ssd import annex_a

    UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    path = annex_a(tmp_path / "annex_a.xlsx")
    sign_in(page, live_server.url, "analyst")
    page.goto(f"{live_server.url}/returns/upload/")
    page.select_option("#id_kind", Kind.ANNEX_A)
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Upload and check").click()

    assert page.locator("#status").inner_text() == "Ready to commit"
    held = page.locator("#held-back").inner_text()
    assert "B2" in held and "annex_a.impossible-date" in held and "A1" not in held
    page.get_by_role("button", name="Commit 2 children, hold back 1").click()

    assert page.locator("#status").inner_text() == "Committed"
    assert "2 children committed; 1 child held back" in page.locator("main").inner_text()
    assert sorted(Child.objects.values_list("la_child_id", flat=True)) == ["A1", "C3"]
