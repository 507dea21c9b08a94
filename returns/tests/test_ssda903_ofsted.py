"""The SSDA903 rules on the placement's Ofsted URN (decision 0059): Ofsted's provider lists an
administrator installs (manage.py install_ofsted_providers), each rule's case
(returns/tests/ssda903_ofsted_cases.py), and the one note a run carries when none are installed."""

import datetime
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from returns import services
from returns.models import OfstedProvider, OfstedRegister
from returns.rules.check import check_return
from returns.ssda903.ofsted import Provider, Register, install, installed, providers, read
from returns.ssda903.postcodes import Directory
from returns.ssda903.postcodes import install as install_postcodes
from returns.ssda903.postcodes import installed as postcodes_installed
from returns.ssda903.validation import SSDA903_RULES, check_903
from returns.tests.helpers import cut_short, zip_with_part
from returns.tests.ssda903_ofsted_cases import LISTS, OFSTED_CASES, placed
from returns.tests.ssda903_postcode_cases import COUNCIL, DIRECTORY
from returns.tests.ssda903_rule_cases import child_id
from returns.tests.test_ssda903_rules import write_return

pytestmark = pytest.mark.django_db

OFSTED_RULES = sorted(code for code, rule in SSDA903_RULES.rules.items() if rule.needs_ofsted)


@pytest.fixture(scope="module")
def return_(tmp_path_factory):
    path = tmp_path_factory.mktemp("ofsted") / "cases.zip"
    write_return(path, OFSTED_CASES)
    return path


def test_every_ofsted_rule_has_a_case():
    assert sorted(OFSTED_CASES) == OFSTED_RULES


@pytest.mark.parametrize("year", [2026, 2027])
def test_each_rule_finds_the_child_that_breaks_it_and_not_the_one_that_does_not(return_, year):
    postcodes = Directory.from_file(DIRECTORY, COUNCIL)
    found, meta = check_903(return_, year=year, ofsted=Register.from_files(*LISTS), postcodes=postcodes)
    found = {(f.child, f.rule): f for f in found}
    assert sorted(meta["ofsted"]["checked"]) == OFSTED_RULES and not meta["ofsted"]["note"]
    for code in OFSTED_CASES:
        hit = found.get((child_id(code, True), code))
        assert hit is not None, f"{code} did not find {child_id(code, True)}"
        assert (child_id(code, False), code) not in found, f"{code} found {child_id(code, False)}"
        rule = SSDA903_RULES.rules[code]
        assert (hit.kind, hit.message, hit.fields) == (rule.kind, rule.message, list(rule.fields))


def test_241_is_checked_from_2025_26_and_221_and_229_in_every_year_in_their_versions(return_):
    postcodes = Directory.from_file(DIRECTORY, COUNCIL)
    _found, meta = check_903(return_, year=2025, ofsted=Register.from_files(*LISTS), postcodes=postcodes)
    assert "221" in meta["rules"] and "229" in meta["rules"] and "241" not in meta["rules"]
    _found, meta = check_903(return_, year=2023, ofsted=Register.from_files(*LISTS), postcodes=postcodes)
    assert "221" in meta["rules"] and "229" in meta["rules"] and "1008" in meta["rules"]


def test_229_and_241_need_the_postcode_directory_too_and_are_named_once(return_):
    _found, meta = check_903(return_, year=2026, ofsted=Register.from_files(*LISTS))
    assert "229" not in meta["rules"] and "1008" in meta["rules"]
    assert "229" in meta["postcodes"]["note"] and not meta["ofsted"]["note"]
    _found, meta = check_903(return_, year=2026)
    assert "241" in meta["ofsted"]["note"] and "241" not in meta["postcodes"]["note"]


def test_without_a_register_the_rules_are_not_checked_and_one_note_names_them(return_):
    found, meta = check_903(return_, year=2026)
    assert not [f for f in found if f.rule in OFSTED_RULES]
    assert not set(meta["rules"]) & set(OFSTED_RULES)
    note = meta["ofsted"]["note"]
    assert "1008" in note and "229" in note and "no Ofsted provider lists are installed" in note


