"""The plans import refuses a hostile workbook before openpyxl builds it (issue 12), and checks
each short text against what the plan's tables hold."""

from io import BytesIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from accounts.models import Role, Scope
from accounts.tests.factories import UserFactory
from plans.importer import SheetError, guess_mapping, parse, read_sheet
from plans.models import PlanImport
from returns.tests.helpers import cut_short, zip_with_part
from returns.tests.test_upload_limits import with_shared_strings


def saved(book: Workbook, path: Path) -> Path:
    book.save(path)
    return path


def plan_book(path: Path) -> Path:
    book = Workbook()
    book.active.append(["Ref", "Action", "Lead", "End date"])
    book.active.append(["1", "Audit programme", "April Bald", "31/03/2018"])
    return saved(book, path)


@pytest.mark.django_db
def test_a_shared_strings_bomb_is_refused_at_upload_and_nothing_is_kept(client, tmp_path):
    # 150,000 copies of one short text: 2.6 MB of XML that packs to a few kilobytes, and would be
    # 150,000 Python strings in every worker that opened it
    path = with_shared_strings(plan_book(tmp_path / "plan.xlsx"), ["x"] * 150_000)
    assert path.stat().st_size < 100_000
    client.force_login(UserFactory(role=Role.HEAD_OF_SERVICE, scope=Scope.SERVICE))
    upload = SimpleUploadedFile("plan.xlsx", path.read_bytes())
    response = client.post("/plans/import/", {"file": upload, "title": "Plan", "theme_label": "Theme"})
    assert response.status_code == 200
    assert b"holds more than 100,000 different texts (shared strings)" in response.content
    assert not PlanImport.objects.exists()


def test_a_sheet_declaring_a_million_rows_is_refused_without_reading_them(tmp_path):
    book = load_workbook(plan_book(tmp_path / "far.xlsx"))
    book.active.cell(row=1_000_000, column=1, value="x")
    content = BytesIO()
    book.save(content)
    with pytest.raises(SheetError, match="has a row 1,000,000: more than the 5,000 rows allowed"):
        read_sheet(content.getvalue())


def test_a_part_over_the_size_limit_is_refused(tmp_path, settings):
    settings.UPLOAD_LIMITS = {"plans_member": 20_000}  # a theme part is about 8,000 bytes
    book = Workbook()
    for i in range(1_000):
        book.active.append(["Ref", f"Action {i}", "A lead with a name", "31/03/2018"])
    with pytest.raises(
        SheetError, match="sheet1.xml would unpack to .* bytes, more than the 20,000 bytes allowed for one part"
    ):
        read_sheet(saved(book, tmp_path / "big.xlsx").read_bytes())


@pytest.mark.django_db
def test_short_texts_are_checked_against_the_tables(tmp_path):
    book = Workbook()
    book.active.append(["Ref", "Action", "Lead", "End date"])
    book.active.append(["R" * 25, "Audit", "L" * 250, "by the end of the financial year " * 10])
    sheet = read_sheet(saved(book, tmp_path / "long.xlsx").read_bytes())
    found = [str(p) for p in parse(sheet, guess_mapping(sheet.headers)).problems]
    assert any("a lead's name is longer than 200 characters" in p for p in found)
    assert any("longer than 200 characters; kept in part" in p for p in found)
    assert any("is longer than 20 characters" in p and "R" * 25 not in p for p in found)


def test_a_sheet_of_more_cells_than_the_request_may_read_is_refused(tmp_path, settings):
    settings.UPLOAD_LIMITS = {"plans_cells": 10}
    book = Workbook()
    for i in range(5):
        book.active.append(["Ref", f"Action {i}", "Lead", "31/03/2018"])
    with pytest.raises(SheetError, match="has more than 10 cells, more than a file of this kind needs"):
        read_sheet(saved(book, tmp_path / "many.xlsx").read_bytes())


def test_a_damaged_sheet_is_refused_with_a_message_not_a_crash(tmp_path):
    # openpyxl's ParseError escaped read_sheet for a sheet cut short (found by mutating workbooks, 7 Dec 2026)
    content = zip_with_part(plan_book(tmp_path / "plan.xlsx"), cut_short)
    with pytest.raises(SheetError, match="The workbook, sheet Sheet is damaged after row 1 and could not be read"):
        read_sheet(content)


def test_a_workbook_with_no_sheet_of_rows_is_refused(tmp_path):
    # A workbook of one chart sheet (or a damaged sheet list) raised IndexError (found by mutation, 7 Dec 2026).
    import re

    def no_sheets(xml: bytes) -> bytes:
        return re.sub(rb"<sheet [^>]*/>", b"", xml)

    content = zip_with_part(plan_book(tmp_path / "plan.xlsx"), no_sheets, "xl/workbook.xml")
    with pytest.raises(SheetError, match="The workbook has no sheet of rows to read"):
        read_sheet(content)
