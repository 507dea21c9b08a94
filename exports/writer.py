"""The one writer for every Excel and CSV file the service hands out (decision 0017).

A text cell that a spreadsheet would read as a formula is made inert here:
- Excel: every text cell is written as text (openpyxl data type "s", an inline string), so the value
  stays exactly what was typed, `=HYPERLINK(...)` included, and is never stored as a formula (<f>).
- CSV: a cell has no type, so text that starts with = + - @ tab or carriage return gets a leading
  single quote (OWASP, CSV injection). A plain number written as text ("-3", "+44") is left alone:
  a spreadsheet reads it as a number, not a formula, and statutory codes and dates never start so.
Numbers, dates and booleans are never touched (a negative number is not a formula).

Every export builds its workbook with workbook() and its CSV with csv_writer(); the test
exports/tests/test_inert.py fails on a module that imports openpyxl's Workbook or csv.writer itself.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from io import BytesIO
from typing import IO, Any

from django.http import HttpResponse
from openpyxl import Workbook as _Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")
PLAIN_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")


def is_formula_like(value: object) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_STARTS) and not PLAIN_NUMBER.fullmatch(value)


def csv_cell(value: Any) -> Any:
    """OWASP: a leading single quote makes a spreadsheet show the text rather than evaluate it."""
    return "'" + value if is_formula_like(value) else value


class _InertWriter:
    """csv.writer with every cell passed through csv_cell()."""

    def __init__(self, out: IO[str], **kwargs: Any) -> None:
        self._writer = csv.writer(out, **kwargs)

    def writerow(self, row: Iterable[Any]) -> Any:
        return self._writer.writerow([csv_cell(v) for v in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


def csv_writer(out: IO[str], **kwargs: Any) -> _InertWriter:
    return _InertWriter(out, **kwargs)


def _as_text(cell: Any) -> None:
    # openpyxl types any str that starts with "=" as a formula ("f"); text is "s", written inline, verbatim.
    if cell.data_type == "f" and isinstance(cell.value, str):
        cell.data_type = "s"


class _InertWriteOnlySheet(WriteOnlyWorksheet):
    """Write-only sheets stream each row as it is appended, so the cells are made inert on the way in."""

    def append(self, row: Iterable[Any]) -> None:
        cells = []
        for value in row:
            if isinstance(value, str) and value.startswith("="):
                value = WriteOnlyCell(self, value=value)
            if isinstance(value, Cell):
                _as_text(value)
            cells.append(value)
        super().append(cells)


class Workbook(_Workbook):
    """openpyxl's Workbook whose every text cell is saved as text, never as a formula."""

    def create_sheet(self, title: str | None = None, index: int | None = None) -> Any:
        if not self.write_only:
            return super().create_sheet(title, index)
        sheet = _InertWriteOnlySheet(parent=self, title=title)
        self._add_sheet(sheet=sheet, index=index)
        return sheet

    def save(self, filename: Any) -> None:
        for sheet in self.worksheets:
            if not isinstance(sheet, WriteOnlyWorksheet):
                for cell in sheet._cells.values():
                    _as_text(cell)
        super().save(filename)


def workbook(write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def xlsx_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def download(data: bytes | str, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, title: str, headers: Iterable[Any], rows: Iterable[Iterable[Any]]) -> HttpResponse:
    """One sheet: a header row and the rows, as a download."""
    book = workbook(write_only=True)
    sheet = book.create_sheet(title[:31])
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    return download(xlsx_bytes(book), XLSX, filename)
