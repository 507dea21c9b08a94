"""A file uploaded as the wrong kind of return is recognised, and the message says which kind it looks
like and that nothing in it needs correcting (issue 13 point 5f)."""

import zipfile

import pytest

from children.models import Child
from returns import services
from returns.formats import sniff_kind
from returns.models import Status
from returns.tests.conftest import DATA
from returns.tests.test_ssda903_helpers import zip_tables

pytestmark = pytest.mark.django_db


def ssd_zip(tmp_path):
    target = tmp_path / "ssd.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted((DATA / "ssd" / "full").glob("*.csv")):
            archive.write(path, path.name)
    return target


def files(tmp_path) -> dict:
    return {
        "cin": DATA / "CIN_Census_2024.xml",
        "annex_a": DATA / "realworld" / "Annex_A_messy.xlsx",
        "ssda903": zip_tables(tmp_path / "903.zip"),
        "ssd": ssd_zip(tmp_path),
    }


def test_each_sample_is_recognised_as_its_own_kind(tmp_path):
    assert {kind: sniff_kind(path) for kind, path in files(tmp_path).items()} == {
        "cin": "cin",
        "annex_a": "annex_a",
        "ssda903": "ssda903",
        "ssd": "ssd",
    }
    assert sniff_kind(DATA / "ssda903" / "return_2025.xml") == "ssda903"
    assert sniff_kind(DATA / "ssda903" / "return_2025" / "episodes.csv") == "ssda903"
    odd = tmp_path / "odd.csv"
    odd.write_text("A,B\n1,2\n")
    assert sniff_kind(odd) is None  # cannot tell: the chosen kind's reader decides


@pytest.mark.parametrize(
    ("given", "uploaded_as", "label"),
    [
        ("annex_a", "cin", "Ofsted Annex A (Excel)"),
        ("cin", "ssda903", "CIN census (XML)"),
        ("ssda903", "ssd", "SSDA903 looked-after children return"),
        ("ssd", "ssda903", "Standard Safeguarding Dataset (CSV)"),
        ("ssda903", "annex_a", "SSDA903 looked-after children return"),
    ],
)
def test_a_file_uploaded_as_the_wrong_kind_says_which_kind_it_looks_like(tmp_path, given, uploaded_as, label):
    run = services.preview(services.create_run_from_path(files(tmp_path)[given], uploaded_as))
    assert run.status == Status.REJECTED
    (problem,) = run.problems.all()
    assert (problem.rule, problem.severity) == ("file.wrong-kind", "error")
    assert f"looks like {label}" in problem.message and f"upload it again as {label}" in problem.message
    assert "case management system" not in problem.message
    assert Child.objects.count() == 0


def tables_workbook(target, folder, only=None):
    """Each CSV table of `folder` (or the one named `only`) as a sheet of one workbook, named as the table (as
    Excel names a CSV it opens)."""
    import csv

    import openpyxl

    book = openpyxl.Workbook()
    book.remove(book.active)
    for path in sorted(folder.glob(only or "*.csv")):
        sheet = book.create_sheet(path.stem)
        for row in csv.reader(path.open(encoding="utf-8-sig")):
            sheet.append(row)
    book.save(target)
    return target


@pytest.mark.parametrize("uploaded_as", ["ssda903", "annex_a"])
def test_the_903_tables_as_sheets_of_a_workbook_say_to_save_them_as_csv(tmp_path, uploaded_as):
    path = tables_workbook(tmp_path / "903.xlsx", DATA / "ssda903" / "return_2025")
    run = services.preview(services.create_run_from_path(path, uploaded_as))
    assert run.status == Status.REJECTED and Child.objects.count() == 0
    (problem,) = run.problems.all()
    assert problem.rule == "file.wrong-kind"
    assert "an Excel workbook with the SSDA903 looked-after children return's tables as sheets" in problem.message
    assert "Save each sheet as 'CSV UTF-8 (comma delimited)'" in problem.message
    assert ("is not Ofsted Annex A" in problem.message) == (uploaded_as == "annex_a")


def test_a_zip_of_903_tables_saved_as_workbooks_says_to_save_them_as_csv(tmp_path):
    target = tmp_path / "903.zip"
    with zipfile.ZipFile(target, "w") as archive:
        for path in sorted((DATA / "ssda903" / "return_2025").glob("*.csv")):
            book = tables_workbook(tmp_path / f"{path.stem}.xlsx", path.parent, only=path.name)
            archive.write(book, book.name)
    run = services.preview(services.create_run_from_path(target, "ssda903"))
    (problem,) = run.problems.all()
    assert run.status == Status.REJECTED and problem.rule == "file.wrong-kind"
    assert "a zip of the SSDA903 looked-after children return's tables as Excel workbooks" in problem.message
    assert "Save each workbook as 'CSV UTF-8" in problem.message


def test_the_ssd_tables_as_sheets_name_the_ssd(tmp_path):
    path = tables_workbook(tmp_path / "ssd.xlsx", DATA / "ssd" / "full")
    run = services.preview(services.create_run_from_path(path, "ssd"))
    (problem,) = run.problems.all()
    assert (
        problem.rule == "file.wrong-kind"
        and "Standard Safeguarding Dataset (CSV)'s tables as sheets" in problem.message
    )
    assert "ssd_person.csv" in problem.message


def test_a_workbook_beside_the_csv_tables_changes_nothing(tmp_path):
    target = zip_tables(tmp_path / "903.zip")
    with zipfile.ZipFile(target, "a") as archive:
        episodes = tables_workbook(tmp_path / "episodes.xlsx", DATA / "ssda903" / "return_2025", only="episodes.csv")
        archive.write(episodes, "episodes.xlsx")
    run = services.preview(services.create_run_from_path(target, "ssda903"))
    assert not run.problems.filter(rule="file.wrong-kind").exists()
    assert sniff_kind(target) == "ssda903"
