"""The SSDA903 deprivation of liberty table (DoLo, from 2026-27; issue 13 points 5 and 1): read and
imported into the register with its provenance, idempotent, inside per-child acceptance; named and
skipped in an earlier year's folder; exported for 2026-27 only; and the DfE's rules 700-710 on it."""

import csv
import datetime as dt
import io
import zipfile

import pytest

from children.models import Child, DeprivationOfLiberty
from returns.models import HeldBackChild, SourceRecord, Status
from returns.ssda903.exporter import export_903
from returns.ssda903.reader import TABLES
from returns.ssda903.validation import SSDA903_RULES, check_903
from returns.tests.conftest import DATA
from returns.tests.ssda903_liberty_cases import LIBERTY_CASES, YEAR, held
from returns.tests.ssda903_rule_cases import child_id, csv_text, tables
from returns.tests.test_ssda903_helpers import run_903, zip_tables

pytestmark = pytest.mark.django_db

REAL_DOLO = DATA / "realworld" / "DoLo.csv"  # = ../shared/data/samples/realworld/ssda903_2026_27/DoLo.csv
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
DOLO = "CHILD,DOB,DOLO_START,DOLO_END\n"


def folder_2027(target, header_rows, episode_rows, dolo=None, dolo_name="DoLo.csv"):
    """A 2026-27 return (its latest episode starts in 2026-27) as a zip: `dolo` is the DoLo table's
    text or a file to copy."""
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("header.csv", HEADER + "".join(r + "\n" for r in header_rows))
        archive.writestr("episodes.csv", EPISODES + "".join(r + "\n" for r in episode_rows))
        if dolo is not None:
            archive.writestr(dolo_name, dolo.read_bytes() if hasattr(dolo, "read_bytes") else dolo)
    return target


def child10(tmp_path, dolo=REAL_DOLO, name="r.zip"):
    """The real sample's child (CHILD10, born 5 December 1993), looked after in a children's home from
    1 May 2026, with the sample's DoLo table (no trailing newline)."""
    return folder_2027(
        tmp_path / name,
        ["CHILD10,M,05/12/1993,WBRI,UN1,,"],
        ["CHILD10,01/05/2026,S,V2,N1,K2,PR1,,,,,,"],
        dolo,
    )


def liberty() -> list[tuple]:
    return sorted(DeprivationOfLiberty.objects.values_list("child__la_child_id", "start_date", "end_date"))


# -- reading and importing ---------------------------------------------------------------------------


def test_the_real_sample_dolo_table_is_imported_with_its_provenance(tmp_path):
    assert not REAL_DOLO.read_bytes().endswith(b"\n")  # the sample as published: no newline at the end
    run = run_903(child10(tmp_path))
    assert run.collection_year == 2027 and "DoLo" in run.header["tables"]
    assert run.summary["deprivations of liberty (DoLo)"] == {"new": 1}
    assert not run.problems.filter(rule="903.table-unknown").exists()
    assert liberty() == [("CHILD10", dt.date(2025, 1, 1), dt.date(2025, 1, 2))]
    dol = DeprivationOfLiberty.objects.get()
    source = SourceRecord.objects.get(run=run, object_id=dol.pk, content_type__model="deprivationofliberty")
    assert (source.target, source.record_path, source.created) == (dol, "DoLo.csv row 2", True)


def test_reimporting_is_idempotent_and_a_changed_end_is_updated(tmp_path):
    run_903(child10(tmp_path))
    again = run_903(child10(tmp_path, name="again.zip"))
    assert again.summary["deprivations of liberty (DoLo)"] == {"unchanged": 1}
    assert DeprivationOfLiberty.objects.count() == 1
    changed = run_903(child10(tmp_path, dolo=DOLO + "CHILD10,05/12/1993,01/01/2025,\n", name="open.zip"))
    assert changed.summary["deprivations of liberty (DoLo)"] == {"changed": 1}
    assert liberty() == [("CHILD10", dt.date(2025, 1, 1), None)]


