"""Each kind of bad input gives a problem naming the file, the child, the row, the field and the rule.
An error that names no child rejects the whole return; a child's errors hold back that child whole
(docs/decisions/0028-per-child-acceptance.md). A preview changes nothing."""

import datetime as dt

import pytest

from children.models import Child, LookedAfterEpisode
from organisation.tests.factories import WorkerFactory
from returns.models import Status
from returns.ssda903.reader import codes_for
from returns.tests.conftest import DATA
from returns.tests.test_ssda903_helpers import D903, run_903, snapshot, zip_tables

pytestmark = pytest.mark.django_db
BAD = D903 / "bad"


@pytest.fixture(autouse=True)
def workers():
    WorkerFactory(staff_id="SW100001")
    WorkerFactory(staff_id="SW100002")


@pytest.fixture(autouse=True)
def format_checks_only(monkeypatch):
    """These tests pin the importer's own format checks, problem by problem; the DfE's 903 rules
    add their findings to the same preview and are tested in test_ssda903_rules.py."""
    from returns.ssda903.loader import Ssda903Importer

    monkeypatch.setattr(Ssda903Importer, "dfe_rules", False)


def check(tmp_path, **replace) -> list:
    """Preview return_2025 with tables replaced ({"episodes.csv": path or text}); the problems, as tuples."""
    target = zip_tables(tmp_path / "bad.zip", replace={k.replace("_csv", ".csv"): v for k, v in replace.items()})
    run = run_903(target, commit=False)
    errors = run.problems.filter(severity="error")
    if errors.filter(child_id="").exists():
        assert run.status == Status.REJECTED
    else:  # every error names a child: those children are held back, the others may be committed
        held = set(errors.values_list("child_id", flat=True))
        assert (run.status, run.children_held_back, run.children_committed) == (
            Status.PREVIEWED,
            len(held),
            len({"L001", "L002", "L003", "L004"} - held),
        )
    assert Child.objects.count() == 0
    return list(run.problems.values_list("rule", "file_name", "child_id", "location", "field", "message"))


def only(found: list, rule: str) -> list:
    return [p for p in found if p[0] == rule]


def test_a_renamed_column_names_the_file_and_both_columns(tmp_path):
    found = check(tmp_path, episodes_csv=BAD / "episodes_renamed_column.csv")
    ((rule, file, child, where, field, message),) = found
    assert (rule, file, child, where, field) == (
        "903.column-missing",
        "episodes.csv",
        "",
        "episodes.csv row 1",
        "DECOM",
    )
    assert "DATE_COMMENCED" in message and "renamed" in message


def test_a_missing_column_and_an_extra_one(tmp_path):
    text = (D903 / "return_2025" / "reviews.csv").read_text()
    found = check(tmp_path, reviews_csv=text.replace(",REVIEW_CODE", "").replace(",PN1", "").replace(",PN3", ""))
    assert [(p[0], p[1], p[4]) for p in found] == [("903.column-missing", "reviews.csv", "REVIEW_CODE")]


def test_extra_columns_are_one_warning_naming_them_and_the_return_is_read(tmp_path):
    """Pooling tools add LA and YEAR to every table (issue 13 point 5a)."""
    text = (D903 / "return_2025" / "episodes.csv").read_text().splitlines()
    pooled = [text[0] + ",LA,YEAR"] + [line + ",Barking and Dagenham,2025" for line in text[1:]]
    run = run_903(zip_tables(tmp_path / "pooled.zip", replace={"episodes.csv": "\n".join(pooled) + "\n"}))
    assert run.status == Status.COMMITTED and run.errors == 0
    (found,) = run.problems.filter(rule="903.column-unexpected")
    assert (found.severity, found.file_name, found.field, found.location) == (
        "warning",
        "episodes.csv",
        "LA, YEAR",
        "episodes.csv row 1",
    )
    assert "columns LA, YEAR" in found.message and "ignored" in found.message
    assert LookedAfterEpisode.objects.count() > 0


