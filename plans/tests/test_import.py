"""Reading plans from spreadsheets: dates, cells, mapping, and errors that name the row and column."""

import datetime as dt
from io import BytesIO

import pytest
from openpyxl import Workbook

from plans import dates
from plans.importer import guess_mapping, parse, parse_lead_and_date, parse_milestones, parse_rag, read_sheet


def xlsx(rows):
    book = Workbook()
    for row in rows:
        book.active.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def test_date_phrases():
    assert dates.parse_one("Mar 2013") == dt.date(2013, 3, 31)
    assert dates.parse_one("by Sept 2013") == dt.date(2013, 9, 30)
    assert dates.parse_one("February 2013") == dt.date(2013, 2, 28)
    assert dates.parse_one("31/03/2013") == dt.date(2013, 3, 31)
    assert dates.parse_one("2018-04-30") == dt.date(2018, 4, 30)
    assert dates.parse_one("w/c 9 October 2017") == dt.date(2017, 10, 9)
    assert dates.parse_one("Ongoing") is None
    assert dates.parse_dates("Mar – Oct 2013") == [dt.date(2013, 10, 31)]
    assert dates.parse_dates("Apr 2013 / Jul 2013 / Oct 2013") == [
        dt.date(2013, 4, 30),
        dt.date(2013, 7, 31),
        dt.date(2013, 10, 31),
    ]
    with pytest.raises(dates.BadDate):
        dates.parse_one("31/02/2018")


def test_milestones_one_a_line_with_their_dates():
    ms = parse_milestones(
        "Section 11 Audit Schedule agreed by QA&PM – Mar 2013\n"
        "Agencies complete Section 11 Audits – every QA & PM Ctte\n"
        "Conference arrangements put in place – Mar – Oct 2013\n"
        "After 18 months – lower numbers of children subject to domestic violence – Oct 2014\n"
        "Newsletter – Mar 2013 / Jun 2013\n"
        "BHC to commission further ADAM training"
    )
    assert [(m.text, m.due) for m in ms] == [
        ("Section 11 Audit Schedule agreed by QA&PM", dt.date(2013, 3, 31)),
        ("Agencies complete Section 11 Audits", None),
        ("Conference arrangements put in place", dt.date(2013, 10, 31)),
        ("After 18 months – lower numbers of children subject to domestic violence", dt.date(2014, 10, 31)),
        ("Newsletter", dt.date(2013, 3, 31)),
        ("Newsletter", dt.date(2013, 6, 30)),
        ("BHC to commission further ADAM training", None),
    ]
    assert ms[1].due_text == "every QA & PM Ctte"


def test_lead_and_completion_date_in_one_cell():
    assert parse_lead_and_date("Business Manager\nL&D Manager\nApril 2013") == (
        ["Business Manager", "L&D Manager"],
        dt.date(2013, 4, 30),
        "April 2013",
    )
    assert parse_lead_and_date("Business Manager July 2013")[:2] == (["Business Manager"], dt.date(2013, 7, 31))
    leads, end, worded = parse_lead_and_date("All agencies\nThroughout 2013-14")
    assert (leads, end, worded) == (["All agencies"], None, "Throughout 2013-14")
    assert parse_lead_and_date("Business Manager\nMarch 2013\nDecember 2013")[1] == dt.date(2013, 12, 31)


def test_rag_cells():
    assert parse_rag("Green") == ("green", "", "")
    assert parse_rag("R") == ("red", "", "")
    assert parse_rag("Amber - awaiting guidance") == ("amber", "awaiting guidance", "")
    assert parse_rag("Completed") == ("blue", "", "")
    rag, note, warning = parse_rag("Awaiting revised guidance")
    assert (rag, note) == ("", "Awaiting revised guidance") and "kept as a progress note" in warning
    assert parse_rag("?????")[0:2] == ("", "")