def test_a_factory_built_folder_imports_every_childs_periods(tmp_path):
    dolo = DOLO + "A1,01/02/2012,01/06/2026,01/08/2026\nA1,01/02/2012,02/09/2026,\nB2,03/04/2014,15/04/2026,\n"
    path = folder_2027(
        tmp_path / "f.zip",
        ["A1,F,01/02/2012,WBRI,UN1,,", "B2,M,03/04/2014,BAFR,UN1,,"],
        ["A1,01/05/2026,S,C2,N1,K2,PR1,,,,,,", "B2,01/04/2026,S,C2,N1,Z12,PR1,,,,,,"],
        dolo,
        dolo_name="dolo.csv",
    )
    run = run_903(path)
    assert run.summary["deprivations of liberty (DoLo)"] == {"new": 3}
    assert liberty() == [
        ("A1", dt.date(2026, 6, 1), dt.date(2026, 8, 1)),
        ("A1", dt.date(2026, 9, 2), None),
        ("B2", dt.date(2026, 4, 15), None),
    ]


def test_a_child_held_back_writes_none_of_its_deprivations_of_liberty(tmp_path):
    """A child with a format error (a DOLO_START that is no date) is held back whole; the other is committed."""
    dolo = DOLO + "A1,01/02/2012,01/06/2026,\nB2,03/04/2014,2026-04-15,\n"
    path = folder_2027(
        tmp_path / "f.zip",
        ["A1,F,01/02/2012,WBRI,UN1,,", "B2,M,03/04/2014,BAFR,UN1,,"],
        ["A1,01/05/2026,S,C2,N1,K2,PR1,,,,,,", "B2,01/04/2026,S,C2,N1,K2,PR1,,,,,,"],
        dolo,
    )
    run = run_903(path)
    assert (run.children_committed, run.children_held_back) == (1, 1)
    bad = run.problems.get(severity="error")
    assert (bad.rule, bad.child_id, bad.field, bad.location) == (
        "903.date-format",
        "B2",
        "DOLO_START",
        "DoLo.csv row 3",
    )
    assert liberty() == [("A1", dt.date(2026, 6, 1), None)]
    assert list(Child.objects.values_list("la_child_id", flat=True)) == ["A1"]
    assert HeldBackChild.objects.filter(la_child_id="B2").exists()


def test_a_dob_that_differs_from_the_header_and_a_repeated_start_are_errors(tmp_path):
    dolo = DOLO + "A1,02/02/2012,01/06/2026,\nB2,03/04/2014,01/06/2026,\nB2,03/04/2014,01/06/2026,01/07/2026\n"
    path = folder_2027(
        tmp_path / "f.zip",
        ["A1,F,01/02/2012,WBRI,UN1,,", "B2,M,03/04/2014,BAFR,UN1,,"],
        ["A1,01/05/2026,S,C2,N1,K2,PR1,,,,,,", "B2,01/04/2026,S,C2,N1,K2,PR1,,,,,,"],
        dolo,
    )
    run = run_903(path, commit=False)
    assert sorted(run.problems.filter(severity="error").values_list("rule", "child_id")) == [
        ("903.dob-differs", "A1"),
        ("903.duplicate-row", "B2"),
    ]


def test_in_a_2025_26_folder_the_table_is_named_skipped_and_nothing_is_written(tmp_path):
    target = zip_tables(tmp_path / "dolo.zip")  # the hand-made 2024-25 return
    with zipfile.ZipFile(target, "a") as archive:
        archive.write(REAL_DOLO, "DoLo.csv")
    run = run_903(target)
    assert run.status == Status.COMMITTED and run.collection_year == 2025
    found = run.problems.get(rule="903.table-unknown")
    assert (found.severity, found.file_name) == ("warning", "DoLo.csv")
    assert "deprivation of liberty table" in found.message and "from 2026-27" in found.message
    assert "2024-25" in found.message
    assert DeprivationOfLiberty.objects.count() == 0


def test_a_2026_27_dolo_table_with_a_renamed_column_is_an_error_naming_it(tmp_path):
    run = run_903(child10(tmp_path, dolo="CHILD,DOB,START,DOLO_END\nCHILD10,05/12/1993,01/01/2025,\n"), commit=False)
    assert run.status == Status.REJECTED
    missing = run.problems.get(rule="903.column-missing")
    assert missing.field == "DOLO_START" and "START" in missing.message


# -- the export --------------------------------------------------------------------------------------


def read_zip(path) -> dict[str, list[dict]]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8")))) for name in archive.namelist()
        }


