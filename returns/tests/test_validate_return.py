"""manage.py validate_return: findings as JSON/CSV/Excel, exit status, and nothing written;
and the DfE rules' findings in the CIN preview."""

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from openpyxl import load_workbook

from audit.models import AuditEvent
from children.models import Child, Referral
from returns import services
from returns.models import ImportRun, Problem, Status
from returns.tests.cin_rule_cases import C, census, child
from returns.tests.conftest import DATA

pytestmark = pytest.mark.django_db
KEYS = {"rule", "child", "kind", "fields", "location", "message"}


def run_command(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("validate_return", *map(str, args), stdout=out, stderr=err)
    return stop.value.code, out.getvalue(), err.getvalue()


def counts() -> tuple[int, ...]:
    return (
        ImportRun.objects.count(),
        Problem.objects.count(),
        Child.objects.count(),
        Referral.objects.count(),
        AuditEvent.objects.count(),
    )


@pytest.fixture
def clean_file(tmp_path):
    path = tmp_path / "clean.xml"
    path.write_text(census([child(la="A1", n=1, disabilities=("AUT", "BEH"))]))
    return path


@pytest.fixture
def broken_file(tmp_path):
    path = tmp_path / "broken.xml"
    # 8600: referral after the census year; 8500: no LAchildID; 8525Q (a query): both birth dates
    path.write_text(
        census(
            [
                child(la="B1", n=2, cins=(C(referral="2026-04-01", assessments=()),)),
                child(la=None, n=3),
                child(la="B3", n=4, expected="2026-05-01"),
            ]
        )
    )
    return path


def test_clean_file_exits_0_with_no_errors(clean_file):
    code, out, err = run_command(clean_file, "--kind", "cin", "--year", "2025-26")
    assert code == 0
    rows = json.loads(out)
    assert all(r["kind"] != "error" for r in rows)
    assert {r["rule"] for r in rows} <= {"2887Q"}  # fewer than 8 disability codes in a one-child return
    assert "109 DfE CIN census rules for 2025-26" in err


def test_errors_exit_1_and_json_has_one_object_per_finding(broken_file):
    before = counts()
    code, out, _err = run_command(broken_file, "--kind", "cin")
    assert code == 1
    rows = json.loads(out)
    assert all(set(r) == KEYS and isinstance(r["fields"], list) for r in rows)
    found = {(r["rule"], r["child"], r["kind"]) for r in rows}
    assert {("8600", "B1", "error"), ("8500", "", "error"), ("8525Q", "B3", "query")} <= found
    row = next(r for r in rows if r["rule"] == "8600")
    assert row == {
        "rule": "8600",
        "child": "B1",
        "kind": "error",
        "fields": ["CINreferralDate"],
        "location": "Message/Children/Child[1]/CINdetails[1]",
        "message": "Child referral date missing or after data collection period",
    }
    assert counts() == before  # nothing written, not even a run


def test_unreadable_file_exits_2(tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text("<Message><Header>")
    assert run_command(bad, "--kind", "cin")[0] == 2
    assert run_command(tmp_path / "missing.xml", "--kind", "cin")[0] == 2
    assert run_command(DATA / "bad_entity_bomb.xml", "--kind", "cin")[0] == 2


def test_a_lone_table_not_in_utf8_says_why_it_was_not_read(tmp_path):
    text = (DATA / "ssda903" / "return_2025" / "episodes.csv").read_text()
    lone = tmp_path / "extract.csv"  # not named as a table: told by its header row, which cannot be decoded
    lone.write_bytes(text.encode("utf-16"))
    code, _, err = run_command(lone, "--kind", "ssda903")
    assert code == 2
    assert "The Header table (header.csv) is missing" in err and "always has it. Add it to the upload" in err
    assert "Also: extract.csv was skipped: it is not UTF-8 text" in err and "saved as UTF-16" in err


def test_csv_and_xlsx(broken_file, tmp_path):
    code, out, _ = run_command(broken_file, "--kind", "cin", "--format", "csv")
    assert code == 1 and out.splitlines()[0] == "rule,child,kind,fields,location,message"
    target = tmp_path / "findings.xlsx"
    run_command(broken_file, "--kind", "cin", "--format", "xlsx", "--output", target)
    sheet = load_workbook(target).active
    rows = list(sheet.values)
    assert rows[0] == ("rule", "child", "kind", "fields", "location", "message")
    assert ("8600", "B1", "error") in {r[:3] for r in rows[1:]}


def test_year_must_be_a_collection_year(clean_file):
    with pytest.raises(CommandError):
        call_command("validate_return", str(clean_file), "--kind", "cin", "--year", "2025-27")


def test_the_903_runs_the_format_checks_and_the_dfe_rules_held():
    before = counts()
    code, out, err = run_command(DATA / "ssda903" / "return_2025", "--kind", "ssda903")
    assert code in (0, 1)
    assert "of the DfE's SSDA903 rules for 2024-25 were checked" in err
    assert all(set(r) == KEYS for r in json.loads(out))
    assert counts() == before


def test_a_cin_census_given_a_year_is_checked_against_that_years_schema_and_rules(tmp_path):
    # A 2024-25 census (reference date 31 March 2025) checked as 2025-26: its format checks name the
    # 2025-26 schema, as the DfE's rules do (rule 100 finds the reference date wrong), not 2024-25.
    path = tmp_path / "last_year.xml"
    path.write_text(census([child(la="Y1", n=1, sex="1")], reference="2025-03-31", year="2025"))
    code, out, err = run_command(path, "--kind", "cin", "--year", "2025-26")
    rows = json.loads(out)
    assert code == 1
    assert ("100", "error") in {(r["rule"], r["kind"]) for r in rows}
    sex = next(r for r in rows if r["rule"] == "cin.sex-code")
    assert "the DfE schema for 2025-26" in sex["message"]
    assert not any("2024-25" in r["message"] for r in rows)
    assert "109 DfE CIN census rules for 2025-26" in err


def test_a_cin_census_given_a_year_is_read_though_its_reference_date_is_not_a_date(tmp_path):
    path = tmp_path / "bad_date.xml"
    path.write_text(census([child(la="Y1", n=1)], reference="31/03/2026"))
    code, out, _err = run_command(path, "--kind", "cin", "--year", "2025-26")
    assert code == 1  # not 2: the year is known, so the file is read and the schema names the date
    assert any(r["fields"] == ["ReferenceDate"] and r["kind"] == "error" for r in json.loads(out))
    code, _out, err = run_command(path, "--kind", "cin")
    assert code == 2 and "is not a date" in err


def test_a_903_given_a_year_is_checked_with_that_years_code_lists(tmp_path):
    folder = tmp_path / "return"
    folder.mkdir()
    for table in (DATA / "ssda903" / "return_2025").iterdir():
        (folder / table.name).write_bytes(table.read_bytes())
    header = folder / "header.csv"
    header.write_text(header.read_text().replace("L001,F,", "L001,2,", 1))  # SEX 2: the code before 2024-25
    code, out, err = run_command(folder, "--kind", "ssda903", "--year", "2025-26")
    rows = json.loads(out)
    sex = next(r for r in rows if r["rule"] == "903.sex-code" and r["child"] == "L001")
    assert "the 2025-26 code list for SEX" in sex["message"]
    assert "rules for 2025-26 were checked" in err
    _code, out, _err = run_command(folder, "--kind", "ssda903")  # by default the year of the latest DECOM
    sex = next(r for r in json.loads(out) if r["rule"] == "903.sex-code" and r["child"] == "L001")
    assert "the 2024-25 code list for SEX" in sex["message"]


def test_preview_lists_dfe_findings_by_child_without_blocking(broken_file):
    run = services.preview(services.create_run_from_path(broken_file, "cin"))
    dfe = run.problems.filter(rule="8600").get()
    assert (dfe.severity, dfe.child_id, dfe.location) == ("warning", "B1", "Message/Children/Child[1]/CINdetails[1]")
    assert dfe.message.startswith("DfE error: Child referral date")
    assert run.problems.filter(rule="8525Q", message__startswith="DfE query:").exists()


def test_preview_blocks_on_dfe_errors_when_the_council_says_so(broken_file, settings):
    settings.RETURNS_DFE_ERRORS_BLOCK = True
    run = services.preview(services.create_run_from_path(broken_file, "cin"))
    assert run.status == Status.REJECTED
    assert run.problems.get(rule="8600").severity == "error"
    assert run.problems.get(rule="8525Q").severity == "warning"


def test_a_fault_in_the_rules_does_not_stop_the_preview(clean_file, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("returns.cin.validation.check_cin", fail)
    run = services.preview(services.create_run_from_path(clean_file, "cin"))
    assert run.status == Status.PREVIEWED
    assert "could not be run (RuntimeError)" in run.problems.get(rule="dfe.rules").message


def test_a_commit_runs_the_rules_beside_its_writing_and_finds_what_the_preview_found(tmp_path, monkeypatch):
    """A commit has read its file before it writes, so the DfE rules begin in a thread of their own then and
    run while the children are written (decision 0060); their findings are the preview's, in the same place."""
    from returns.cin import validation

    path = tmp_path / "queries.xml"
    # 8600: referral after the census year (a warning here); 8525Q: both birth dates
    path.write_text(
        census(
            [
                child(la="B1", n=2, cins=(C(referral="2026-04-01", assessments=()),)),
                child(la="B3", n=4, expected="2026-05-01"),
            ]
        )
    )
    begun = []
    real = validation.started_check_cin

    def spy(*args, **kwargs):
        begun.append(args[1])
        return real(*args, **kwargs)

    monkeypatch.setattr(validation, "started_check_cin", spy)
    shown = ("rule", "severity", "child_id", "location", "field", "message")
    run = services.preview(services.create_run_from_path(path, "cin"))
    previewed = list(run.problems.order_by("pk").values_list(*shown))
    assert begun == []  # a preview reads the file as it goes: the rules run after it, as before
    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    assert begun == ([2026] if connection.vendor == "postgresql" else [])  # on SQLite they run after, as in a preview
    assert list(run.problems.order_by("pk").values_list(*shown)) == previewed
    assert {"8600", "8525Q"} <= {rule for rule, *_ in previewed}


def test_a_fault_in_the_rules_beside_the_writing_does_not_stop_the_commit(clean_file, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr("returns.cin.validation._check_file", fail)
    run = services.check_and_commit(services.create_run_from_path(clean_file, "cin"))
    assert run.status == Status.COMMITTED, run.message
    assert Child.objects.filter(la_child_id="A1").exists()
    assert "could not be run (RuntimeError)" in run.problems.get(rule="dfe.rules").message


def test_annex_a_and_ssd_are_checked_and_the_findings_written_to_the_output_file(tmp_path):
    """The two kinds without DfE rules get the importers' format checks, and --output takes JSON and CSV."""
    import shutil

    before = counts()
    target = tmp_path / "annex_a.json"
    code, out, err = run_command(DATA / "realworld" / "Annex_A_messy.xlsx", "--kind", "annex_a", "--output", target)
    assert (code, out) == (0, "")  # warnings only; nothing on standard output when --output is given
    rows = json.loads(target.read_text())
    assert all(set(r) == KEYS for r in rows) and all(r["kind"] == "warning" for r in rows)
    assert {"annex_a.date-before-birth", "annex_a.postcode"} <= {r["rule"] for r in rows}
    assert "for Ofsted Annex A (Excel) Line of Sight made its own checks of the format, codes and dates" in err

    extract = tmp_path / "ssd"
    shutil.copytree(DATA / "ssd" / "full", extract)
    shutil.copy(DATA / "ssd" / "bad" / "unknown_code__ssd_cin_episodes.csv", extract / "ssd_cin_episodes.csv")
    target = tmp_path / "ssd.csv"
    code, out, _err = run_command(extract, "--kind", "ssd", "--format", "csv", "--output", target)
    assert (code, out) == (1, "")
    lines = target.read_text().splitlines()
    assert lines[0] == "rule,child,kind,fields,location,message"
    assert any(line.startswith("ssd.code,SSD0000004,error,cine_cin_primary_need_code,") for line in lines)
    assert run_command(DATA / "ssd" / "full", "--kind", "ssd")[0] == 0
    assert counts() == before


def test_a_file_given_as_the_wrong_kind_exits_2_and_names_its_kind(tmp_path):
    code, out, err = run_command(DATA / "realworld" / "Annex_A_messy.xlsx", "--kind", "cin")
    assert (code, out) == (2, "")
    assert "looks like Ofsted Annex A (Excel), not CIN census (XML)" in err