def test_a_pooled_table_with_an_unfamiliar_name_is_found_by_its_columns(tmp_path):
    text = (D903 / "return_2025" / "header.csv").read_text().splitlines()
    pooled = [text[0] + ",LA"] + [line + ",X" for line in text[1:]]
    target = zip_tables(tmp_path / "pooled.zip", replace={"header.csv": None}, drop=("header.csv",))
    import zipfile

    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr("2025-children.csv", "\n".join(pooled) + "\n")
    run = run_903(target, commit=False)
    assert run.errors == 0
    assert run.problems.get(rule="903.column-unexpected").file_name == "2025-children.csv"


def test_a_missing_header_table(tmp_path):
    target = zip_tables(tmp_path / "bad.zip", drop=("header.csv",))
    run = run_903(target, commit=False)
    assert list(run.problems.values_list("rule", "file_name")) == [("903.table-missing", "header.csv")]


def test_impossible_dates_and_text_in_date_fields(tmp_path):
    found = check(tmp_path, episodes_csv=BAD / "episodes_bad_dates.csv")
    assert [p[:5] for p in found] == [
        ("903.date-impossible", "episodes.csv", "L001", "episodes.csv row 2", "DEC"),
        ("903.date-format", "episodes.csv", "L002", "episodes.csv row 3", "DEC"),
        ("903.date-format", "episodes.csv", "L003", "episodes.csv row 4", "DECOM"),
    ]
    assert "'31/02/2024' is not a real date" in found[0][5]
    assert "'next week' is not a date in the form dd/mm/yyyy" in found[1][5]
    assert "'2024-08-01'" in found[2][5]
    # d/m/yyyy is read, with a warning (test_dates_without_leading_zeros_...); a year of two digits is not
    found = check(tmp_path, reviews_csv="CHILD,DOB,REVIEW,REVIEW_CODE\nL001,12/05/2012,01/07/24,PN1\n")
    assert [(p[0], p[4]) for p in found] == [("903.date-format", "REVIEW")]
    assert "Its year has two digits" in found[0][5] and "correct the date format in the export" in found[0][5]


def test_unknown_codes_name_the_field_the_code_and_the_years_list(tmp_path):
    found = check(tmp_path, episodes_csv=BAD / "episodes_unknown_codes.csv")
    assert [p[:5] for p in found] == [
        ("903.code", "episodes.csv", "L001", "episodes.csv row 2", "LS"),
        ("903.code", "episodes.csv", "L002", "episodes.csv row 3", "PLACE"),
    ]
    assert found[0][5].startswith("LS 'C9' is not in the 2024-25 code list for LS: C1, C2, D1, E1")
    assert "K3" in found[1][5] and "'Q9'" in found[1][5]


def test_sex_1_2_in_a_2024_25_return_is_read_with_a_warning_as_in_the_cin_census(tmp_path):
    """1/2 is the code of the lists up to 2023-24; it means one sex without doubt (decision 0026)."""
    run = run_903(zip_tables(tmp_path / "sex.zip", replace={"header.csv": BAD / "header_sex_1_2.csv"}))
    assert run.status == Status.COMMITTED and run.errors == 0
    found = list(run.problems.filter(rule="903.sex-code").order_by("location"))
    assert [(p.severity, p.child_id, p.location, p.field) for p in found] == [
        ("warning", "L001", "header.csv row 2", "SEX"),
        ("warning", "L002", "header.csv row 3", "SEX"),
    ]
    assert "the 2024-25 code list for SEX is F, M, U (M/F/U from 2024-25). Read as F." in found[0].message
    assert "case management system" in found[0].message
    assert dict(Child.objects.values_list("la_child_id", "sex")) == {"L001": "F", "L002": "M", "L003": "M", "L004": "F"}


