"""Small hand-made workbooks, one for each kind of bad or unusual input."""

import datetime as dt

import pytest
from django.test import override_settings
from openpyxl import Workbook

from children.models import Child, Contact, Referral
from children.tests.factories import ChildFactory
from returns import services
from returns.annex_a.reader import LISTS, list_number, parse_code, parse_date
from returns.models import Status
from returns.tests.helpers import cut_short, zip_with_part
from returns.tests.test_annex_a_helpers import import_workbook, snapshot, workbook

pytestmark = pytest.mark.django_db

KID = {"child_id": "C1", "sex": "b) Female", "ethnicity": "a) WBRI", "birth_date": dt.date(2015, 6, 1)}


def check(path):
    return services.preview(services.create_run_from_path(path, "annex_a"))


def referral_workbook(tmp_path, **cells):
    return workbook(tmp_path / "l3.xlsx", {3: [KID | {"referral_date": dt.date(2024, 1, 8)} | cells]})


def test_dates_as_serials_datetimes_and_text_are_read(tmp_path):
    path = workbook(
        tmp_path / "dates.xlsx",
        {
            1: [
                {"child_id": "A", "contact_date": 45299},  # Excel serial for 08/01/2024
                {"child_id": "B", "contact_date": dt.datetime(2024, 1, 8, 0, 0)},
                {"child_id": "C", "contact_date": "08/01/2024"},
                {"child_id": "D", "contact_date": "2024-01-08"},
                {"child_id": "E", "contact_date": "8/1/2024"},
            ]
        },
    )
    run = import_workbook(path)
    assert run.errors == 0
    assert set(Contact.objects.values_list("contact_date", flat=True)) == {dt.date(2024, 1, 8)}
    assert Contact.objects.count() == 5


def test_an_impossible_date_is_an_error_naming_sheet_row_child_and_column(tmp_path):
    before = snapshot()
    path = workbook(
        tmp_path / "bad.xlsx",
        {3: [KID | {"referral_date": dt.date(2024, 1, 8)}, KID | {"child_id": "C2", "referral_date": "31/02/2023"}]},
    )
    run = check(path)
    assert run.status == Status.PREVIEWED and (run.children_committed, run.children_held_back) == (1, 1)
    problem = run.problems.get(rule="annex_a.impossible-date")
    assert (problem.severity, problem.child_id, problem.location, problem.field) == (
        "error",
        "C2",
        "List 3 row 3",
        "Date of Referral",
    )
    assert "column F" in problem.message and "31/02/2023" in problem.message
    # C2 is held back whole (decision 0048): only C1's referral is imported
    run = services.check_and_commit(services.create_run_from_path(path, "annex_a"))
    assert run.status == Status.COMMITTED and run.children_held_back == 1
    assert snapshot()["referrals"] != before["referrals"]
    assert list(Referral.objects.values_list("child__la_child_id", flat=True)) == ["C1"]
    # a council that imports Annex A all-or-nothing has the whole file refused
    with override_settings(RETURNS_ALL_OR_NOTHING=frozenset({"annex_a"})):
        run = services.check_and_commit(services.create_run_from_path(path, "annex_a"))
    assert run.status == Status.REJECTED


def test_text_that_is_not_a_date_is_an_error(tmp_path):
    run = check(referral_workbook(tmp_path, source="q) 6: Police", nfa="No", **{"birth_date": "next Tuesday"}))
    problem = run.problems.get(rule="annex_a.date")
    assert problem.field == "Date of Birth" and "next Tuesday" in problem.message and problem.severity == "error"


def test_na_and_excel_errors_in_optional_cells_are_warnings_and_blank(tmp_path):
    run = import_workbook(referral_workbook(tmp_path, source="#N/A", team="#REF!"))
    problems = {p.field: p for p in run.problems.filter(rule="annex_a.excel-error")}
    assert set(problems) == {"Referral Source", "Allocated Team"}
    assert problems["Allocated Team"].severity == "warning" and "#REF!" in problems["Allocated Team"].message
    assert Referral.objects.get().source == ""


