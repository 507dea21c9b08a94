"""The SSDA903 rules that compare with last year's return (rules/lastyear.py; decision
0047): last year's return is the register's latest committed 903 import of the year before (or, for
validate_return, the file given with --previous); without one, the run and the command say once that
the rules were not checked, and for which year. The rules' own cases are in test_ssda903_rules.py.
Also the rules on the XML form's UASC status item (105, 303), which the CSV-built rule cases cannot
hold."""

import json
import os
import zipfile
from pathlib import Path

import pytest

from returns import services
from returns.models import Status
from returns.rules.check import previous_903
from returns.ssda903.validation import SSDA903_RULES, check_903
from returns.tests.ssda903_rule_cases import CASES as ALL_CASES  # imports the last-year cases after its own
from returns.tests.ssda903_rule_cases import XML_CASES, XML_LASTYEAR_CASES, child_id, previous_tables
from returns.tests.test_ssda903_rules import run_command, write_return

pytestmark = pytest.mark.django_db

CASES = {code: ALL_CASES[code] for code in ("503A", "503B")}


def write_previous(path, cases=CASES):
    with zipfile.ZipFile(path, "w") as archive:
        for name, text in previous_tables(cases).items():
            archive.writestr(name, text)
    return path


def committed_previous(tmp_path):
    """Last year's return (2024-25) imported and committed through the ordinary pipeline."""
    run = services.preview(services.create_run_from_path(write_previous(tmp_path / "last.zip"), "ssda903"))
    assert (run.status, run.collection_year) == (Status.PREVIEWED, 2025), run.message
    run = services.commit(run)
    assert run.status == Status.COMMITTED, run.message
    return run


def test_without_last_years_return_the_command_says_once_which_rules_were_not_checked(tmp_path):
    write_return(tmp_path / "r.zip", CASES)
    code, out, err = run_command(tmp_path / "r.zip", "--kind", "ssda903", "--year", "2025-26")
    assert not [r for r in json.loads(out) if r["rule"].startswith("503")]
    said = [line for line in err.splitlines() if "503A, 503B" in line]
    assert len(said) == 1
    assert "not checked because no SSDA903 return for 2024-25 is held" in said[0]


def test_the_command_takes_last_years_return_with_previous(tmp_path):
    write_return(tmp_path / "r.zip", CASES)
    last = write_previous(tmp_path / "last.zip")
    code, out, err = run_command(tmp_path / "r.zip", "--kind", "ssda903", "--year", "2025-26", "--previous", last)
    found = {(r["rule"], r["child"]) for r in json.loads(out) if r["rule"].startswith("503")}
    assert found == {("503A", "F503A"), ("503B", "F503B")}
    assert "not checked" not in err and "compared this return with last year's (last.zip, 2024-25)" in err


def test_an_unreadable_previous_return_is_said_and_this_years_rules_still_run(tmp_path):
    write_return(tmp_path / "r.zip", CASES)
    (tmp_path / "last.zip").write_bytes(b"not a zip")
    code, out, err = run_command(
        tmp_path / "r.zip", "--kind", "ssda903", "--year", "2025-26", "--previous", tmp_path / "last.zip"
    )
    assert not [r for r in json.loads(out) if r["rule"].startswith("503")]
    assert "not checked because last year's return (last.zip, 2024-25) could not be read" in err
    assert "of the DfE's SSDA903 rules for 2025-26 were checked" in err


def test_the_command_takes_a_folder_for_previous(tmp_path):
    write_return(tmp_path / "r.zip", CASES)
    folder = tmp_path / "last"
    folder.mkdir()
    for name, text in previous_tables(CASES).items():
        (folder / name).write_text(text)
    code, out, _err = run_command(tmp_path / "r.zip", "--kind", "ssda903", "--year", "2025-26", "--previous", folder)
    assert {r["child"] for r in json.loads(out) if r["rule"].startswith("503")} == {"F503A", "F503B"}


