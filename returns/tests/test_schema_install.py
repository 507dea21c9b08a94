"""Installing a DfE CIN census schema from the returns pages (issue 13 point 6, decision 0039): checked to
be a CIN census schema, stored whole, versioned, audited, and then used for that year's files."""

import pytest
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from returns.cin import schemas as cin_schemas
from returns.cin.reader import CinReader, full_schema
from returns.models import InstalledSchema
from returns.problems import ProblemLog
from returns.tests.conftest import DATA

pytestmark = pytest.mark.django_db
SAMPLE_2027 = DATA / "cin_2027.xml"
BUNDLED_2026 = cin_schemas.SCHEMA_DIR / "CIN_schema_2026.xsd"


def dfe_2027(outcomes=("A", "B", "C")) -> bytes:
    """A stand-in for the DfE's 2026-27 schema: the 2025-26 one with the block, its outcome codes as given."""
    text = cin_schemas.extend(BUNDLED_2026.read_bytes()).decode()
    codes = "".join(f'<xs:enumeration value="{c}"/>' for c in outcomes)
    start = text.index('<xs:simpleType name="los_ppoutcometype">')
    end = text.index("</xs:simpleType>", start)
    body = f'<xs:simpleType name="los_ppoutcometype"><xs:restriction base="xs:string">{codes}</xs:restriction>'
    return (text[:start] + body + text[end:]).encode()


@pytest.fixture
def admin(client):
    user = UserFactory(username="admin", role=Role.ADMINISTRATOR, scope=Scope.COUNCIL)
    client.force_login(user)
    return user


def upload(client, year, name, content):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("returns_schemas"), {"year": year, "file": SimpleUploadedFile(name, content)})


def read(path=SAMPLE_2027):
    log = ProblemLog(path.name)
    reader = CinReader(path, log)
    children = list(reader)
    return reader, children, log


def test_an_administrator_installs_a_schema_and_that_years_files_are_checked_against_it(client, admin):
    response = upload(client, 2027, "CIN_schema_2027.xsd", dfe_2027())
    assert response.status_code == 302
    schema = InstalledSchema.objects.get()
    assert (schema.collection_year, schema.version, schema.active, schema.uploaded_by) == (2027, 1, True, admin)
    assert bytes(schema.content) == dfe_2027() and len(schema.sha256) == 64
    event = AuditEvent.objects.get(object_type="returns.InstalledSchema")
    assert event.action == Action.CREATE and event.user == admin and "2026-27, version 1" in event.detail
    # the 2026-27 file is now checked against the DfE's schema: no provisional warning
    reader, children, log = read()
    assert len(children) == 3 and log.warnings == 0 and log.errors == 0
    assert reader.header["checked_against"].startswith("the DfE schema for 2026-27 installed by admin")
    page = client.get(reverse("returns_schemas")).content.decode()
    assert "CIN_schema_2027.xsd" in page and "Provisional" not in page


def test_a_new_upload_for_the_year_is_a_new_version_and_the_one_used(client, admin):
    upload(client, 2027, "first.xsd", dfe_2027())
    upload(client, 2027, "second.xsd", dfe_2027(outcomes=("X",)))  # a stricter code list
    first, second = InstalledSchema.objects.order_by("version")
    assert (first.version, first.active, second.version, second.active) == (1, False, 2, True)
    _reader, children, log = read()
    # the two children whose blocks give A and B now fail; the third has no block
    assert [c.la_child_id for c in children] == ["LOS27003"]
    assert {p.child_id for p in log.items if p.severity == "error"} == {"LOS27001", "LOS27002"}
    assert "replacing version 1" in AuditEvent.objects.filter(object_type="returns.InstalledSchema").first().detail


def test_installing_the_same_file_again_changes_nothing(client, admin):
    upload(client, 2027, "a.xsd", dfe_2027())
    response = upload(client, 2027, "a-again.xsd", dfe_2027())
    assert response.status_code == 200 and "already installed for 2026-27 (version 1)" in response.content.decode()
    assert InstalledSchema.objects.count() == 1