def test_na_or_blank_in_a_required_cell_is_an_error(tmp_path):
    path = workbook(
        tmp_path / "req.xlsx",
        {3: [KID | {"referral_date": "#N/A"}, KID | {"child_id": "C2"}, {"referral_date": dt.date(2024, 1, 8)}]},
    )
    run = check(path)
    assert run.status == Status.REJECTED
    assert run.problems.get(rule="annex_a.excel-error").location == "List 3 row 2"
    required = list(run.problems.filter(rule="annex_a.required").values_list("location", "field"))
    assert ("List 3 row 3", "Date of Referral") in required
    assert ("List 3 row 4", "Child Unique ID") in required


def test_unknown_codes_are_reported_with_field_value_and_allowed_list_and_keep_the_register(tmp_path):
    ChildFactory(la_child_id="C1", sex="F", ethnicity="WBRI")
    path = referral_workbook(tmp_path, sex="x) Martian", ethnicity="z) ZZZZ", source="q) 99: Pigeon")
    run = import_workbook(path)  # warnings only: the rest of the row is imported
    by_field = {p.field: p for p in run.problems.filter(rule="annex_a.unknown-code")}
    assert set(by_field) == {"Gender", "Ethnicity", "Referral Source"}
    gender = by_field["Gender"]
    assert gender.child_id == "C1" and gender.location == "List 3 row 2" and gender.severity == "warning"
    assert "x) Martian" in gender.message and "a) Male, b) Female, c) Not stated/recorded" in gender.message
    assert "WBRI" in by_field["Ethnicity"].message and "1A" in by_field["Referral Source"].message
    child = Child.objects.get(la_child_id="C1")
    assert (child.sex, child.ethnicity) == ("F", "WBRI")
    assert Referral.objects.get().source == ""


def test_a_missing_required_column_names_sheet_header_and_the_likely_column(tmp_path):
    heads = [c.header for c in LISTS[3].columns]
    heads[5] = "Referal Dt"  # a misspelt 'Date of Referral'
    path = workbook(tmp_path / "cols.xlsx", {3: [KID | {"referral_date": dt.date(2024, 1, 8)}]}, headers={3: heads})
    run = check(path)
    assert run.status == Status.REJECTED
    missing = run.problems.get(rule="annex_a.column-missing")
    assert (missing.severity, missing.field, missing.location) == ("error", "Date of Referral", "sheet List 3")
    unknown = run.problems.get(rule="annex_a.header-unknown")
    assert unknown.severity == "warning" and unknown.field == "Referal Dt" and "column F" in unknown.message
    assert "Date of Referral" in unknown.message  # the expected header it resembles
    assert not Referral.objects.exists()


def test_header_drift_in_case_spacing_punctuation_and_known_variants_is_accepted(tmp_path):
    heads = [c.header for c in LISTS[3].columns]
    heads[0] = "  child unique ID "
    heads[1] = "Sex"  # the 2026 template's name for Gender
    heads[3] = "Date_of_Birth"
    heads[5] = "Referral Date"
    heads[7] = "Referral NFA"
    path = workbook(
        tmp_path / "drift.xlsx",
        {3: [KID | {"referral_date": dt.date(2024, 1, 8), "nfa": "b) No", "source": "6"}]},
        headers={3: heads},
    )
    run = import_workbook(path)
    assert not run.problems.filter(rule__startswith="annex_a.header").exists()
    child = Child.objects.get()
    assert (child.sex, child.birth_date) == ("F", dt.date(2015, 6, 1))
    assert Referral.objects.get().source == "6"


def test_a_missing_optional_column_leaves_the_register_value(tmp_path):
    import_workbook(referral_workbook(tmp_path, source="q) 6: Police"))
    heads = [c.header for c in LISTS[3].columns]
    del heads[6]  # no Referral Source column at all
    book = Workbook()
    ws = book.active
    ws.title = "List 3"
    ws.append(heads)
    ws.append(["C1", "b) Female", "a) WBRI", dt.date(2015, 6, 1), None, dt.date(2024, 1, 8), "Yes"])
    book.save(tmp_path / "fewer.xlsx")
    run = import_workbook(tmp_path / "fewer.xlsx")
    assert run.problems.get(rule="annex_a.column-missing").severity == "warning"
    referral = Referral.objects.get()
    assert (referral.source, referral.nfa) == ("6", True)


