"""Statutory returns in headless Chromium: an analyst uploads the sample CIN census, sees
what it would change and its problems grouped by rule, downloads them as Excel, commits,
and finds the run listed with who ran it, when, its checksum and outcome; a truncated
file is refused and changes nothing; a run still being read shows its progress bar.

The preview and commit run inside the request here (django-tasks' immediate backend, the returns
tests' conftest); in service they are queued for the background worker while the page refreshes itself."""

import hashlib
from io import BytesIO

import pytest
from django.db.models import Q
from lxml import etree
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import PASSWORD, UserFactory
from children.models import Child, Referral
from conftest import wait_for
from organisation.tests.factories import WorkerFactory
from returns.cin.reader import full_schema
from returns.models import ImportRun, Kind, Status
from returns.tests.conftest import DATA
from returns.tests.test_annex_a_helpers import SAMPLE as ANNEX_A
from returns.tests.test_ssda903_helpers import RETURN_2025

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = DATA / "fake_CIN_data.xml"  # 332 children; its true/false flags are 402 warnings


def sign_in(page, base_url, username):
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def upload(page, base_url, path):
    page.goto(f"{base_url}/returns/")
    page.get_by_role("link", name="Import a return").click()
    page.select_option("#id_kind", Kind.CIN)
    page.set_input_files("#id_file", str(path))
    page.get_by_role("button", name="Upload and check").click()


def test_analyst_previews_downloads_the_problems_commits_and_finds_the_run(page, live_server):
    UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "analyst")
    upload(page, live_server.url, SAMPLE)

    assert page.locator("#status").inner_text() == "Ready to commit"
    summary = page.locator("#summary").inner_text()
    assert "Children\t332\t0\t0\t0" in summary and "Referrals\t402" in summary
    assert Child.objects.count() == 0  # a preview writes nothing
    groups = page.locator("#problem-groups").inner_text()
    assert "cin.yes-no-word" in groups and "402" in groups

    with page.expect_download() as download:
        page.get_by_role("link", name="Download every problem as Excel").click()
    assert download.value.suggested_filename.endswith(".xlsx")
    with open(download.value.path(), "rb") as handle:  # the saved download has no extension
        sheet = load_workbook(BytesIO(handle.read()), read_only=True).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert len(rows) - 1 == 402  # a header row, then one row per problem
    assert any("RND000215205141" in str(cell) for cell in rows[1])  # the record is named

    page.get_by_role("button", name="Commit to the register").click()
    assert page.locator("#status").inner_text() == "Committed"
    assert (Child.objects.count(), Referral.objects.count()) == (332, 402)

    page.get_by_role("link", name="Back to statutory returns").click()
    row = page.locator("#runs tbody tr").first.inner_text()
    sha = hashlib.sha256(SAMPLE.read_bytes()).hexdigest()
    assert "fake_CIN_data.xml" in row and "analyst" in row and "Committed" in row
    assert sha[:16] in row
    assert errors == []


def test_a_truncated_file_is_refused_and_changes_nothing(page, live_server, tmp_path):
    UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    broken = tmp_path / "cin_truncated.xml"
    broken.write_bytes(SAMPLE.read_bytes()[:50_000])
    sign_in(page, live_server.url, "analyst")
    upload(page, live_server.url, broken)

    assert page.locator("#status").inner_text() == "Has errors"
    assert "xml.syntax" in page.locator("#problem-groups").inner_text()
    assert page.get_by_role("button", name="Commit to the register").count() == 0
    assert "cannot be committed" in page.locator("main").inner_text()
    assert Child.objects.count() == 0


def test_a_run_being_read_shows_its_progress_and_refreshes(page, live_server):
    analyst = UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    run = ImportRun.objects.create(
        kind=Kind.CIN,
        file_name="cin_england.xml",
        stored_path="/nowhere",
        size=1_000_000,
        processed=400_000,
        records=2_000,
        sha256="0" * 64,
        user=analyst,
        username="analyst",
        status=Status.CHECKING,
    )
    sign_in(page, live_server.url, "analyst")
    page.goto(f"{live_server.url}/returns/{run.pk}/")
    assert page.locator("#progress").get_attribute("value") == "40"
    assert "2000 children read, 40% of the file" in page.locator("label[for=progress]").inner_text()
    # It updates its progress in place (no meta refresh, which axe-core fails: WCAG 2.2.1).
    assert page.locator("#run-progress").get_attribute("data-los-refresh") == "2"
    assert page.locator("meta[http-equiv=refresh]").count() == 0
    assert page.get_by_role("button", name="Commit to the register").count() == 0