def test_a_sex_code_of_no_year_is_an_error(tmp_path):
    text = (BAD / "header_sex_1_2.csv").read_text().replace("L001,2,", "L001,X,")
    found = check(tmp_path, header_csv=text)
    assert [p[:5] for p in only(found, "903.code")] == [("903.code", "header.csv", "L001", "header.csv row 2", "SEX")]
    assert "'X' is not in the 2024-25 code list for SEX: F, M, U (M/F/U from 2024-25)" in only(found, "903.code")[0][5]


def test_a_child_in_episodes_with_no_header_row(tmp_path):
    found = check(tmp_path, episodes_csv=BAD / "episodes_no_header.csv")
    (problem,) = only(found, "903.no-header")
    assert problem[:5] == ("903.no-header", "episodes.csv", "L999", "episodes.csv row 3", "CHILD")
    assert "L999 is in Episodes but has no Header row" in problem[5]


def test_overlapping_episodes(tmp_path):
    found = check(tmp_path, episodes_csv=BAD / "episodes_overlap.csv")
    assert [p[:5] for p in found] == [("903.episode-overlap", "episodes.csv", "L001", "episodes.csv row 3", "DECOM")]
    assert "overlaps the one starting 01/06/2023 (episodes.csv row 2), which ends on 10/10/2024" in found[0][5]


def test_dec_before_decom(tmp_path):
    found = check(tmp_path, episodes_csv=BAD / "episodes_dec_before_decom.csv")
    assert [p[:5] for p in found] == [("903.dec-before-decom", "episodes.csv", "L002", "episodes.csv row 2", "DEC")]
    assert "DEC 19/04/2024" in found[0][5] and "DECOM 20/04/2024" in found[0][5]


def test_a_dob_that_differs_from_the_header(tmp_path):
    found = check(tmp_path, reviews_csv=BAD / "reviews_dob_differs.csv")
    assert [p[:5] for p in found] == [("903.dob-differs", "reviews.csv", "L001", "reviews.csv row 2", "DOB")]


def test_blank_required_fields_bad_flags_and_numbers(tmp_path):
    oc2 = (
        "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,"
        "SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED\n"
        "L001,12/05/2012,fourteen,,0,yes,1,1,1,0,0,0\n"
        "L003,03/03/2019,inf,,0,1,1,1,1,0,0,0\n"
    )
    found = check(tmp_path, oc2_csv=oc2, oc3_csv="CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\nL004,10/04/2006,,F2,U1\n")
    assert [(p[0], p[1], p[4]) for p in found] == [
        ("903.number", "oc2.csv", "SDQ_SCORE"),
        ("903.flag", "oc2.csv", "HEALTH_CHECK"),
        ("903.number", "oc2.csv", "SDQ_SCORE"),
        ("903.required", "oc3.csv", "IN_TOUCH"),
    ]


def test_a_child_id_too_long_for_the_register(tmp_path):
    long_id = "X" * 37
    header = (D903 / "return_2025" / "header.csv").read_text() + f"{long_id},F,12/05/2012,WBRI,,,\n"
    found = check(tmp_path, header_csv=header)
    assert [(p[0], p[2], p[3]) for p in found] == [("903.child-id", long_id[:36], "header.csv row 6")]  # as stored


def test_a_row_with_too_few_cells_and_a_duplicated_child(tmp_path):
    header = (D903 / "return_2025" / "header.csv").read_text() + "L001,F,12/05/2012,WBRI,A123456789012,0,\nL005,F\n"
    found = check(tmp_path, header_csv=header)
    assert [(p[0], p[3]) for p in found] == [
        ("903.duplicate-child", "header.csv row 6"),
        ("903.row-length", "header.csv row 7"),
    ]


def test_a_social_worker_episode_given_twice(tmp_path):
    text = (D903 / "return_2025" / "sw_episodes.csv").read_text() + "L002,01/02/2008,SW100001,20/04/2024,,\n"
    found = check(tmp_path, sw_episodes_csv=text)
    assert [(p[0], p[3], p[4]) for p in found] == [("903.duplicate-row", "sw_episodes.csv row 5", "SW_DECOM")]