def test_sheet_names_are_found_with_tolerance(tmp_path):
    path = workbook(
        tmp_path / "names.xlsx",
        {
            "List_1 Contacts": [{"child_id": "A", "contact_date": dt.date(2024, 1, 8)}],
            "list 3 - referrals": [{"child_id": "B", "referral_date": dt.date(2024, 1, 8)}],
        },
    )
    book = __import__("openpyxl").load_workbook(path)
    book.create_sheet("Notes")
    book.save(path)
    run = import_workbook(path)
    assert Contact.objects.count() == 1 and Referral.objects.count() == 1
    ignored = run.problems.get(rule="annex_a.sheet-ignored")
    assert "Notes" in ignored.message and ignored.severity == "warning"
    assert list_number("Annex A List 10 - Adoption") == 10 and list_number("List 12") is None


def test_two_sheets_for_one_list_and_no_lists_are_errors(tmp_path):
    path = workbook(tmp_path / "twice.xlsx", {"List 1": [], "List_1 copy": []})
    run = check(path)
    assert run.status == Status.REJECTED and run.problems.filter(rule="annex_a.sheet-twice").exists()
    book = Workbook()
    book.active.title = "Sheet1"
    book.save(tmp_path / "none.xlsx")
    assert check(tmp_path / "none.xlsx").problems.filter(rule="annex_a.no-lists").exists()


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path):
    path = tmp_path / "fake.xlsx"
    path.write_bytes(b"Child Unique ID,Gender\n1,a) Male\n")
    run = check(path)
    assert run.status == Status.REJECTED
    message = run.problems.get(rule="annex_a.workbook").message
    assert "not an Excel workbook" in message and "one list saved as CSV text" in message


def test_an_excel_97_2003_workbook_is_refused_saying_to_save_it_as_xlsx(tmp_path):
    path = tmp_path / "old.xls"
    path.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + bytes(504))  # the start of an OLE2 (.xls) file
    run = check(path)
    assert run.status == Status.REJECTED
    assert "Excel 97-2003 workbook (.xls)" in run.problems.get(rule="annex_a.workbook").message


def test_duplicate_rows_are_errors_naming_both_rows(tmp_path):
    row = KID | {"referral_date": dt.date(2024, 1, 8)}
    run = check(workbook(tmp_path / "dup.xlsx", {3: [row, row]}))
    problem = run.problems.get(rule="annex_a.duplicate")
    assert problem.location == "List 3 row 3" and "List 3 row 2" in problem.message


def test_a_title_row_above_the_headers_is_skipped(tmp_path):
    book = Workbook()
    ws = book.active
    ws.title = "List 1"
    ws.append(["Annex A List 1: Contacts, extracted 15/01/2024"])
    ws.append([c.header for c in LISTS[1].columns])
    ws.append(["A", "a) Male", "a) WBRI", "01/02/2015", None, "08/01/2024", "q) 6: Police"])
    book.save(tmp_path / "title.xlsx")
    import_workbook(tmp_path / "title.xlsx")
    assert Contact.objects.get().source == "6"


def test_cell_parsers():
    assert parse_date(45299.75) == dt.date(2024, 1, 8)  # a time of day is dropped
    assert parse_code("f) U6: Foster placement - not FFA", "placement") == "U6"
    assert parse_code("e) PR4 - Private provision", "provider") == "PR4"
    assert parse_code("N1 - Abuse or Neglect", "need") == "N1"
    assert parse_code("k) E47: Special Guardianship Orders", "ceased") == "E47"
    assert parse_code("Physical abuse", "category") == "PHY"
    assert parse_code("b) Former relevant child", "eligibility") == "former_relevant"
    assert parse_code("Female", "sex") == "F" and parse_code("d) Neither", "sex") == "U"