def test_a_schema_for_an_earlier_year_replaces_the_bundled_one_and_the_extension_builds_on_it(client, admin):
    strict = BUNDLED_2026.read_text().replace('<xs:enumeration value="WBRI">', '<xs:enumeration value="WBRX">')
    upload(client, 2026, "CIN_schema_2026_v2.xsd", strict.encode())
    assert "installed by admin" in cin_schemas.source_for(2026).description
    provisional = cin_schemas.source_for(2027)
    assert not provisional.dfe and "installed by admin" in provisional.base
    _reader, children, log = read()  # the first child is WBRI: refused by the installed 2025-26 code list
    assert "LOS27001" not in [c.la_child_id for c in children]
    assert any(p.rule == "cin.schema-provisional" for p in log.items)


REFUSED = {
    "not XML": (b"just text", "not well-formed XML"),
    "a census file, not a schema": (SAMPLE_2027.read_bytes(), "not an XML Schema"),
    "a schema that does not compile": (
        b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Message" type="nosuchtype"/>'
        b"</xs:schema>",
        "not a valid XML Schema",
    ),
    "another collection's schema": (
        b'<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Message"><xs:complexType>'
        b'<xs:sequence><xs:element name="Header" type="xs:string"/><xs:element name="Pupils" type="xs:string"/>'
        b"</xs:sequence></xs:complexType></xs:element></xs:schema>",
        "It is not a CIN census schema: it does not declare <Children> in <Message>, <Child> in <Children>",
    ),
    "a namespaced schema": (
        BUNDLED_2026.read_bytes().replace(b"<xs:schema ", b'<xs:schema targetNamespace="urn:x" ', 1),
        "target namespace",
    ),
    "a schema that includes another": (
        BUNDLED_2026.read_bytes().replace(
            b'<xs:element name="Message"', b'<xs:include schemaLocation="x.xsd"/><xs:element name="Message"', 1
        ),
        "<xs:include>",
    ),
    "an entity declaration": (
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><x/>',
        "DOCTYPE",
    ),
    "a collection code other than CIN": (
        BUNDLED_2026.read_bytes().replace(b'<xs:enumeration value="CIN"/>', b'<xs:enumeration value="SC"/>', 1),
        "another collection (SC)",
    ),
}


@pytest.mark.parametrize("case", REFUSED)
def test_a_file_that_is_not_a_cin_census_schema_is_refused(client, admin, case):
    content, why = REFUSED[case]
    response = upload(client, 2027, "upload.xsd", content)
    assert response.status_code == 200
    assert why in response.content.decode().replace("&lt;", "<").replace("&gt;", ">").replace("&#x27;", "'")
    assert not InstalledSchema.objects.exists()
    assert not AuditEvent.objects.filter(object_type="returns.InstalledSchema").exists()


def test_every_bundled_dfe_schema_would_be_accepted():
    for year in cin_schemas.BUNDLED_YEARS:
        assert cin_schemas.problems_with((cin_schemas.SCHEMA_DIR / f"CIN_schema_{year}.xsd").read_bytes()) == []
    assert cin_schemas.problems_with(cin_schemas.extend(BUNDLED_2026.read_bytes())) == []


def test_a_file_too_big_is_refused_before_it_is_read():
    assert "at most" in cin_schemas.problems_with(b" " * (cin_schemas.MOST_BYTES + 1))[0]


@pytest.mark.parametrize("role", [Role.ANALYST, Role.SOCIAL_WORKER, Role.DIRECTOR])
def test_only_administrators_may_install_schemas(client, role):
    client.force_login(UserFactory(role=role, scope=Scope.COUNCIL))
    assert client.get(reverse("returns_schemas")).status_code == 403
    assert upload(client, 2027, "a.xsd", dfe_2027()).status_code == 403
    assert not InstalledSchema.objects.exists()
    assert "CIN census schemas" not in client.get(reverse("returns_runs")).content.decode()


