import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from children.models import Child
from returns.models import ImportRun, Status
from returns.tests.conftest import DATA

pytestmark = pytest.mark.django_db


def test_command_previews_then_commits(capsys):
    call_command("import_return", str(DATA / "cin_full_2025.xml"), "--no-progress")
    out = capsys.readouterr().out
    assert "3 children read" in out and "children: 3 new" in out and "nothing was written" in out
    assert Child.objects.count() == 0
    call_command("import_return", str(DATA / "cin_full_2025.xml"), "--commit", "--no-progress")
    assert Child.objects.count() == 3
    assert ImportRun.objects.filter(status=Status.COMMITTED).count() == 1


def test_command_refuses_a_file_with_errors(capsys):
    with pytest.raises(CommandError, match="errors"):
        call_command("import_return", str(DATA / "CIN_Census_2024.xml"), "--commit", "--no-progress")
    out = capsys.readouterr().out
    assert "WARNING cin.sex-code: 2" in out and "<Sex>1</Sex>" in out
    assert Child.objects.count() == 0


def test_command_says_which_kinds_are_not_available():
    with pytest.raises(CommandError, match="not available"):
        call_command("import_return", str(DATA / "cin_full_2025.xml"), "--kind", "pdf")


@pytest.fixture
def analyst(client):
    user = UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL)
    client.force_login(user)
    return user


def test_upload_preview_problems_commit_and_list(client, analyst):
    with open(DATA / "cin_full_2025.xml", "rb") as handle:
        response = client.post(reverse("returns_upload"), {"kind": "cin", "file": handle})
    run = ImportRun.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("returns_run", args=[run.pk])
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "Ready to commit" in page and "Commit to the register" in page and 'http-equiv="refresh"' not in page
    assert Child.objects.count() == 0
    response = client.post(reverse("returns_commit", args=[run.pk]))
    assert response.status_code == 302
    run.refresh_from_db()
    assert run.status == Status.COMMITTED and run.username == analyst.username
    assert Child.objects.count() == 3
    listing = client.get(reverse("returns_runs")).content.decode()
    assert "cin_full_2025.xml" in listing and analyst.username in listing and run.sha256[:12] in listing


def test_problem_report_downloads_as_excel(client, analyst):
    with open(DATA / "CIN_Census_2024.xml", "rb") as handle:
        client.post(reverse("returns_upload"), {"kind": "cin", "file": handle})
    run = ImportRun.objects.get()
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert "Has errors" in page and "cannot be committed" in page and "cin.sex-code" in page
    response = client.get(reverse("returns_problems_xlsx", args=[run.pk]))
    assert response.status_code == 200
    import io

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.values)
    assert rows[0] == ("Severity", "Rule", "File", "Child ID", "Where", "Field", "Problem", "Child held back")
    assert any(r[3] == "DfEX0000001" and r[5] == "Sex" for r in rows[1:])
    assert AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_a_busy_run_page_refreshes_and_shows_progress(client, analyst):
    run = ImportRun.objects.create(
        kind="cin", file_name="x.xml", size=1000, processed=250, records=12, status=Status.CHECKING
    )
    page = client.get(reverse("returns_run", args=[run.pk])).content.decode()
    assert 'id="run-progress" data-los-refresh="2"' in page and 'http-equiv="refresh"' not in page
    assert '<progress id="progress" max="100" value="25">' in page and "12 children read" in page


def test_export_download(client, analyst):
    call_command("import_return", str(DATA / "cin_full_2025.xml"), "--commit", "--no-progress")
    response = client.get(reverse("returns_export"), {"year": 2025})
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body.count(b"<Child>") == 3
    assert AuditEvent.objects.filter(action=Action.EXPORT, detail__contains="3 children").exists()


def test_export_page_warns_of_children_held_by_made_up_referrals(client, analyst):
    from children.tests.factories import ReferralFactory

    assert 'id="held-referrals"' not in client.get(reverse("returns_export")).content.decode()
    held = ReferralFactory(placeholder=True)
    ReferralFactory(child=held.child, placeholder=True)
    page = client.get(reverse("returns_export")).content.decode()
    assert 'id="held-referrals"' in page and "1 child has an assessment" in page


@pytest.mark.parametrize("role", [Role.SOCIAL_WORKER, Role.TEAM_MANAGER, Role.DIRECTOR])
def test_only_analysts_and_administrators_may_import(client, role):
    client.force_login(UserFactory(role=role, scope=Scope.COUNCIL))
    for name in ("returns_runs", "returns_upload", "returns_export"):
        assert client.get(reverse(name)).status_code == 403
    with open(DATA / "cin_full_2025.xml", "rb") as handle:
        assert client.post(reverse("returns_upload"), {"kind": "cin", "file": handle}).status_code == 403
    assert not ImportRun.objects.exists()


def test_a_restricted_record_is_still_in_the_statutory_return_and_its_export_is_recorded(client, analyst):
    """A return must be complete (decision 0027): the restriction hides the child's pages, not its place in
    the CIN census; the export records the restricted child among the children it holds."""
    from audit.models import ShownChild
    from children.models import Child, RecordRestriction

    call_command("import_return", str(DATA / "cin_full_2025.xml"), "--commit", "--no-progress")
    restricted = Child.objects.order_by("pk").first()
    RecordRestriction.objects.create(child=restricted, reason="Child of a member of staff")

    response = client.get(reverse("returns_export"), {"year": 2025})
    assert b"".join(response.streaming_content).count(b"<Child>") == 3
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert ShownChild.objects.filter(event=event, child=restricted).exists()
    assert client.get(reverse("child_detail", args=[restricted.pk])).status_code == 404  # the page stays closed
