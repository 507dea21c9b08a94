import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from children.models import Child, Contact
from returns.annex_a.exporter import period_before
from returns.annex_a.reader import LISTS
from returns.models import ImportRun, Status
from returns.tests.test_annex_a_helpers import SAMPLE, import_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(client):
    user = UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL)
    client.force_login(user)
    return user


def test_upload_preview_and_commit_of_an_xlsx(client, analyst):
    with open(SAMPLE, "rb") as handle:
        response = client.post(reverse("returns_upload"), {"kind": "annex_a", "file": handle})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("returns_run", args=[run.pk])
    assert run.kind == "annex_a" and run.file_name == "Annex_A_2024_Jan.xlsx"
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "Ready to commit" in page and "annex_a.unknown-code" in page
    assert "59 list rows read" in page
    assert Child.objects.count() == 0
    client.post(reverse("returns_commit", args=[run.pk]))
    run.refresh_from_db()
    assert run.status == Status.COMMITTED and run.username == analyst.username
    assert Child.objects.count() == 48


def test_a_workbook_with_errors_cannot_be_committed_from_the_page(client, analyst, tmp_path):
    from returns.tests.test_annex_a_helpers import workbook

    path = workbook(tmp_path / "bad.xlsx", {1: [{"child_id": "A", "contact_date": "31/02/2023"}]})
    with open(path, "rb") as handle:
        client.post(reverse("returns_upload"), {"kind": "annex_a", "file": handle})
    run = ImportRun.objects.get()
    assert run.status == Status.REJECTED
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "annex_a.impossible-date" in page and "cannot be committed" in page
    assert client.post(reverse("returns_commit", args=[run.pk])).status_code == 302
    run.refresh_from_db()
    assert run.status == Status.REJECTED and not Contact.objects.exists()


def test_export_page_downloads_the_workbook_for_a_period(client, analyst):
    import_workbook(SAMPLE)
    page = client.get(reverse("returns_export")).content.decode()
    assert "Download Annex A" in page
    response = client.get(reverse("returns_export"), {"kind": "annex_a", "start": "2020-09-01", "end": "2020-09-30"})
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('Annex_A_20200901_20200930.xlsx"')
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book.sheetnames == [f"List {n}" for n in range(1, 12)]
    rows = list(book["List 1"].values)
    assert rows[0] == tuple(c.header for c in LISTS[1].columns)
    assert len(rows) == 6  # the five contacts, all on 16/09/2020
    assert rows[1][5] == dt.datetime(2020, 9, 16) and book["List 1"]["F2"].is_date  # a real Excel date
    assert rows[1][6] == "q) 6: Police" and rows[1][1] == "b) Female"
    assert AuditEvent.objects.filter(action=Action.EXPORT, detail__contains="Annex A 01/09/2020").exists()
    # A period with none of the contacts in it.
    response = client.get(reverse("returns_export"), {"kind": "annex_a", "start": "2021-09-01", "end": "2021-09-30"})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert book["List 1"].max_row == 1


def test_export_page_refuses_a_backwards_period(client, analyst):
    response = client.get(reverse("returns_export"), {"kind": "annex_a", "start": "2024-02-01", "end": "2024-01-01"})
    assert response.status_code == 200
    assert "The end of the period must be the same as or after its start" in response.content.decode()


def test_export_command(tmp_path, capsys):
    import_workbook(SAMPLE)
    out = tmp_path / "annex.xlsx"
    call_command("export_annex_a", str(out), "--inspection", "2021-03-16", "--months", "12")
    assert "16/03/2020 to 15/03/2021" in capsys.readouterr().out
    book = load_workbook(out)
    assert book["List 3"].max_row == 1 + 6  # the six referrals of 16/09/2020 (the List 6 ones began earlier)
    with pytest.raises(CommandError):
        call_command("export_annex_a", str(out), "--start", "2024-01-01")


def test_period_before_an_inspection():
    assert period_before(dt.date(2024, 1, 15), 12) == (dt.date(2023, 1, 15), dt.date(2024, 1, 14))
    assert period_before(dt.date(2024, 8, 31), 6) == (dt.date(2024, 2, 29), dt.date(2024, 8, 30))


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.DIRECTOR])
def test_only_analysts_may_export_annex_a(client, role):
    client.force_login(UserFactory(role=role, scope=Scope.COUNCIL))
    response = client.get(reverse("returns_export"), {"kind": "annex_a", "start": "2020-01-01", "end": "2020-12-31"})
    assert response.status_code == 403


def test_import_command_knows_an_xlsx_is_annex_a(capsys):
    call_command("import_return", str(SAMPLE), "--no-progress")
    out = capsys.readouterr().out
    assert "children: 48 new" in out and "WARNING annex_a.unknown-code: 2" in out and "nothing was written" in out
    assert Child.objects.count() == 0
    call_command("import_return", str(SAMPLE), "--commit", "--no-progress")
    assert Child.objects.count() == 48
    assert ImportRun.objects.filter(kind="annex_a", status=Status.COMMITTED).count() == 1
