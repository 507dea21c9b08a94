"""The DfE's SSDA903 rules: for each, a child that breaks it and the nearest child that does not
(returns/tests/ssda903_rule_cases.py, from the DfE's wording); the XML form; the preview and the
validate_return command."""

import io
import json
import zipfile

import pytest
from django.core.management import call_command

from children.models import Child
from returns import services
from returns.models import HeldBackChild, Status
from returns.ssda903.validation import SSDA903_RULES, check_903
from returns.tests.conftest import DATA
from returns.tests.ssda903_liberty_cases import LIBERTY_CASES
from returns.tests.ssda903_rule_cases import (
    CASES,
    XML_CASES,
    YEAR,
    agreement_tables,
    case,
    child_id,
    csv_text,
    previous_tables,
    tables,
)

pytestmark = pytest.mark.django_db


def write_return(path, cases=None) -> None:
    with zipfile.ZipFile(path, "w") as archive:
        if cases is None:
            for name, text in agreement_tables().items():
                archive.writestr(name, text)
            return
        from returns.ssda903.reader import TABLES

        for name, rows in tables(cases).items():
            if rows and name in TABLES:  # not last year's (Episodes_last): write_previous
                archive.writestr(TABLES[name].file, csv_text(name, rows))


POSTS = {"HOME_POST": "TW9 2BB", "PL_POST": "SW1A 1AA"}  # both postcodes given, as 392b asks


def posted(pair: tuple[dict, dict]) -> tuple[dict, dict]:
    """A rule's two cases with both postcodes on every episode (so that 392b finds neither child)."""
    return tuple({**spec, "episodes": [{**POSTS, **ep} for ep in spec["episodes"]]} for spec in pair)  # type: ignore[return-value]


def write_previous(path) -> None:
    """Last year's return for the cases that compare with it (503A-F)."""
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in previous_tables().items():
            archive.writestr(name, text)


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("903")
    write_return(folder / "cases.zip")
    write_previous(folder / "last.zip")
    found, meta = check_903(folder / "cases.zip", year=YEAR, previous=folder / "last.zip")
    return {(f.child, f.rule): f for f in found}, meta


def test_every_rule_has_a_case_and_runs_in_2025_26(findings):
    # DoLo's (2026-27): test_ssda903_liberty.py; the XML form's UASC status (105, 303, 205C): test_ssda903_lastyear.py
    # the postcode rules (run only with a postcode directory): test_ssda903_postcodes.py; the URN
    # rules (run only with Ofsted's provider lists): test_ssda903_ofsted.py
    from returns.tests.ssda903_ofsted_cases import OFSTED_CASES
    from returns.tests.ssda903_postcode_cases import POSTCODE_CASES
    from returns.tests.ssda903_rule_cases import XML_LASTYEAR_CASES

    xml = set(XML_CASES) | set(XML_LASTYEAR_CASES)
    others = set(LIBERTY_CASES) | xml | set(POSTCODE_CASES) | set(OFSTED_CASES)
    assert set(CASES) | others == set(SSDA903_RULES.rules)
    assert sorted(set(findings[1]["rules"]) - xml) == sorted(CASES)


@pytest.mark.parametrize("code", sorted(CASES))
def test_the_rule_finds_the_child_that_breaks_it_and_not_the_one_that_does_not(findings, code):
    found, _meta = findings
    hit = found.get((child_id(code, True), code))
    assert hit is not None, f"{code} did not find {child_id(code, True)}"
    assert (child_id(code, False), code) not in found, f"{code} found {child_id(code, False)}"
    rule = SSDA903_RULES.rules[code]
    assert (hit.kind, hit.message, hit.fields) == (rule.kind, rule.message, list(rule.fields))
    assert hit.location.endswith(".csv row " + hit.location.rsplit(" ", 1)[-1])


def test_the_year_decides_the_code_lists(tmp_path):
    """SEX is 1/2 until 2023-24 and M/F/U from 2024-25; H5 is a placement type until 2024-25, K3 from it."""
    path = tmp_path / "r.zip"
    write_return(path, {"101": CASES["101"], "146": CASES["146"]})  # F101: SEX 2, P101: U; F146: H5, P146: K3
    found = {year: {(f.child, f.rule) for f in check_903(path, year=year)[0]} for year in (2024, 2025, 2026)}
    assert ("F101", "101") not in found[2024] and ("P101", "101") in found[2024]
    assert ("F101", "101") in found[2025] and ("P101", "101") not in found[2025]
    assert ("F146", "146") not in found[2024] and ("P146", "146") in found[2024]
    assert ("F146", "146") not in found[2025] and ("P146", "146") not in found[2025]
    assert ("F146", "146") in found[2026] and ("P146", "146") not in found[2026]