def test_guessed_mapping_for_the_seed_headings():
    assert guess_mapping(
        ["Ref", "Action Summary", "Outcomes", "Milestones", "Lead & Completion Date", "Current Status (RAG)"]
    ) == {0: "ref", 1: "summary", 2: "outcomes", 3: "milestones", 4: "lead_and_end_date", 5: "rag"}
    assert guess_mapping(
        ["Recommendation", "Action", "Progress", "Timetable End date", "RAG", "Key points to note"]
    ) == {
        0: "theme",
        1: "summary",
        2: "progress",
        3: "end_date",
        4: "rag",
    }


def test_heading_rows_make_themes_and_descriptions():
    sheet = read_sheet(
        xlsx(
            [
                ["My plan"],
                ["Ref", "Action", "Lead", "End date"],
                ["Area 1: Leadership"],
                ["What the area is for"],
                ["1.1", "Do a thing", "Ann Lee", dt.datetime(2024, 6, 30)],
                ["", "Do another", "Bob", "Ongoing"],
                ["Area 2: Voice"],
                ["2.1", "Listen", "Cy", "Sept 2024"],
            ]
        )
    )
    assert sheet.title == "My plan" and sheet.header_row == 2
    parsed = parse(sheet, guess_mapping(sheet.headers))
    assert [(t.number, t.title, t.description) for t in parsed.themes] == [
        ("1", "Leadership", "What the area is for"),
        ("2", "Voice", ""),
    ]
    refs = [(a.ref, a.summary, a.leads, a.end_date, a.end_text) for a in parsed.actions]
    assert refs == [
        ("1.1", "Do a thing", ["Ann Lee"], dt.date(2024, 6, 30), ""),
        ("1.2", "Do another", ["Bob"], None, "Ongoing"),
        ("2.1", "Listen", ["Cy"], dt.date(2024, 9, 30), "Sept 2024"),
    ]
    assert [str(p) for p in parsed.warnings] == ["Row 6, column D (End date): 'Ongoing' is not a date; kept as written"]
    assert not parsed.errors


def test_a_theme_column_fills_down_like_merged_cells():
    sheet = read_sheet(
        xlsx(
            [
                ["Recommendation", "Action", "Progress", "RAG"],
                ["1. First recommendation", "Act A", "Ann", "Green"],
                [None, "Act B", "Ann", ""],
                ["2. Second", "Act C", "Bo", "red"],
            ]
        )
    )
    parsed = parse(sheet, {0: "theme", 1: "summary", 2: "leads", 3: "rag"})
    assert [(t.number, len(t.actions)) for t in parsed.themes] == [("1", 2), ("2", 1)]
    assert [(a.ref, a.rag) for a in parsed.actions] == [("1.1", "green"), ("1.2", ""), ("2.1", "red")]


def test_errors_name_the_row_and_column():
    sheet = read_sheet(
        xlsx(
            [
                ["Ref", "Action", "End date", "Milestones"],
                ["1", "Fine", "30/04/2018", ""],
                ["1", "Same ref again", "", ""],
                ["2", "", "", "Something – 1 Jan 2018"],
                ["3", "Bad date", "31/02/2018", ""],
                ["4", "Bad milestone", "", "Meeting – 30/02/2018"],
            ]
        )
    )
    parsed = parse(sheet, guess_mapping(sheet.headers))
    assert [str(p) for p in parsed.errors] == [
        "Row 4, column B (Action): the action is empty",
        "Row 5, column C (End date): '31/02/2018' is not a real date",
        "Row 6, column D (Milestones): '30/02/2018' is not a real date",
        "Row 3, column A (Ref): reference 1 is used twice (also row 2)",
    ]


def test_mapping_needs_an_action_column_and_no_target_twice():
    sheet = read_sheet(xlsx([["A", "B", "C"], ["x", "y", "z"]]))
    assert "map a column to 'Action (summary)'" in str(parse(sheet, {0: "leads"}).errors[0])
    assert "already mapped" in str(parse(sheet, {0: "summary", 1: "summary"}).errors[0])


def test_not_a_workbook():
    from plans.importer import SheetError

    with pytest.raises(SheetError):
        read_sheet(b"not a spreadsheet")