def test_the_lists_are_read_from_ofsteds_layouts():
    homes, others = (list(read(path)) for path in LISTS)
    assert homes == [
        Provider("2000001", "K2", "PR3,PR4", None, "TW92BB"),
        Provider("2000002", "K2", "PR4", datetime.date(2025, 6, 30), "RG11AA"),
    ]
    assert [(p.urn, p.placement_codes, p.closed) for p in others] == [
        ("3000001", "R3", None),
        ("3000002", "K1", datetime.date(2024, 12, 31)),
    ]
    # the combined list's supported accommodation sheet gives no placement codes: K3, PR4
    header = ("URN", "Provider local authority", "Closed date", "Setting address postcode")
    rows = [header, (4000001, "x", None, "b1 1aa")]
    assert list(providers(rows)) == [Provider("4000001", "K3", "PR4", None, "B11AA")]
    assert list(providers([("CHILD", "DECOM"), ("1", "01/01/2025")])) == []


def test_a_file_that_is_not_ofsteds_list_is_refused(tmp_path):
    import openpyxl

    other = tmp_path / "other.xlsx"
    book = openpyxl.Workbook()
    book.active.append(["CHILD", "DECOM"])
    book.save(other)
    with pytest.raises(CommandError, match="no sheet of Ofsted's provider lists"):
        call_command("install_ofsted_providers", str(other))
    text = tmp_path / "list.xlsx"
    text.write_text("URN,Setting postcode\n")
    with pytest.raises(CommandError, match="not an Excel workbook"):
        call_command("install_ofsted_providers", str(text))
    assert not OfstedRegister.objects.exists() and installed() is None


def test_the_command_installs_the_lists_audited_and_replacing_the_last(django_user_model, return_):
    admin = django_user_model.objects.create_user("admin1", password="x")
    call_command("install_ofsted_providers", str(LISTS[1]), stdout=io.StringIO())
    out = io.StringIO()
    call_command("install_ofsted_providers", *map(str, LISTS), "--user", "admin1", stdout=out)
    assert "4 providers" in out.getvalue()
    register = OfstedRegister.objects.first()
    assert (register.providers, register.installed_by) == (4, admin)
    assert OfstedProvider.objects.count() == 4  # the first install's providers replaced
    event = AuditEvent.objects.filter(object_type="returns.OfstedRegister").order_by("-pk").first()
    assert event.username == "admin1" and "ofsted_childrens_homes.xlsx" in event.detail
    # the installed register gives the same findings as the files
    install_postcodes(DIRECTORY, COUNCIL)
    from_db, _ = check_903(return_, year=2026, ofsted=installed, postcodes=postcodes_installed)
    postcodes = Directory.from_file(DIRECTORY, COUNCIL)
    from_files, _ = check_903(return_, year=2026, ofsted=Register.from_files(*LISTS), postcodes=postcodes)
    assert {(f.child, f.rule) for f in from_db} == {(f.child, f.rule) for f in from_files} != set()


def test_the_preview_and_validate_return_use_the_installed_lists(tmp_path):
    write_return(tmp_path / "r.zip", {code: OFSTED_CASES[code] for code in ("1008", "227")})
    run = services.preview(services.create_run_from_path(tmp_path / "r.zip", "ssda903"))
    notice = run.problems.get(rule="dfe.ofsted")
    assert notice.severity == "warning" and not notice.child_id and "1008" in notice.message
    assert not run.problems.filter(rule="1008").exists()

    install(LISTS)
    run = services.preview(services.create_run_from_path(tmp_path / "r.zip", "ssda903"))
    assert not run.problems.filter(rule="dfe.ofsted").exists()
    expected = {("1008", "F1008"), ("227", "F227")}
    assert set(run.problems.filter(rule__in=["1008", "227"]).values_list("rule", "child_id")) == expected
    checked = check_return([tmp_path / "r.zip"], "ssda903", 2026)
    assert {(f.rule, f.child) for f in checked.findings if f.rule in ("1008", "227")} == expected
    assert not [n for n in checked.notes if "Ofsted provider lists" in n]


@pytest.fixture
def admin(client):
    user = UserFactory(username="admin", role=Role.ADMINISTRATOR, scope=Scope.COUNCIL)
    client.force_login(user)
    return user


def test_an_administrator_installs_the_lists_on_the_returns_pages(client, admin):
    page = client.get(reverse("returns_ofsted_providers")).content.decode()
    assert "None: the SSDA903 URN rules are skipped." in page
    files = [SimpleUploadedFile(path.name, path.read_bytes()) for path in LISTS]
    response = client.post(reverse("returns_ofsted_providers"), {"file": files})
    assert response.status_code == 302
    register = OfstedRegister.objects.get()
    assert (register.providers, register.installed_by) == (4, admin)
    assert register.file_names == "ofsted_childrens_homes.xlsx, ofsted_social_care_providers.xlsx"
    event = AuditEvent.objects.get(object_type="returns.OfstedRegister")
    assert event.action == Action.CREATE and event.user == admin
    page = client.get(reverse("returns_ofsted_providers")).content.decode()
    assert "ofsted_social_care_providers.xlsx" in page and "None: the SSDA903 URN rules" not in page


