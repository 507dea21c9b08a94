"""Subject access (issue 16 point 5): everything held about one child, readable and machine-readable,
for the information governance role only, audited."""

import io
import json
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from audit.services import record_view
from audits.tests.factories import CaseAuditFactory
from children.tests.factories import ChildFactory, ReferralFactory
from exploitation.tests.factories import CohortEntryFactory
from governance.selectors import paths_to_child
from partnership.tests.factories import AllegationFactory
from plans.models import Evidence
from plans.tests.factories import ActionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client):
    user = UserFactory(username="ig", role=Role.INFO_GOVERNANCE, scope=Scope.NONE)
    client.force_login(user)
    return user


@pytest.fixture
def child():
    child = ChildFactory(first_name="Subjectfirst", last_name="=SUBJECT", la_child_id="SAR001")
    ReferralFactory(child=child)
    CohortEntryFactory(child=child)
    CaseAuditFactory(child=child)
    AllegationFactory(child=child)
    Evidence.objects.create(action=ActionFactory(), kind=Evidence.Kind.DOCUMENT, title="Review of SAR001's plan")
    record_view(None, child, detail="looked at by a worker")  # an earlier view the file must list
    other = ChildFactory(first_name="Otherfirst", last_name="OTHERNAME", la_child_id="OTHER01")
    ReferralFactory(child=other)
    Evidence.objects.create(action=ActionFactory(), kind=Evidence.Kind.DOCUMENT, title="About OTHER01")
    return child


def unpack(response) -> tuple[dict, dict]:
    archive = zipfile.ZipFile(
        io.BytesIO(b"".join(response.streaming_content if response.streaming else [response.content]))
    )
    names = sorted(archive.namelist())
    book = load_workbook(io.BytesIO(archive.read(names[1])))
    sheets = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in book.worksheets}
    return sheets, json.loads(archive.read(names[0]))


def test_the_officer_finds_the_child_and_sees_what_is_held(client, officer, child):
    page = client.get(reverse("subject_access"), {"child": "SAR001"}).content.decode()
    for title in ("The child&#x27;s record", "referrals", "cohort", "case audits", "allegations", "naming the child"):
        assert title in page
    assert "OTHERNAME" not in page
    assert AuditEvent.objects.filter(action=Action.VIEW, username="ig", child=child).exists()


def test_the_download_holds_everything_about_the_child_and_nothing_about_another(client, officer, child):
    response = client.get(reverse("subject_access_download", args=[child.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    sheets, data = unpack(response)

    titles = [s["title"] for s in data["sections"]]
    assert titles[0] == "The child's record" and titles[-1] == "Who viewed or exported the record"
    assert any("referrals" in t for t in titles) and any("allegations" in t for t in titles)
    assert any("cohort" in t for t in titles) and any("case audits" in t for t in titles)
    [named] = [s for s in data["sections"] if "naming the child" in s["title"]]
    assert [r["title"] for r in named["records"]] == ["Review of SAR001's plan"]
    viewed = data["sections"][-1]["records"]
    assert any(r["Detail"] == "looked at by a worker" for r in viewed)
    text = json.dumps(data)
    assert "OTHERNAME" not in text and "OTHER01" not in text

    assert sheets["Contents"][0][0] == "Everything Line of Sight holds about child SAR001"
    record_sheet = next(rows for name, rows in sheets.items() if name.startswith("1 "))
    assert "=SUBJECT" in record_sheet[1]  # the name that looks like a formula is kept as text
    export = AuditEvent.objects.get(action=Action.EXPORT, username="ig")
    assert export.child_id == child.pk


@pytest.mark.parametrize(
    "role,scope",
    [(Role.DIRECTOR, Scope.COUNCIL), (Role.ADMINISTRATOR, Scope.COUNCIL), (Role.TEAM_MANAGER, Scope.COUNCIL)],
)
def test_no_other_role_may_look_or_download(client, child, role, scope):
    client.force_login(UserFactory(username="someone", role=role, scope=scope, is_staff=role == Role.ADMINISTRATOR))
    assert client.get(reverse("subject_access"), {"child": "SAR001"}).status_code == 403
    assert client.get(reverse("subject_access_download", args=[child.pk])).status_code == 403
    assert AuditEvent.objects.filter(action=Action.FORBIDDEN, username="someone").count() == 2
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_rows_linked_through_another_row_are_found():
    from children.models import Assessment, CareProceedingsExtension

    assert paths_to_child(Assessment)[0] == "referral__child"
    assert paths_to_child(CareProceedingsExtension) == ["proceedings__child"]


def test_a_partner_agencys_user_given_the_role_by_mistake_is_refused(client, child):
    from organisation.tests.factories import PartnerAgencyFactory

    partner = UserFactory(username="police-ig", role=Role.INFO_GOVERNANCE, scope=Scope.COUNCIL)
    partner.agency = PartnerAgencyFactory()
    partner.save()
    client.force_login(partner)
    assert client.get(reverse("subject_access_download", args=[child.pk])).status_code == 403