def test_the_run_page_updates_its_progress_in_place_and_shows_the_result_when_done(page, live_server):
    analyst = UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    run = ImportRun.objects.create(
        kind=Kind.CIN,
        file_name="cin.xml",
        stored_path="/nowhere",
        size=1000,
        processed=100,
        records=5,
        sha256="0" * 64,
        user=analyst,
        username="analyst",
        status=Status.CHECKING,
    )
    sign_in(page, live_server.url, "analyst")
    page.goto(f"{live_server.url}/returns/{run.pk}/")
    assert "10% of the file" in page.locator("#run-progress").inner_text()
    loads = []
    page.on("load", lambda _: loads.append(1))
    ImportRun.objects.filter(pk=run.pk).update(processed=600, records=30)
    assert wait_for(page, "document.querySelector('#progress').value == 60")
    assert "30 children read" in page.locator("#run-progress").inner_text() and not loads  # swapped, not reloaded
    ImportRun.objects.filter(pk=run.pk).update(status=Status.PREVIEWED)
    page.get_by_role("heading", name="What the import would change").wait_for(timeout=10_000)
    assert page.locator("#run-progress").count() == 0


def test_the_903_tables_are_chosen_together_in_one_input_and_committed(page, live_server):
    UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    WorkerFactory(staff_id="SW100001")  # the return's SW_IDs
    WorkerFactory(staff_id="SW100002")
    sign_in(page, live_server.url, "analyst")
    page.goto(f"{live_server.url}/returns/upload/")
    page.select_option("#id_kind", Kind.SSDA903)
    page.set_input_files("#id_file", [str(p) for p in sorted(RETURN_2025.glob("*.csv"))])
    page.get_by_role("button", name="Upload and check").click()

    assert page.locator("#status").inner_text() == "Ready to commit"
    assert "collection year ending 31 March 2025" in page.locator("#run-facts").inner_text()
    summary = page.locator("#summary").inner_text()
    assert "Children\t4\t" in summary and "Looked-after episodes\t5\t" in summary
    page.get_by_role("button", name="Commit to the register").click()
    assert page.locator("#status").inner_text() == "Committed"
    assert Child.objects.count() == 4


def test_the_annex_a_workbook_is_previewed_with_its_warnings_and_committed(page, live_server):
    UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    sign_in(page, live_server.url, "analyst")
    page.goto(f"{live_server.url}/returns/upload/")
    page.select_option("#id_kind", Kind.ANNEX_A)
    page.set_input_files("#id_file", str(ANNEX_A))
    page.get_by_role("button", name="Upload and check").click()

    assert page.locator("#status").inner_text() == "Ready to commit"
    assert "59 list rows read" in page.locator("main").inner_text()
    assert "annex_a.unknown-code" in page.locator("#problem-groups").inner_text()
    page.get_by_role("button", name="Commit to the register").click()
    assert page.locator("#status").inner_text() == "Committed"
    assert Child.objects.count() == 48


def test_the_cin_census_exported_from_the_page_is_valid_and_holds_the_imported_children(page, live_server):
    UserFactory(username="analyst", role=Role.ANALYST, scope=Scope.COUNCIL)
    sign_in(page, live_server.url, "analyst")
    upload(page, live_server.url, SAMPLE)
    page.get_by_role("button", name="Commit to the register").click()
    assert page.locator("#status").inner_text() == "Committed"

    page.goto(f"{live_server.url}/returns/export/")
    page.select_option("#id_kind", Kind.CIN)
    page.select_option("#id_year", "2022")
    with page.expect_download() as download:
        page.locator("form").filter(has=page.locator("#id_year")).get_by_role("button", name="Download").click()
    with open(download.value.path(), "rb") as handle:
        doc = etree.parse(BytesIO(handle.read()))
    assert full_schema(2022).validate(doc), full_schema(2022).error_log
    exported = {el.text for el in doc.iter("LAchildID")}
    # Every child with an episode open at any time in 2021-22 (one referral meets both conditions).
    open_in_year = Referral.objects.filter(
        Q(closure_date__isnull=True) | Q(closure_date__gte="2021-04-01"), referral_date__lte="2022-03-31"
    )
    assert exported == set(open_in_year.values_list("child__la_child_id", flat=True))