def test_the_preview_finds_last_years_committed_import_in_the_register(tmp_path):
    committed_previous(tmp_path)
    write_return(tmp_path / "r.zip", CASES)
    run = services.preview(services.create_run_from_path(tmp_path / "r.zip", "ssda903"))
    assert run.collection_year == 2026
    found = set(run.problems.filter(rule__startswith="503").values_list("rule", "child_id", "severity"))
    assert found == {("503A", "F503A", "warning"), ("503B", "F503B", "warning")}
    assert not run.problems.filter(rule="dfe.previous").exists()
    # validate_return finds it too, without --previous
    code, out, _err = run_command(tmp_path / "r.zip", "--kind", "ssda903")
    assert {r["child"] for r in json.loads(out) if r["rule"].startswith("503")} == {"F503A", "F503B"}


def test_without_a_committed_import_the_preview_carries_one_notice(tmp_path):
    # last year's return previewed but never committed is not used
    services.preview(services.create_run_from_path(write_previous(tmp_path / "last.zip"), "ssda903"))
    write_return(tmp_path / "r.zip", CASES)
    run = services.preview(services.create_run_from_path(tmp_path / "r.zip", "ssda903"))
    assert not run.problems.filter(rule__startswith="503").exists()
    notice = run.problems.get(rule="dfe.previous")
    assert notice.severity == "warning" and not notice.child_id
    assert "503A, 503B" in notice.message and "561" in notice.message and "2024-25" in notice.message
    assert run.status == Status.PREVIEWED


def test_a_previous_import_whose_file_is_gone_is_passed_over(tmp_path):
    older = committed_previous(tmp_path)
    (tmp_path / "again").mkdir()
    newer = committed_previous(tmp_path / "again")
    assert previous_903(2026) == Path(newer.stored_path)
    os.remove(newer.stored_path)
    assert previous_903(2026) == Path(older.stored_path)
    os.remove(older.stored_path)
    assert previous_903(2026) is None
    assert previous_903(2027) is None  # nothing for 2025-26


def xml_return(path, children: dict[str, dict]) -> None:
    """An XML return (2025-26) of plain children, each header with the given items."""
    body = "".join(
        f"<CHILD><HEADER><CHILDID>{child}</CHILDID><SEX>F</SEX><DOB>01/01/2010</DOB><ETHNIC>WBRI</ETHNIC>"
        f"<UPN>UN3</UPN><MOTHER>0</MOTHER>{''.join(f'<{k}>{v}</{k}>' if v else f'<{k} />' for k, v in items.items())}"
        "</HEADER><EPISODE><DECOM>01/05/2025</DECOM><RNE>S</RNE><LS>C2</LS><CIN>N1</CIN><PL>U1</PL>"
        "<PLACE_PROVIDER>PR1</PLACE_PROVIDER></EPISODE></CHILD>"
        for child, items in children.items()
    )
    path.write_text(f"<EXPSSDA903>{body}</EXPSSDA903>")


@pytest.mark.parametrize("code", sorted(XML_CASES))
def test_the_xml_uasc_status_rules_find_the_child_that_breaks_them(tmp_path, code):
    breaks, nearest = XML_CASES[code]
    xml_return(tmp_path / "r.xml", {child_id(code, True): breaks, child_id(code, False): nearest})
    found = [f for f in check_903(tmp_path / "r.xml", year=2026)[0] if f.rule == code]
    rule = SSDA903_RULES.rules[code]
    assert [(f.child, f.location, f.kind, f.message) for f in found] == [
        (child_id(code, True), "EXPSSDA903/CHILD[1]/HEADER", rule.kind, rule.message)
    ]


def test_the_uasc_status_rules_find_nothing_in_csv_tables(tmp_path):
    """In the CSV form the UASC table is the status: a DUC there is a UASC child."""
    write_return(tmp_path / "r.zip", {"304": ALL_CASES["304"]})  # UASC rows with a DUC
    assert not [f for f in check_903(tmp_path / "r.zip", year=2026)[0] if f.rule in XML_CASES]