def test_the_page_says_which_years_are_provisional(client, admin):
    page = client.get(reverse("returns_schemas")).content.decode()
    assert "Provisional" in page and "not the DfE&#x27;s 2026-27 schema" in page
    assert "CIN_schema_2022.xsd, bundled" in page
    assert "CIN census schemas" in client.get(reverse("returns_runs")).content.decode()


def test_without_any_schema_a_year_cannot_be_read(monkeypatch):
    monkeypatch.setattr(cin_schemas, "BUNDLED_YEARS", ())
    assert cin_schemas.source_for(2027) is None and cin_schemas.source_for(2025) is None
    with pytest.raises(LookupError):
        full_schema(2025)


def _open(name: str, many: bool = False) -> str:
    """An element with an inline type that takes any content."""
    repeat = ' maxOccurs="unbounded"' if many else ""
    return (
        f'<xs:element name="{name}"{repeat}><xs:complexType><xs:sequence>'
        '<xs:any processContents="skip" minOccurs="0" maxOccurs="unbounded"/></xs:sequence></xs:complexType>'
        "</xs:element>"
    )


INLINE = (
    '<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema"><xs:element name="Message"><xs:complexType>'
    f'<xs:sequence>{_open("Header")}<xs:element name="Children"><xs:complexType><xs:sequence>'
    '<xs:element name="Child" maxOccurs="unbounded"><xs:complexType><xs:sequence>'
    f"{_open('ChildIdentifiers')}{_open('ChildCharacteristics')}{_open('CINdetails', many=True)}"
    "</xs:sequence></xs:complexType></xs:element></xs:sequence></xs:complexType></xs:element>"
    "</xs:sequence></xs:complexType></xs:element></xs:schema>"
).encode()


def test_a_schema_declaring_its_types_inline_is_accepted_and_used_child_by_child():
    admin = UserFactory(username="admin", role=Role.ADMINISTRATOR, scope=Scope.COUNCIL)
    assert cin_schemas.problems_with(INLINE) == []
    cin_schemas.install(2027, "inline.xsd", INLINE, admin)
    reader, children, log = read()
    assert len(children) == 3 and log.errors == 0 and log.warnings == 0
    assert "inline.xsd" in reader.header["checked_against"]
    # refused through the service as through the page
    with pytest.raises(cin_schemas.SchemaRefused, match="already installed"):
        cin_schemas.install(2027, "again.xsd", INLINE, admin)


def test_the_dfe_rules_take_their_code_lists_from_the_installed_schema(tmp_path):
    """A code the installed schema adds passes both the schema and the DfE rules' code-list checks (8866)."""
    from returns.rules.check import check_return
    from returns.tests.helpers import import_file

    path = tmp_path / "new_code.xml"
    path.write_text(
        SAMPLE_2027.read_text().replace("<ReferralSource>1B</ReferralSource>", "<ReferralSource>9Z</ReferralSource>")
    )
    # before: the provisional schema (built on 2025-26's list) refuses it
    assert any(f.rule.startswith("schema") and f.child == "LOS27003" for f in check_return([path], "cin").findings)
    admin = UserFactory(username="admin", role=Role.ADMINISTRATOR, scope=Scope.COUNCIL)
    wider = dfe_2027().replace(
        b'<xs:simpleType name="referralsourcetype">', b'<xs:simpleType name="referralsourcetype">', 1
    )
    start = wider.index(b'<xs:simpleType name="referralsourcetype">')
    at = wider.index(b"<xs:enumeration", start)
    cin_schemas.install(2027, "CIN_schema_2027.xsd", wider[:at] + b'<xs:enumeration value="9Z"/>' + wider[at:], admin)
    checked = check_return([path], "cin")
    assert not [f for f in checked.findings if f.child == "LOS27003" and f.kind == "error"]
    assert not any("taken from" in note for note in checked.notes)  # the year's own schema: nothing to say
    run = import_file(str(path))
    mine = run.problems.filter(child_id="LOS27003")
    assert not mine.filter(severity="error").exists() and not mine.filter(rule="8866").exists()
    assert run.children_held_back == 0