def test_the_2025_26_placement_codes_are_read(tmp_path):
    """From 2025-26 Z11-Z14 are placement types (three characters) and H5 is not."""
    assert {"Z11", "K3"} <= codes_for(2026)["PLACE"] and "H5" not in codes_for(2026)["PLACE"]
    text = (D903 / "return_2025" / "episodes.csv").read_text()
    text += "L002,01/04/2025,P,V2,N8,Z11,PR4,,,,XY9 8ZW,XY1 1AA,SC123456\n"
    text = text.replace("L002,20/04/2024,S,V2,N8,K2,PR4,,,", "L002,20/04/2024,S,V2,N8,K2,PR4,01/04/2025,X1,")
    stale = text.replace(",Z11,", ",H5,")
    assert [(p[0], p[4]) for p in check(tmp_path, episodes_csv=stale)] == [("903.code", "PLACE")]
    run = run_903(zip_tables(tmp_path / "z11.zip", replace={"episodes.csv": text}))
    assert (run.status, run.errors, run.collection_year) == (Status.COMMITTED, 0, 2026)
    episode = LookedAfterEpisode.objects.get(child__la_child_id="L002", start_date=dt.date(2025, 4, 1))
    assert episode.placement_type == "Z11"


def test_a_zip_that_unpacks_to_too_much_is_not_read(tmp_path, settings):
    settings.UPLOAD_LIMITS = {"ssda903_unpacked": 1000}
    run = run_903(zip_tables(tmp_path / "big.zip"), commit=False)
    assert run.status == Status.REJECTED
    assert list(run.problems.values_list("rule", flat=True)) == ["903.too-big"]
    message = run.problems.get().message
    assert "big.zip would unpack to" in message and "allowed" in message


def test_a_file_that_is_not_a_table(tmp_path):
    target = zip_tables(tmp_path / "odd.zip")
    import zipfile

    with zipfile.ZipFile(target, "a") as archive:
        archive.writestr("notes.txt", "hello")
        archive.writestr("contacts.csv", "CHILD,WHEN\nL001,01/01/2025\n")
    run = run_903(target, commit=False)
    assert run.errors == 0  # skipped with a warning each (issue 13 point 5b)
    assert sorted(run.problems.values_list("rule", "severity", "file_name")) == [
        ("903.table-unknown", "warning", "contacts.csv"),
        ("903.table-unknown", "warning", "notes.txt"),
    ]
    assert "contacts.csv was skipped" in run.problems.get(file_name="contacts.csv").message


def test_the_deprivation_of_liberty_table_is_named_and_skipped(tmp_path):
    import zipfile

    target = zip_tables(tmp_path / "dolo.zip")
    with zipfile.ZipFile(target, "a") as archive:
        archive.write(DATA / "realworld" / "DoLo.csv", "DoLo.csv")
    run = run_903(target)
    assert run.status == Status.COMMITTED
    found = run.problems.get(rule="903.table-unknown")
    assert (found.severity, found.file_name) == ("warning", "DoLo.csv")
    assert "deprivation of liberty" in found.message


def test_two_years_of_tables_in_one_upload_say_to_upload_each_year_alone(tmp_path):
    import zipfile

    target = tmp_path / "years.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for year in (2024, 2025):
            for table in ("header.csv", "episodes.csv"):
                archive.writestr(f"{year}-{table}", (D903 / "return_2025" / table).read_text())
    run = run_903(target, commit=False)
    assert run.status == Status.REJECTED
    messages = list(run.problems.filter(rule="903.table-twice").values_list("message", flat=True))
    assert len(messages) == 2 and all("different years (2024 and 2025)" in m for m in messages)
    assert "Upload each year's tables on its own" in messages[0]