def test_the_2026_27_export_writes_the_table_and_earlier_years_do_not(tmp_path):
    path = folder_2027(
        tmp_path / "f.zip",
        ["A1,F,01/02/2012,WBRI,UN1,,"],
        ["A1,01/04/2026,S,C2,N1,K2,PR1,,,,,,"],
        DOLO + "A1,01/02/2012,01/03/2026,15/03/2026\nA1,01/02/2012,01/06/2026,01/05/2027\n",
    )
    run_903(path)
    tables_2027 = read_zip(export_903(tmp_path / "o27.zip", 2027) and tmp_path / "o27.zip")
    # The one that ended before the year is not in it; the one ending after it is written as open (rule 704).
    assert tables_2027["dolo.csv"] == [{"CHILD": "A1", "DOB": "01/02/2012", "DOLO_START": "01/06/2026", "DOLO_END": ""}]
    export_903(tmp_path / "o26.zip", 2026)
    assert "dolo.csv" not in read_zip(tmp_path / "o26.zip")
    assert not [f for f in check_903(tmp_path / "o27.zip", year=2027)[0] if f.rule.startswith("7")]


# -- the DfE's rules ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    path = tmp_path_factory.mktemp("dolo") / "cases.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in tables(LIBERTY_CASES).items():
            if rows:
                archive.writestr(TABLES[name].file, csv_text(name, rows))
    found, meta = check_903(path, year=YEAR)
    return {(f.child, f.rule): f for f in found}, meta


def test_every_deprivation_of_liberty_rule_has_a_case_and_holds_from_2026_27_only(findings):
    codes = {code for code, rule in SSDA903_RULES.rules.items() if rule.years == (2027,)}
    assert codes == set(LIBERTY_CASES) == {"700", "701", "702", "703", "704", "705", "707", "708", "709", "710"}
    assert set(LIBERTY_CASES) <= set(findings[1]["rules"])


@pytest.mark.parametrize("code", sorted(LIBERTY_CASES))
def test_the_rule_finds_the_child_that_breaks_it_and_not_the_one_that_does_not(findings, code):
    found, _meta = findings
    hit = found.get((child_id(code, True), code))
    assert hit is not None, f"{code} did not find {child_id(code, True)}"
    assert (child_id(code, False), code) not in found, f"{code} found {child_id(code, False)}"
    rule = SSDA903_RULES.rules[code]
    assert (hit.kind, hit.message, hit.fields) == (rule.kind, rule.message, list(rule.fields))
    assert hit.location.startswith("dolo.csv row ")


def test_the_rules_do_not_run_on_a_2025_26_return(tmp_path):
    path = tmp_path / "r.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in tables({"700": LIBERTY_CASES["700"]}).items():
            if rows:
                archive.writestr(TABLES[name].file, csv_text(name, rows))
    found, meta = check_903(path, year=2026)
    assert not {"700", "710"} & set(meta["rules"]) and not [f for f in found if f.rule == "700"]


def _check(tmp_path, *cases) -> set[tuple[str, str]]:
    path = tmp_path / "r.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for name, rows in tables(dict(cases)).items():
            if rows:
                archive.writestr(TABLES[name].file, csv_text(name, rows))
    return {(f.child, f.rule) for f in check_903(path, year=YEAR)[0] if f.rule.startswith("7")}


def test_edges_of_the_dates(tmp_path):
    """702 counts an order ending on its first day; 703 and 704 take the year's first and last days as in
    it; 705 takes an order that starts the day the previous one ends as not overlapping."""
    found = _check(
        tmp_path,
        ("a", (held({"DOLO_END": "01/06/2026"}, place="K2"), held({}, place="K2"))),
        ("b", (held({"DOLO_START": "01/04/2026", "DOLO_END": "31/03/2027"}, place="K2"), held({}, place="K2"))),
    )
    assert ("Fa", "702") in found and ("Fb", "703") not in found and ("Fb", "704") not in found


def test_the_placement_rules_look_only_at_episodes_overlapping_the_order(tmp_path):
    """An ended order against a K1 placement that began after it ended: neither 709 nor 710; an order
    with no end is not checked (as Data to Insight reads the DfE's condition)."""
    later = held({}, place="K1", DECOM="01/08/2026")
    open_order = held({"DOLO_END": ""}, place="K1")
    found = _check(tmp_path, ("x", (later, open_order)))
    assert not {r for c, r in found if r in ("709", "710")}
