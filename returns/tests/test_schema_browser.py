"""In headless Chromium: an administrator sees that 2026-27 CIN files are checked against a provisional
schema (a 2026-27 run says so), is refused a file that is not a CIN census schema, installs the DfE's
schema for 2026-27, and the next 2026-27 run is checked against it (issue 13 point 6, decision 0039)."""

import pytest

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import AuditEvent
from returns.models import InstalledSchema, Kind
from returns.tests.test_browser import sign_in
from returns.tests.test_cin_2027 import SAMPLE
from returns.tests.test_schema_install import dfe_2027

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def upload_census(page, base_url):
    page.goto(f"{base_url}/returns/upload/")
    page.select_option("#id_kind", Kind.CIN)
    page.set_input_files("#id_file", str(SAMPLE))
    page.get_by_role("button", name="Upload and check").click()


def test_an_administrator_installs_the_dfe_schema_for_a_year(page, live_server, tmp_path):
    UserFactory(username="admin", role=Role.ADMINISTRATOR, scope=Scope.COUNCIL)
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    sign_in(page, live_server.url, "admin")

    # before: a 2026-27 file is checked against the provisional schema, and the run says so
    upload_census(page, live_server.url)
    assert page.locator("#status").inner_text() == "Ready to commit"
    assert "not the DfE's 2026-27 schema" in page.locator("#checked-against").inner_text()
    assert "cin.schema-provisional" in page.locator("#problem-groups").inner_text()

    page.goto(f"{live_server.url}/returns/")
    page.get_by_role("link", name="CIN census schemas").click()
    assert "Provisional" in page.locator("#schema-years").inner_text()

    # a census file is not a schema: refused, with the reason in the error summary
    page.select_option("#id_year", "2027")
    page.set_input_files("#id_file", str(SAMPLE))
    page.get_by_role("button", name="Check and install").click()
    assert "not an XML Schema" in page.locator(".govuk-error-summary").inner_text()
    assert not InstalledSchema.objects.exists()

    schema = tmp_path / "CIN_schema_2027.xsd"
    schema.write_bytes(dfe_2027())
    page.select_option("#id_year", "2027")
    page.set_input_files("#id_file", str(schema))
    page.get_by_role("button", name="Check and install").click()
    assert "Installed the DfE CIN census (XML) schema for 2026-27, version 1." in page.locator("main").inner_text()
    row = page.locator("#installed tbody tr").first.inner_text()
    assert "2026-27" in row and "CIN_schema_2027.xsd" in row and "admin" in row and "Yes" in row
    years = page.locator("#schema-years").inner_text()
    assert "Provisional" not in years and "installed by admin" in years
    assert AuditEvent.objects.filter(object_type="returns.InstalledSchema", user__username="admin").count() == 1

    # after: the same file is checked against the installed schema, with no provisional warning
    upload_census(page, live_server.url)
    assert page.locator("#status").inner_text() == "Ready to commit"
    assert "installed by admin" in page.locator("#checked-against").inner_text()
    assert "cin.schema-provisional" not in page.locator("main").inner_text()
    assert errors == []