def test_two_years_of_tables_in_folders_name_the_folders(tmp_path):
    import zipfile

    target = tmp_path / "folders.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for year in (2024, 2025):  # each year's tables in a folder of its own, under the same names
            for table in ("header.csv", "episodes.csv"):
                archive.writestr(f"903/{year}/{table}", (D903 / "return_2025" / table).read_text())
    run = run_903(target, commit=False)
    messages = list(run.problems.filter(rule="903.table-twice").values_list("message", flat=True))
    assert len(messages) == 2 and all("different years (2024 and 2025)" in m for m in messages)
    assert messages[0].startswith("903/2025/header.csv and 903/2024/header.csv are both the Header table")


def test_messages_name_the_year_whose_code_lists_were_applied(tmp_path):
    """A 2018-19 return is checked against the 2022-23 lists, the oldest held: messages say 2022-23."""
    from returns.ssda903.reader import lists_year

    assert [lists_year(y) for y in (2019, 2023, 2024, 2025, 2026, 2027)] == [2023, 2023, 2023, 2025, 2026, 2026]
    header = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\nL001,1,12/05/2012,WBRI,UN1,,\n"
    episodes = (
        "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN\n"
        "L001,01/05/2018,S,C9,N1,U1,PR1,,,,,,\n"
    )
    target = tmp_path / "old.zip"
    import zipfile

    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr("header.csv", header)
        archive.writestr("episodes.csv", episodes)
    run = run_903(target, commit=False)
    message = run.problems.get(rule="903.code").message
    assert "not in the 2022-23 code list for LS" in message and "2018-19" not in message


def test_a_table_not_in_utf8(tmp_path):
    text = (D903 / "return_2025" / "header.csv").read_bytes()
    latin = text + b"L009,F,01/01/2010,WBRI,,,\xe9\n"
    run = run_903(zip_tables(tmp_path / "latin.zip", replace={"header.csv": latin}), commit=False)
    assert [(p.rule, p.file_name) for p in run.problems.all()] == [("903.encoding", "header.csv")]
    found = run.problems.get()
    row = text.count(b"\n") + 1  # the added line
    assert found.location == f"header.csv row {row}" and "byte 0xe9" in found.message
    assert "save it again as 'CSV UTF-8'" in found.message and "Windows-1252" in found.message


def test_a_table_saved_as_utf16_says_so(tmp_path):
    text = (D903 / "return_2025" / "header.csv").read_text().encode("utf-16")  # with its byte order mark
    run = run_903(zip_tables(tmp_path / "utf16.zip", replace={"header.csv": text}), commit=False)
    found = run.problems.get(rule="903.encoding")
    assert "saved as UTF-16 ('Unicode'); save it again as 'CSV UTF-8'" in found.message
    assert "Windows-1252" not in found.message


# -- headers as other tools write them (issue 13 point 5) --------------------------------------------------


def lower_case_headers() -> dict[str, str]:
    out = {}
    for path in (D903 / "return_2025").glob("*.csv"):
        head, _, body = path.read_text().partition("\n")
        out[path.name] = head.lower() + "\n" + body
    return out


def test_column_names_in_another_case_are_read_with_one_warning_a_table(tmp_path):
    run_903(zip_tables(tmp_path / "as_given.zip"))
    before = snapshot()
    Child.objects.all().delete()
    run = run_903(zip_tables(tmp_path / "lower.zip", replace=lower_case_headers()))
    assert run.errors == 0 and snapshot() == before
    warned = run.problems.filter(rule="903.column-case")
    assert warned.count() == len(list((D903 / "return_2025").glob("*.csv")))
    episodes = warned.get(file_name="episodes.csv")
    assert episodes.severity == "warning" and "read child as CHILD, decom as DECOM" in episodes.message