def test_205d_reads_the_xml_uasc_status_item_in_both_years(tmp_path):
    """In the XML form a child's UASC status is its header's UASC item, last year's too: UASC this year
    and 0 last year is found; 1 in both years, or 0 this year, is not."""
    xml_return(tmp_path / "now.xml", {"X1": {"UASC": "1"}, "X2": {"UASC": "1"}, "X3": {"UASC": "0"}})
    xml_return(tmp_path / "last.xml", {"X1": {"UASC": "0"}, "X2": {"UASC": "1"}, "X3": {"UASC": "0"}})
    found, _ = check_903(tmp_path / "now.xml", year=2026, codes=("205D",), previous=tmp_path / "last.xml")
    assert [(f.child, f.location) for f in found] == [("X1", "EXPSSDA903/CHILD[1]/HEADER")]


@pytest.mark.parametrize("code", sorted(XML_LASTYEAR_CASES))
def test_the_xml_uasc_rules_of_both_years_find_the_child_that_breaks_them(tmp_path, code):
    (breaks_now, breaks_last), (nearest_now, nearest_last) = XML_LASTYEAR_CASES[code]
    xml_return(tmp_path / "now.xml", {child_id(code, True): breaks_now, child_id(code, False): nearest_now})
    xml_return(tmp_path / "last.xml", {child_id(code, True): breaks_last, child_id(code, False): nearest_last})
    found, _ = check_903(tmp_path / "now.xml", year=2026, previous=tmp_path / "last.xml")
    rule = SSDA903_RULES.rules[code]
    assert [(f.child, f.location, f.kind, f.message) for f in found if f.rule == code] == [
        (child_id(code, True), "EXPSSDA903/CHILD[1]/HEADER", rule.kind, rule.message)
    ]


def test_205a_and_205b_read_the_xml_uasc_status_item_in_both_years(tmp_path):
    """205A: UASC last year and 0 this year with last year's DUC in this year is found (X1), one that
    ceased last year is not (X2); 205B: UASC in both years, last year's DUC before this year (X3)."""
    xml_return(tmp_path / "now.xml", {"X1": {"UASC": "0"}, "X2": {"UASC": "0"}, "X3": {"UASC": "1"}})
    last = {"X1": "01/06/2025", "X2": "01/06/2024", "X3": "01/06/2024"}
    xml_return(tmp_path / "last.xml", {c: {"UASC": "1", "DUC": duc} for c, duc in last.items()})
    found, _ = check_903(tmp_path / "now.xml", year=2026, codes=("205A", "205B"), previous=tmp_path / "last.xml")
    assert sorted((f.rule, f.child) for f in found) == [("205A", "X1"), ("205B", "X3")]


def test_the_history_rules_run_on_this_years_return_alone_and_say_so(tmp_path):
    """392b, 199 and 1000 read last year's return when it is held; without it they check this year's
    (an adoption this year, then a new episode: 199), and the run says so. 1001 and 1002 need it."""
    from returns.tests.ssda903_rule_cases import CLOSED, case, two

    adopted = two({**CLOSED, "REC": "E11"}, {"RNE": "S"})
    cases = {"199": (case(episodes=adopted), case(episodes=[{"DEC": "01/06/2025", "REC": "E11"}]))}
    cases["1002"] = ALL_CASES["1002"]
    write_return(tmp_path / "r.zip", cases)
    found, meta = check_903(tmp_path / "r.zip", year=2026)
    assert {f.child for f in found if f.rule == "199"} == {"F199"}
    assert "1002" not in meta["rules"] and "1002" in meta["previous"]["note"]
    assert "Rules 392b, 199, 1000 were checked on this return alone" in meta["previous"]["note"]