def test_a_formula_whose_result_was_never_saved_is_an_error(tmp_path):
    # openpyxl, like other programs, writes formulas without their results; Excel saves both.
    path = workbook(
        tmp_path / "formula.xlsx",
        {1: [{"child_id": "A", "contact_date": dt.date(2024, 1, 8), "birth_date": "=F2-3000"}]},
    )
    run = check(path)
    assert run.status == Status.REJECTED
    problem = run.problems.get(rule="annex_a.formula-without-value")
    assert (problem.location, problem.field, problem.child_id) == ("List 1 row 2", "Date of Birth", "A")
    assert "=F2-3000" in problem.message and "column D" in problem.message


def test_a_new_looked_after_episode_ends_the_open_one(tmp_path):
    row = KID | {"date_started": dt.date(2020, 1, 1), "legal_status": "C2: FCO", "placement_type": "U4"}
    import_workbook(workbook(tmp_path / "jan.xlsx", {8: [row]}))
    moved = row | {"placement_start": dt.date(2024, 2, 1), "placement_type": "K2"}
    import_workbook(workbook(tmp_path / "mar.xlsx", {8: [moved]}))
    from children.models import LookedAfterEpisode

    episodes = list(
        LookedAfterEpisode.objects.order_by("start_date").values_list(
            "start_date", "end_date", "reason_ceased", "reason_new_episode", "placement_type"
        )
    )
    assert episodes == [
        (dt.date(2020, 1, 1), dt.date(2024, 2, 1), "X1", "S", "U4"),
        (dt.date(2024, 2, 1), None, "", "P", "K2"),
    ]


def test_a_value_longer_than_the_register_holds_is_a_warning_and_not_stored(tmp_path):
    row = KID | {"date_started": dt.date(2020, 1, 1), "legal_status": "C2", "postcode": "NOT A POSTCODE"}
    run = import_workbook(workbook(tmp_path / "long.xlsx", {8: [row]}))
    problem = run.problems.get(rule="annex_a.too-long")
    assert (problem.field, problem.location, problem.severity) == ("Placement postcode", "List 8 row 2", "warning")
    from children.models import LookedAfterEpisode

    assert LookedAfterEpisode.objects.get().placement_postcode == ""


def test_an_unrecognised_header_lists_the_expected_headers_not_found(tmp_path):
    heads = [c.header for c in LISTS[1].columns]
    heads[6] = "Where it came from"
    path = workbook(
        tmp_path / "odd.xlsx", {1: [{"child_id": "A", "contact_date": dt.date(2024, 1, 8)}]}, headers={1: heads}
    )
    run = import_workbook(path)
    unknown = run.problems.get(rule="annex_a.header-unknown")
    assert unknown.location == "sheet List 1, column G" and "'Contact Source'" in unknown.message


@pytest.mark.parametrize("sex, letter", [(1, "M"), ("2", "F"), (2.0, "F")])
def test_sex_1_or_2_is_read_as_the_letter_with_a_warning(tmp_path, sex, letter):
    """Issue 13 point 5: as the CIN, 903 and SSD readers read the DfE's codes up to 2023-24 (decision 0026)."""
    run = import_workbook(referral_workbook(tmp_path, sex=sex))
    assert run.status == Status.COMMITTED and run.errors == 0
    assert Child.objects.get(la_child_id="C1").sex == letter
    problem = run.problems.get(rule="annex_a.sex-code")
    assert (problem.severity, problem.child_id, problem.location, problem.field) == (
        "warning",
        "C1",
        "List 3 row 2",
        "Gender",
    )
    assert problem.message.startswith("List 3 row 2 column ") and "(Gender)" in problem.message
    assert f"Read as {letter}." in problem.message and "case management system" in problem.message


def test_sex_as_a_letter_has_no_warning(tmp_path):
    run = import_workbook(referral_workbook(tmp_path, sex="a) Male"))
    assert Child.objects.get(la_child_id="C1").sex == "M"
    assert not run.problems.filter(rule="annex_a.sex-code").exists()