def test_empty_unnamed_columns_at_the_end_are_ignored_with_a_warning(tmp_path):
    text = (D903 / "return_2025" / "episodes.csv").read_text().splitlines()
    padded = "\n".join(line + ",," for line in text) + "\n"  # a spreadsheet's two empty columns
    run = run_903(zip_tables(tmp_path / "padded.zip", replace={"episodes.csv": padded}))
    assert run.status == Status.COMMITTED and run.errors == 0
    (found,) = run.problems.filter(rule="903.column-unnamed")
    width = text[0].count(",") + 1
    assert found.severity == "warning" and f"columns {width + 1}, {width + 2} of the header row" in found.message
    assert not run.problems.filter(rule="903.column-twice").exists()


def test_rows_padded_with_blank_cells_past_the_header_are_read(tmp_path):
    text = (D903 / "return_2025" / "reviews.csv").read_text().splitlines()
    overlong = [text[0], text[1] + ",,x", *text[2:]]  # a value past the last column is still an error
    found = check(tmp_path, reviews_csv="\n".join(overlong) + "\n")
    (row,) = only(found, "903.row-length")
    assert row[3] == "reviews.csv row 2" and "a value past the last column" in row[5]
    padded = [text[0]] + [line + ",," for line in text[1:]]  # the header row has no such cells
    run = run_903(zip_tables(tmp_path / "padded.zip", replace={"reviews.csv": "\n".join(padded) + "\n"}))
    assert run.status == Status.COMMITTED and run.errors == 0


def test_a_repeated_header_row_is_skipped_with_a_warning_naming_its_row(tmp_path):
    run_903(zip_tables(tmp_path / "as_given.zip"))
    before = snapshot()
    Child.objects.all().delete()
    text = (D903 / "return_2025" / "episodes.csv").read_text().splitlines()
    joined = [*text[:3], text[0], *text[3:]]  # two exports joined into one file
    run = run_903(zip_tables(tmp_path / "joined.zip", replace={"episodes.csv": "\n".join(joined) + "\n"}))
    assert run.status == Status.COMMITTED and run.errors == 0 and snapshot() == before
    (found,) = run.problems.filter(rule="903.header-repeated")
    assert (found.severity, found.location, found.child_id) == ("warning", "episodes.csv row 4", "")
    assert "repeats the header row" in found.message and "it was skipped" in found.message


def test_dates_without_leading_zeros_are_read_with_one_warning(tmp_path):
    import re

    run_903(zip_tables(tmp_path / "as_given.zip"))
    before = snapshot()
    Child.objects.all().delete()
    unpad = {}
    for path in (D903 / "return_2025").glob("*.csv"):  # 01/04/2024 -> 1/4/2024, as some tools write dates
        unpad[path.name] = re.sub(r"\b0(\d)/0?(\d{1,2})/(\d{4})\b", r"\1/\2/\3", path.read_text())
    assert any(re.search(r"\b\d/\d{1,2}/\d{4}", text) for text in unpad.values())
    run = run_903(zip_tables(tmp_path / "unpadded.zip", replace=unpad))
    assert run.errors == 0 and snapshot() == before
    (found,) = run.problems.filter(rule="903.date-unpadded")
    assert found.severity == "warning" and found.child_id == "" and "read as day/month/year" in found.message


def test_title_lines_above_the_header_row_are_one_error_saying_so(tmp_path):
    text = "SSDA903 Header extract,,,,,,\n" + (D903 / "return_2025" / "header.csv").read_text()
    found = check(tmp_path, header_csv=text)
    assert [(p[0], p[1], p[3]) for p in found] == [("903.column-missing", "header.csv", "header.csv row 1")]
    assert "which holds: SSDA903 Header extract" in found[0][5] and "remove any title lines" in found[0][5]


def test_a_table_separated_by_semicolons_is_one_error_saying_so(tmp_path):
    text = (D903 / "return_2025" / "header.csv").read_text().replace(",", ";")
    found = check(tmp_path, header_csv=text)
    assert [(p[0], p[1], p[3]) for p in found] == [("903.csv", "header.csv", "header.csv row 1")]
    assert "separated by semicolons, not commas" in found[0][5]


