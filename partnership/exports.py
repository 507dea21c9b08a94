"""The annual report tables as one Excel workbook: allegations, training and meeting
attendance for a period, each sheet the same numbers as its page (the selectors')."""

from __future__ import annotations

import datetime as dt
from typing import Any

from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from exports.writer import workbook as new_workbook
from exports.writer import xlsx_bytes

from . import selectors
from .models import Attendance, Body

BOLD = Font(bold=True)
STATUS = dict(Attendance.Status.choices)


def _heading(sheet: Worksheet, text: str) -> None:
    sheet.append([text])
    sheet.cell(row=sheet.max_row, column=1).font = BOLD


def _header(sheet: Worksheet, values: list[Any]) -> None:
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def workbook(start: dt.date, end: dt.date) -> bytes:
    book = new_workbook()
    period = f"{start:%-d %b %Y} to {end:%-d %b %Y}"

    sheet = book.active
    assert sheet is not None
    sheet.title = "Allegations"
    r = selectors.lado_report(start, end)
    _heading(sheet, f"Allegations against adults who work with children referred {period}")
    for label, value in (
        ("Allegations referred", r.total),
        ("Referred in the same period a year earlier", r.previous_total),
        ("Change on a year earlier, %", r.change_percent),
        ("Resulted in a strategy meeting", r.strategy_meetings),
        ("Referred back to the employer for management action", r.employer_action),
        ("Adult suspended", r.suspended),
        ("Adult dismissed", r.dismissed),
        ("Adult did not continue in employment", r.left_employment),
        ("Criminal conviction or caution", r.convicted_or_cautioned),
        ("Still open at the end of the period", r.open_at_end),
        ("Initial consideration recorded", r.considered),
        ("Initial consideration within 1 working day", r.considered_in_time),
    ):
        sheet.append([label, value])
    for table in (r.by_sector, r.by_agency, r.by_category, r.by_outcome, r.by_source):
        sheet.append([])
        _heading(sheet, table.title)
        _header(sheet, [table.heading, "Allegations", "%"])
        for row in table.rows:
            sheet.append([row.label, row.count, row.percent])
        sheet.append(["Total", table.total])
    sheet.column_dimensions["A"].width = 55

    sheet = book.create_sheet("Training courses")
    rows, total = selectors.course_table(start, end)
    _heading(sheet, f"Courses run and attendees, {period}")
    _header(sheet, ["Course", "Sessions run", "Places", "Attendees", "% of places filled"])
    for c in rows + ([total] if total else []):
        sheet.append([c.course.title, c.sessions, c.places, c.attendees, c.fill_percent])
    sheet.column_dimensions["A"].width = 60

    sheet = book.create_sheet("Training by agency")
    agencies, attendees = selectors.training_by_agency(start, end)
    _heading(sheet, f"Training attendees by agency, {period}")
    _header(sheet, ["Agency", "Attendees", "%", "Booked but did not attend"])
    for a in agencies:
        sheet.append([a.agency, a.attendees, a.percent, a.did_not_attend])
    sheet.append(["Total", attendees])
    sheet.column_dimensions["A"].width = 45

    sheet = book.create_sheet("Training evaluation")
    _heading(sheet, f"Confidence before, after and at follow-up (1 to 5), {period}")
    _header(
        sheet,
        [
            "Course",
            "Attendees with before and after",
            "Before",
            "After",
            "Change",
            "Attendees with after and follow-up",
            "Follow-up",
            "Change since after",
        ],
    )
    for e in selectors.evaluation(start, end):
        sheet.append(
            [
                e.course.title,
                e.pre_post_n,
                e.pre_mean,
                e.post_mean,
                e.pre_post_change,
                e.follow_n,
                e.follow_mean,
                e.post_follow_change,
            ]
        )
    sheet.column_dimensions["A"].width = 60

    sheet = book.create_sheet("Attendance by agency")
    _heading(sheet, f"Board and sub-group meetings, {period}, lowest attendance first")
    _header(sheet, ["Agency", "Meetings while a member", "Represented", "%"])
    for rate in selectors.attendance_by_agency(start, end):
        sheet.append([rate.agency, rate.expected, rate.represented, rate.rate])
    sheet.column_dimensions["A"].width = 45

    for body in Body.objects.all():
        grid = selectors.attendance_grid(body, start, end)
        sheet = book.create_sheet(body.name[:31].replace("/", "-"))
        _heading(sheet, f"{body.name}: attendance by agency, {period}")
        _header(sheet, ["Agency", *[m.date for m in grid.meetings], "Represented", "Expected", "%"])
        for seat in grid.rows:
            cells = [
                "Not a member" if c == "" else "Not recorded" if c == "not_recorded" else STATUS[c] for c in seat.cells
            ]
            sheet.append([seat.agency.name, *cells, seat.represented, seat.expected, seat.rate])
        sheet.append(["Total", *["" for _ in grid.meetings], grid.represented, grid.expected, grid.rate])
        sheet.column_dimensions["A"].width = 45

    return xlsx_bytes(book)
