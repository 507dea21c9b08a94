"""The SSDA903 rules on the placement's local authority, location and distance (decision 0057): the
ONS Postcode Directory an administrator installs (manage.py install_postcodes), each rule's case
(returns/tests/ssda903_postcode_cases.py), and the one note a run carries when no directory is
installed."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from audit.models import Action, AuditEvent
from returns import services
from returns.models import Postcode, PostcodeDirectory
from returns.rules.check import check_return
from returns.ssda903.postcodes import Directory, DirectoryError, install, pending, read
from returns.ssda903.validation import SSDA903_RULES, check_903
from returns.tests.ssda903_postcode_cases import COUNCIL, DIRECTORY, POSTCODE_CASES
from returns.tests.ssda903_rule_cases import child_id, previous_tables
from returns.tests.test_ssda903_rules import write_return

pytestmark = pytest.mark.django_db

# 229 and 241 need Ofsted's provider lists too: test_ssda903_ofsted.py
POSTCODE_RULES = sorted(c for c, rule in SSDA903_RULES.rules.items() if rule.needs_postcodes and not rule.needs_ofsted)


def write_previous(path, cases):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in previous_tables(cases).items():
            archive.writestr(name, text)
    return path


@pytest.fixture(scope="module")
def returns_(tmp_path_factory):
    folder = tmp_path_factory.mktemp("postcodes")
    write_return(folder / "cases.zip", POSTCODE_CASES)
    return folder / "cases.zip", write_previous(folder / "last.zip", POSTCODE_CASES)


def found_in(returns_, year):
    this, last = returns_
    found, meta = check_903(this, year=year, previous=last, postcodes=Directory.from_file(DIRECTORY, COUNCIL))
    return {(f.child, f.rule): f for f in found}, meta


def test_every_postcode_rule_has_a_case():
    assert sorted(POSTCODE_CASES) == POSTCODE_RULES


@pytest.mark.parametrize("year", [2026, 2027])
def test_each_rule_finds_the_child_that_breaks_it_and_not_the_one_that_does_not(returns_, year):
    found, meta = found_in(returns_, year)
    assert sorted(meta["postcodes"]["checked"]) == POSTCODE_RULES
    assert meta["postcodes"]["council"] == COUNCIL and not meta["postcodes"]["note"]
    for code in POSTCODE_CASES:
        hit = found.get((child_id(code, True), code))
        assert hit is not None, f"{code} did not find {child_id(code, True)}"
        assert (child_id(code, False), code) not in found, f"{code} found {child_id(code, False)}"
        rule = SSDA903_RULES.rules[code]
        assert (hit.kind, hit.message, hit.fields) == (rule.kind, rule.message, list(rule.fields))


def test_454_and_243_are_2025_26_rules(returns_):
    found, meta = found_in(returns_, 2025)
    assert "454" not in meta["rules"] and "243" not in meta["rules"] and "392c" in meta["rules"]


def test_without_a_directory_the_rules_are_not_checked_and_one_note_names_them(returns_):
    this, last = returns_
    found, meta = check_903(this, year=2026, previous=last)
    assert not [f for f in found if f.rule in POSTCODE_RULES]
    assert not set(meta["rules"]) & set(POSTCODE_RULES)
    note = meta["postcodes"]["note"]
    assert "392c" in note and "503G" in note and "no ONS Postcode Directory is installed" in note
    assert "503G" not in meta["previous"]["note"]  # said once, in the postcodes' note


def test_without_last_years_return_only_the_rules_comparing_with_it_are_left_out(returns_):
    this, _last = returns_
    found, meta = check_903(this, year=2026, postcodes=Directory.from_file(DIRECTORY, COUNCIL))
    assert ("F392c", "392c") in {(f.child, f.rule) for f in found}
    assert "503G" not in meta["rules"] and "503G" in meta["previous"]["note"]


def test_the_directory_is_read_from_either_column_layout(tmp_path):
    new = {e.postcode: e for e in read(DIRECTORY)}
    assert new["CB21TN"].district == "E07000008" and new["CB21TN"].county == "E10000003"
    assert (new["SW1A1AA"].easting, new["SW1A1AA"].northing) == (529090, 179645)
    assert new["GY11AA"].easting is None
    old = tmp_path / "ONSPD_NOV_2024_UK.csv"
    old.write_text(
        "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,oseast1m,osnrth1m,lat,long\n"
        '"CB2 1TN","CB2  1TN","CB2 1TN","198001","","E10000003","","E07000008","","0545000","0258000",52.2,0.1\n'
    )
    assert list(read(old)) == [new["CB21TN"]]
    bad = tmp_path / "other.csv"
    bad.write_text("CHILD,DECOM\n1,01/01/2025\n")
    with pytest.raises(DirectoryError, match="no column for postcode, district, easting, northing"):
        list(read(bad))


def test_a_line_cut_short_is_skipped_and_a_grid_reference_that_is_no_number_is_blank(tmp_path):
    # Found by mutating the directory (7 Dec 2026): a line cut before the district raised IndexError, "inf" in a
    # grid reference OverflowError, and a 20-digit one would not fit the INTEGER column the rules read.
    damaged = tmp_path / "ONSPD_damaged.csv"
    damaged.write_text(
        "pcd,pcd2,pcds,dointr,doterm,oscty,ced,oslaua,osward,oseast1m,osnrth1m,lat,long\n"
        '"CB2 1TN","CB2  1TN","CB2 1TN","198001","","E10000003","","E07000008","","inf","99999999999999999999"\n'
        '"SW1A 1AA","SW1A 1AA","SW1A 1AA","198001","","E99999999"\n'
        "\n"
        '"TW9 2BB","TW9  2BB","TW9 2BB","198001","","E99999999","","E09000027","","0518500","0176500",51.4,-0.3\n'
    )
    entries = list(read(damaged))
    assert [(e.postcode, e.district, e.easting, e.northing) for e in entries] == [
        ("CB21TN", "E07000008", None, None),
        ("TW92BB", "E09000027", 518500, 176500),
    ]


def test_the_command_installs_the_directory_from_a_zip_audited_and_replacing_the_last(tmp_path, django_user_model):
    admin = django_user_model.objects.create_user("admin1", password="x")
    packed = tmp_path / "ONSPD_FEB_2026.zip"
    with zipfile.ZipFile(packed, "w") as archive:
        archive.writestr("Documents/readme.csv", "a,b\n1,2\n")
        archive.write(DIRECTORY, "Data/ONSPD_FEB_2026_UK.csv")
    out = io.StringIO()
    call_command("install_postcodes", str(packed), "--council", "e09000027", "--user", "admin1", stdout=out)
    assert "10 postcodes, council E09000027" in out.getvalue()
    directory = PostcodeDirectory.objects.get()
    assert (directory.file_name, directory.postcodes, directory.installed_by) == (packed.name, 10, admin)
    event = AuditEvent.objects.get(object_type="returns.PostcodeDirectory")
    assert event.username == "admin1" and "ONSPD_FEB_2026.zip" in event.detail
    # a second install replaces the postcodes
    smaller = tmp_path / "small.csv"
    smaller.write_text("".join(DIRECTORY.read_text().splitlines(keepends=True)[:3]))
    install(smaller, COUNCIL)
    assert Postcode.objects.count() == 2 and PostcodeDirectory.objects.first().file_name == "small.csv"


def test_the_command_refuses_a_file_that_is_not_the_directory_and_a_bad_council(tmp_path):
    bad = tmp_path / "episodes.csv"
    bad.write_text("CHILD,DECOM\n1,01/01/2025\n")
    with pytest.raises(CommandError, match="not an ONS Postcode Directory"):
        call_command("install_postcodes", str(bad), "--council", COUNCIL)
    with pytest.raises(CommandError, match="not a local authority code"):
        call_command("install_postcodes", str(DIRECTORY), "--council", "Richmond")
    assert not PostcodeDirectory.objects.exists() and not Postcode.objects.exists()


def test_the_preview_and_validate_return_use_the_installed_directory(tmp_path):
    cases = {code: POSTCODE_CASES[code] for code in ("392c", "169")}
    write_return(tmp_path / "r.zip", cases)
    run = services.preview(services.create_run_from_path(tmp_path / "r.zip", "ssda903"))
    notice = run.problems.get(rule="dfe.postcodes")
    assert notice.severity == "warning" and not notice.child_id and "392c" in notice.message
    assert not run.problems.filter(rule="392c").exists()

    install(DIRECTORY, COUNCIL)
    run = services.preview(services.create_run_from_path(tmp_path / "r.zip", "ssda903"))
    assert not run.problems.filter(rule="dfe.postcodes").exists()
    # a postcode that is not in the directory has no local authority either
    expected = {("392c", "F392c"), ("169", "F169"), ("169", "F392c")}
    assert set(run.problems.filter(rule__in=["392c", "169"]).values_list("rule", "child_id")) == expected
    checked = check_return([tmp_path / "r.zip"], "ssda903", 2026)
    assert {(f.rule, f.child) for f in checked.findings if f.rule in ("392c", "169")} == expected
    assert not [n for n in checked.notes if "Postcode Directory" in n]


@pytest.fixture
def admin(client):
    user = UserFactory(username="admin", role=Role.ADMINISTRATOR, scope=Scope.COUNCIL)
    client.force_login(user)
    return user


def test_an_administrator_installs_the_directory_on_the_returns_pages(client, admin):
    page = client.get(reverse("returns_postcodes")).content.decode()
    assert "None: the SSDA903 postcode rules are skipped." in page
    response = client.post(
        reverse("returns_postcodes"),
        {"file": SimpleUploadedFile("ONSPD_subset.csv", DIRECTORY.read_bytes()), "council": "e09000027"},
    )
    assert response.status_code == 302
    directory = PostcodeDirectory.objects.get()
    assert (directory.file_name, directory.postcodes, directory.council, directory.installed_by) == (
        "ONSPD_subset.csv",
        10,
        COUNCIL,
        admin,
    )
    event = AuditEvent.objects.get(object_type="returns.PostcodeDirectory")
    assert event.action == Action.CREATE and event.user == admin
    page = client.get(reverse("returns_postcodes")).content.decode()
    assert "ONSPD_subset.csv" in page and 'value="E09000027"' in page
    assert 'id="pending"' not in page and not pending()  # the worker (here at once) has removed the upload


def test_the_page_refuses_a_file_that_is_not_the_directory_and_a_bad_council(client, admin):
    bad = SimpleUploadedFile("episodes.csv", b"CHILD,DECOM\n1,01/01/2025\n")
    page = client.post(reverse("returns_postcodes"), {"file": bad, "council": COUNCIL}).content.decode()
    assert "not an ONS Postcode Directory" in page
    good = SimpleUploadedFile("ONSPD.csv", DIRECTORY.read_bytes())
    page = client.post(reverse("returns_postcodes"), {"file": good, "council": "Richmond"}).content.decode()
    assert "is not a local authority code" in page
    assert not PostcodeDirectory.objects.exists() and not pending()


def test_only_administrators_install_the_directory(client):
    client.force_login(UserFactory(role=Role.ANALYST, scope=Scope.COUNCIL))
    assert client.get(reverse("returns_postcodes")).status_code == 403