def test_decom_written_year_first_says_what_the_file_holds(tmp_path):
    import re

    text = (D903 / "return_2025" / "episodes.csv").read_text()
    iso = re.sub(r"(\d{2})/(\d{2})/(\d{4})", r"\3-\2-\1", text)
    found = check(tmp_path, episodes_csv=iso)
    (year,) = only(found, "903.year")
    first = iso.splitlines()[1].split(",")[iso.splitlines()[0].split(",").index("DECOM")]
    assert f"The first is '{first}' (row 2)" in year[5] and "dd/mm/yyyy" in year[5]


# -- the XML form ------------------------------------------------------------------------


def test_an_entity_bomb_is_refused_before_parsing():
    run = run_903(D903 / "bad_entity_bomb.xml", commit=False)
    assert run.status == Status.REJECTED
    assert list(run.problems.values_list("rule", flat=True)) == ["xml.doctype"]
    assert snapshot()["children"] == []


def test_a_truncated_xml_file_changes_nothing():
    run = run_903(D903 / "bad_truncated.xml", commit=False)
    assert run.status == Status.REJECTED
    (problem,) = run.problems.all()
    assert problem.rule == "xml.syntax" and problem.location.startswith("line ")
    assert Child.objects.count() == 0


def test_xml_problems_name_the_path(tmp_path):
    text = (D903 / "return_2025.xml").read_text().replace("<RNE>P</RNE><LS>E1</LS>", "<RNE>P</RNE><LS>E9</LS>")
    path = tmp_path / "codes.xml"
    path.write_text(text)
    run = run_903(path, commit=False)
    assert list(run.problems.values_list("rule", "child_id", "location", "field")) == [
        ("903.code", "L003", "EXPSSDA903/CHILD[2]/EPISODE[2]", "LS")
    ]


def test_an_xml_element_the_903_does_not_have(tmp_path):
    text = (
        (D903 / "return_2025.xml").read_text().replace("<RNE>P</RNE><LS>E1</LS>", "<RNE>P</RNE><LSTATUS>E1</LSTATUS>")
    )
    path = tmp_path / "misspelt.xml"
    path.write_text(text)
    run = run_903(path, commit=False)
    assert [(p.rule, p.child_id, p.location.split(" ")[0], p.field) for p in run.problems.all()] == [
        ("903.xml-element", "L003", "EXPSSDA903/CHILD[2]/EPISODE[2]/LSTATUS", "LSTATUS"),
        ("903.required", "L003", "EXPSSDA903/CHILD[2]/EPISODE[2]", "LS"),
    ]


def test_another_returns_xml_is_not_read_as_a_903():
    run = run_903(DATA / "cin_full_2025.xml", commit=False)
    [problem] = run.problems.all()
    assert problem.rule == "file.wrong-kind"
    assert "looks like CIN census" in problem.message


def test_xml_decom_written_year_first_says_what_the_file_holds(tmp_path):
    import re

    path = tmp_path / "iso.xml"
    text = (DATA / "ssda903" / "return_2025.xml").read_text()
    path.write_text(re.sub(r">(\d\d)/(\d\d)/(\d{4})<", r">\3-\2-\1<", text))
    run = run_903(path, commit=False)
    (problem,) = run.problems.all()
    assert problem.rule == "903.year" and re.search(r"The first is '\d{4}-\d\d-\d\d' \(line \d+\)", problem.message)


def test_a_903_in_an_xml_namespace_says_so(tmp_path):
    path = tmp_path / "namespaced.xml"
    text = (DATA / "ssda903" / "return_2025.xml").read_text()
    path.write_text(text.replace("<EXPSSDA903>", '<EXPSSDA903 xmlns="http://example.org/903">', 1))
    run = run_903(path, commit=False)
    (problem,) = run.problems.all()
    assert problem.rule == "903.xml-root" and "XML namespace 'http://example.org/903'" in problem.message
    assert "remove the xmlns attribute" in problem.message and "another return" not in problem.message