def test_messages_end_by_saying_where_to_fix_it(tmp_path):
    """Issue 13 point 5g: a value in a child's record is corrected in the case management system, the
    workbook's form in the workbook, and a sheet left aside needs nothing."""
    row = KID | {"referral_date": dt.date(2024, 1, 8)}
    path = workbook(tmp_path / "mixed.xlsx", {3: [row, row, KID | {"child_id": "C2", "referral_date": "31/02/2023"}]})
    book = __import__("openpyxl").load_workbook(path)
    book.create_sheet("Notes")
    book.save(path)
    run = check(path)
    in_cms = "Correct it in the case management system and export the list again."
    assert run.problems.get(rule="annex_a.duplicate").message.endswith(in_cms)
    assert run.problems.get(rule="annex_a.impossible-date").message.endswith(in_cms)
    assert "Nothing to correct" in run.problems.get(rule="annex_a.sheet-ignored").message
    book = Workbook()
    book.active.title = "Sheet1"
    book.save(tmp_path / "none.xlsx")
    message = check(tmp_path / "none.xlsx").problems.get(rule="annex_a.no-lists").message
    assert message.endswith("upload the workbook again; nothing in the records needs correcting.")
    (tmp_path / "cut.xlsx").write_bytes(b"PK\x03\x04" + bytes(40))  # a zip cut short
    message = check(tmp_path / "cut.xlsx").problems.get(rule="annex_a.workbook").message
    assert message.endswith("nothing in the records needs correcting.")


def test_a_repeated_header_row_and_a_total_row_are_skipped_with_a_warning(tmp_path):
    header = {key: col.header for key, col in ((c.key, c) for c in LISTS[1].columns)}
    rows = [
        {"child_id": "A", "contact_date": dt.date(2024, 1, 8)},
        header,  # two lists pasted into one sheet: the header row again
        {"child_id": "B", "contact_date": dt.date(2024, 1, 9)},
        {"child_id": "Grand Total", "sex": 2},  # a total under the list
    ]
    run = import_workbook(workbook(tmp_path / "pasted.xlsx", {1: rows}))
    assert run.errors == 0
    assert sorted(Contact.objects.values_list("child__la_child_id", flat=True)) == ["A", "B"]
    repeated = run.problems.get(rule="annex_a.header-repeated")
    total = run.problems.get(rule="annex_a.total-row")
    assert (repeated.severity, repeated.location, total.location) == ("warning", "List 1 row 3", "List 1 row 5")
    assert "'Grand Total'" in total.message and "it was skipped" in total.message


def _damaged(source, target, change):
    """A copy of the workbook `source` with its sheet of List 3 changed by `change` (bytes -> bytes)."""
    target.write_bytes(zip_with_part(source, change))
    return target


@pytest.mark.parametrize(
    "change",
    [
        cut_short,  # the sheet's XML cut short
        lambda xml: xml.replace(b'<c r="A3" ', b'<c r="A3" s="not a style" ', 1),  # a cell's style not a number
    ],
    ids=["cut-short", "bad-style"],
)
def test_a_damaged_sheet_is_refused_naming_the_sheet_and_the_last_row_read_and_changes_nothing(tmp_path, change):
    # Found by mutating real workbooks (7 Dec 2026): openpyxl's ParseError, ValueError or IndexError escaped the
    # reader, and the run failed with no message saying what was wrong.
    second = KID | {"child_id": "C2", "referral_date": dt.date(2024, 2, 1)}
    rows = [KID | {"referral_date": dt.date(2024, 1, 8)}, second]
    path = _damaged(workbook(tmp_path / "good.xlsx", {3: rows}), tmp_path / "damaged.xlsx", change)
    before = snapshot()
    run = check(path)
    assert run.status == Status.REJECTED
    message = run.problems.get(rule="annex_a.workbook").message
    assert "damaged.xlsx, sheet List 3 is damaged after row 2" in message
    assert "save it again" in message and "nothing in the records needs correcting" in message
    run = services.check_and_commit(services.create_run_from_path(path, "annex_a"))
    assert run.status == Status.REJECTED and snapshot() == before