def test_the_page_refuses_a_file_that_is_not_ofsteds_list(client, admin):
    bad = SimpleUploadedFile("episodes.xlsx", b"CHILD,DECOM\n")
    page = client.post(reverse("returns_ofsted_providers"), {"file": [bad]}).content.decode()
    assert "not an Excel workbook" in page and not OfstedRegister.objects.exists()


def test_a_damaged_list_is_refused_on_the_page_and_nothing_is_installed(client, admin):
    # A sheet cut short raised openpyxl's ParseError out of the page (found by mutating workbooks, 7 Dec 2026).
    upload = SimpleUploadedFile(LISTS[0].name, zip_with_part(LISTS[0], cut_short))
    page = client.post(reverse("returns_ofsted_providers"), {"file": [upload]}).content.decode()
    assert "is damaged and could not be read (ParseError); nothing was installed" in page
    assert not OfstedRegister.objects.exists() and not OfstedProvider.objects.exists()


def test_only_administrators_install_the_lists(client):
    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    assert client.get(reverse("returns_ofsted_providers")).status_code == 403


# 221 and 229 changed meaning between collection years: one version each (decision 0064). Each case: the
# rule, the collections (ending 31 March) whose version finds its failing child, the failing child, and
# a passing child that no version finds.
PROVIDER_ELSEWHERE = {"URN": "3000001", "PLACE_PROVIDER": "PR1", "PL_POST": "SW1A 1AA"}  # own provision, Westminster
VERSION_CASES = {
    "221K2": ("221", {2023, 2024, 2025, 2026, 2027}, placed(PL_POST="TW9 1AA"), placed(PL_POST="TW9 2BB")),
    "221H5": ("221", {2024}, placed(PLACE="H5", PL_POST="TW9 1AA"), placed(PLACE="H5")),  # 2023-24 only
    "221K3": ("221", {2025, 2026, 2027}, placed(PLACE="K3", PL_POST="TW9 1AA"), placed(PLACE="K3")),
    # R1 (with parents): read until 2024-25, left out from 2025-26
    "229R1": ("229", {2023, 2024, 2025}, placed(PLACE="R1", **PROVIDER_ELSEWHERE), placed(PLACE="R1")),
    "229R3": ("229", {2023, 2024, 2025, 2026, 2027}, placed(PLACE="R3", **PROVIDER_ELSEWHERE), placed(PLACE="R3")),
}


@pytest.fixture(scope="module")
def versions_return(tmp_path_factory):
    path = tmp_path_factory.mktemp("ofsted_versions") / "cases.zip"
    write_return(path, {label: (failing, passing) for label, (_c, _y, failing, passing) in VERSION_CASES.items()})
    return path


def test_221_and_229_have_one_version_per_meaning_each_defined_once():
    assert [r.years for r in SSDA903_RULES.versions["221"]] == [(2023,), (2024,), (2025, 2026, 2027)]
    assert [r.years for r in SSDA903_RULES.versions["229"]] == [(2023, 2024, 2025), (2026, 2027)]
    assert SSDA903_RULES.rules["221"] is SSDA903_RULES.version("221", 2027)  # the listing shows the latest
    with pytest.raises(ValueError, match="defined twice"):
        SSDA903_RULES.add(SSDA903_RULES.version("221", 2024))


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026, 2027])
def test_each_version_of_221_and_229_finds_its_years_failing_child_only(versions_return, year):
    postcodes = Directory.from_file(DIRECTORY, COUNCIL)
    found, meta = check_903(versions_return, year=year, ofsted=Register.from_files(*LISTS), postcodes=postcodes)
    pairs = {(f.child, f.rule) for f in found}
    assert "221" in meta["rules"] and "229" in meta["rules"]
    for label, (code, years, _failing, _passing) in VERSION_CASES.items():
        assert ((f"F{label}", code) in pairs) == (year in years), f"{label} in {year}"
        assert (f"P{label}", code) not in pairs, f"{label} passing child found in {year}"