def test_messages_end_by_saying_where_to_fix_it(tmp_path):
    """A wrong value in a child's record is corrected in the case management system; a table's form in the
    file or its export, with nothing in the records to correct (issue 13 point 5g)."""
    found = check(tmp_path, episodes_csv=BAD / "episodes_bad_dates.csv")
    assert found[0][5].endswith("Correct it in the case management system and export the return again.")
    found = check(tmp_path, episodes_csv=BAD / "episodes_overlap.csv")
    assert found[0][5].endswith("Correct whichever is wrong in the case management system and export the return again.")
    run = run_903(zip_tables(tmp_path / "bad.zip", drop=("header.csv",)), commit=False)
    assert run.problems.get().message.endswith("nothing in the records needs correcting.")


@pytest.mark.parametrize(
    ("first_line", "advice"),
    [
        (None, "It looks like a row of data: the header row (the columns' names) is missing."),
        ("", "The first line is blank: remove the blank lines above the header row"),
        ("Looked after children return 2024-25", "The first line must be the header row: remove any title lines"),
    ],
    ids=["header-left-out", "blank-line", "title-line"],
)
def test_a_first_line_that_is_not_the_header_row_says_what_it_looks_like(tmp_path, first_line, advice):
    # A table exported without its header row was told to remove "title lines" (found by mutation, 7 Dec 2026).
    lines = (D903 / "return_2025" / "reviews.csv").read_text().splitlines()
    lines = lines[1:] if first_line is None else [first_line, *lines]
    run = run_903(zip_tables(tmp_path / "r.zip", replace={"reviews.csv": "\n".join(lines) + "\n"}), commit=False)
    assert run.status == Status.REJECTED and not Child.objects.exists()
    message = run.problems.get(rule="903.column-missing").message
    assert "reviews.csv (Reviews) has none of the specification's columns" in message and advice in message


def test_a_row_of_the_wrong_length_holds_back_the_child_it_names_and_the_others_are_committed(tmp_path):
    # Two bad rows among a council's 2,221 episodes refused the whole return (7 Dec 2026): the row's CHILD cell,
    # where the header puts it, names whose it is, as the SSD reader does (decision 0064).
    lines = (D903 / "return_2025" / "episodes.csv").read_text().splitlines()
    first, other = 1, next(i for i, line in enumerate(lines) if i > 1 and line.split(",")[0] != lines[1].split(",")[0])
    bad = lines[first].split(",")[0], lines[other].split(",")[0]
    lines[first] = ",".join(lines[first].split(",")[:4])  # cut short
    lines[other] += ",x"  # a value past the last column
    run = run_903(zip_tables(tmp_path / "rows.zip", replace={"episodes.csv": "\n".join(lines) + "\n"}), commit=False)
    assert run.status == Status.PREVIEWED and run.children_held_back == 2
    errors = run.problems.filter(rule="903.row-length")
    assert sorted(errors.values_list("child_id", flat=True)) == sorted(bad)
    assert all("who is held back whole" in p.message for p in errors)
    # a row that names no one we can be sure of still refuses the file: its CHILD cell blank, or a CHILD with no
    # other row in the return (a line broken inside the CHILD cell gives part of an ID)
    for cell in ("", "L0"):
        lines = (D903 / "return_2025" / "episodes.csv").read_text().splitlines()
        lines.insert(2, f"{cell},01/04/2024,S")
        path = zip_tables(tmp_path / "no_one.zip", replace={"episodes.csv": "\n".join(lines) + "\n"})
        run = run_903(path, commit=False)
        assert run.status == Status.REJECTED and not Child.objects.exists()
        problem = run.problems.get(rule="903.row-length")
        assert problem.child_id == "" and "held back" not in problem.message