def test_rules_hold_only_for_the_years_given(tmp_path):
    path = tmp_path / "r.zip"
    write_return(path, {"222": CASES["222"]})
    assert [f.child for f in check_903(path, year=2026)[0] if f.rule == "222"] == ["F222"]
    assert [f.rule for f in check_903(path, year=2025)[0] if f.rule == "222"] == []
    assert check_903(path, year=2022)[1]["rules"] == []  # before 2022-23: no rules held


def test_the_xml_form_is_checked_as_the_tables_are():
    found, meta = check_903(DATA / "ssda903" / "return_2025.xml")
    assert meta["collection_year"] == 2025
    assert all(f.location.startswith("EXPSSDA903/CHILD[") for f in found)


def test_the_xml_form_finds_what_its_csv_twin_finds(tmp_path):
    """The same two children as tables and as XML: 148 and 408 are found in both, with XML paths."""
    xml = tmp_path / "r.xml"
    xml.write_text(
        "<EXPSSDA903>"
        + "".join(
            f"<CHILD><HEADER><CHILDID>{c}</CHILDID><SEX>F</SEX><DOB>01/01/2010</DOB><ETHNIC>WBRI</ETHNIC>"
            f"<UPN>UN3</UPN><MOTHER>0</MOTHER><UASC>0</UASC></HEADER><EPISODE><DECOM>01/05/2025</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN>"
            f"<PL>{place}</PL><PLACE_PROVIDER>PR1</PLACE_PROVIDER>{dec}<HOME_POST>TW9 2BB</HOME_POST>"
            "<PL_POST>SW1A 1AA</PL_POST></EPISODE></CHILD>"
            for c, place, dec in (("X1", "A5", "<DEC>01/06/2025</DEC>"), ("X2", "U1", ""))
        )
        + "</EXPSSDA903>"
    )
    found, _ = check_903(xml, year=2026)
    assert {(f.child, f.rule, f.location) for f in found} == {
        ("X1", "148", "EXPSSDA903/CHILD[1]/EPISODE[1]"),
        ("X1", "408", "EXPSSDA903/CHILD[1]/EPISODE[1]"),
    }


def run_command(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as stop:
        call_command("validate_return", *map(str, args), stdout=out, stderr=err)
    return stop.value.code, out.getvalue(), err.getvalue()


def test_validate_return_gives_the_903_rules_findings_under_the_dfe_codes(tmp_path):
    path = tmp_path / "r.zip"
    write_return(path, {"148": CASES["148"], "355": CASES["355"]})
    code, out, err = run_command(path, "--kind", "ssda903", "--year", "2025-26")
    rows = json.loads(out)
    dfe = {(r["rule"], r["child"], r["kind"]) for r in rows if r["rule"] in ("148", "355")}
    assert dfe == {("148", "F148", "error"), ("355", "F355", "query")}
    assert code == 1 and "of the DfE's SSDA903 rules for 2025-26 were checked" in err
    assert Child.objects.count() == 0


def test_validate_return_exits_0_when_only_queries_are_found(tmp_path):
    path = tmp_path / "r.zip"
    write_return(path, {"355": posted((case(episodes=[{"DEC": "01/05/2025", "REC": "E13"}]), case()))})
    code, out, _err = run_command(path, "--kind", "ssda903", "--year", "2025-26")
    assert code == 0 and [r["rule"] for r in json.loads(out)] == ["355"]


def test_the_preview_lists_dfe_903_findings_as_warnings_by_default(tmp_path):
    path = tmp_path / "r.zip"
    write_return(path, {"148": CASES["148"]})
    run = services.preview(services.create_run_from_path(path, "ssda903"))
    assert run.status == Status.PREVIEWED
    found = run.problems.get(rule="148")
    assert (found.severity, found.child_id, found.location) == ("warning", "F148", "episodes.csv row 2")
    assert found.message.startswith("DfE error: Date episode ceased and reason episode ceased")


def test_a_dfe_903_error_holds_back_its_child_when_the_council_says_dfe_errors_block(tmp_path, settings):
    settings.RETURNS_DFE_ERRORS_BLOCK = True
    path = tmp_path / "r.zip"
    write_return(path, {"148": posted(CASES["148"]), "355": posted(CASES["355"])})
    run = services.preview(services.create_run_from_path(path, "ssda903"))
    assert run.status == Status.PREVIEWED, list(run.problems.values_list("rule", "child_id", "severity"))
    assert run.problems.get(rule="355", child_id="F355").severity == "warning"  # a query never holds back
    assert (run.children_committed, run.children_held_back) == (3, 1)
    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    assert sorted(Child.objects.values_list("la_child_id", flat=True)) == ["F355", "P148", "P355"]
    assert list(HeldBackChild.objects.values_list("la_child_id", flat=True)) == ["F148"]
    assert run.problems.filter(rule="148", child_id="F148", severity="error").count() == 1
