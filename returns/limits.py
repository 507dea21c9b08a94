"""How big an upload may be, in one place, and the checks that refuse a file before the expensive work.

A hostile or broken file must not take a worker's memory or minutes of its time: a 7 MB
workbook can declare a 2 GB sheet, a few kilobytes of shared strings can expand to millions
of strings, a CIN file can hold a million elements in one child. Each limit is sized for a
real council's return, and for a national file where one exists (an England-sized CIN census,
500,000 children, is about 7 million elements and 390 MB); see docs/decisions/0018-upload-limits.md.
Every limit can be changed with the LOS_UPLOAD_LIMITS environment variable (JSON: name -> value)
or the UPLOAD_LIMITS setting (tests).

Zip members (xlsx workbooks are zips too) are checked on their declared uncompressed size
before anything is read. Python's zipfile never hands out more than a member declares (it
cuts the data at the declared size, and a member whose data differs fails its CRC check), so
the declared sizes bound what is actually read.
"""

import functools
import json
import os
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any
from xml.etree import ElementTree

from django.conf import settings
from django.core.exceptions import FieldDoesNotExist

from audit.logging import error_for_people

MIB = 1 << 20
DEFAULTS: dict[str, int] = {
    # every return: a check stops after this many errors (the file is refused anyway)
    "max_errors": 10_000,
    # characters of a value quoted in a problem's message (longer values are cut, never copied)
    "shown_chars": 40,
    # CIN census XML (read as it streams, not unpacked)
    "cin_children": 2_000_000,
    "cin_elements": 60_000_000,
    "cin_elements_per_child": 10_000,
    # Annex A workbook
    "annex_a_unpacked": 1024 * MIB,
    "annex_a_member": 512 * MIB,
    "annex_a_shared_strings": 2_000_000,
    "annex_a_rows": 500_000,
    "annex_a_columns": 200,
    "annex_a_cells": 10_000_000,
    # the plans import (an improvement plan kept in Excel)
    "plans_upload": 10 * MIB,
    "plans_unpacked": 64 * MIB,
    "plans_member": 32 * MIB,
    "plans_shared_strings": 100_000,
    "plans_rows": 5_000,
    "plans_columns": 100,
    # openpyxl reads a cell in 20-200 microseconds, and the plans import reads in the request
    "plans_cells": 50_000,
    # any other part of a workbook (styles, theme, workbook, relationships): parsed whole when it is opened
    "xlsx_other_part": 16 * MIB,
    # a cell: Excel itself holds at most 32,767 characters in one
    "cell_chars": 32_767,
    # zips of CSV tables
    "zip_members": 1_000,
    "ssd_unpacked": 2048 * MIB,
    "ssda903_unpacked": 256 * MIB,
    # an identifier the register does not hold (the row IDs of SSD tables)
    "identifier_chars": 100,
    # one line of a CSV file (a file with no line breaks would otherwise be read whole)
    "csv_line_chars": 1 * MIB,
}


def get(name: str) -> int:
    """A limit: the UPLOAD_LIMITS setting's value, else the LOS_UPLOAD_LIMITS environment variable's
    (JSON, e.g. {"annex_a_rows": 800000}), else the default."""
    given = getattr(settings, "UPLOAD_LIMITS", None)
    if given is None:
        given = _from_environment()
    return int(given.get(name, DEFAULTS[name]))


@functools.cache
def _from_environment() -> dict:
    text = os.environ.get("LOS_UPLOAD_LIMITS", "").strip()
    given = json.loads(text) if text else {}
    unknown = set(given) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"LOS_UPLOAD_LIMITS names no such limit: {', '.join(sorted(unknown))}")
    return given


def shown(value: Any) -> str:
    """A value as quoted in a message: at most `shown_chars` characters, never the whole of a long value."""
    text = str(value)
    n = get("shown_chars")
    return text if len(text) <= n else f"{text[:n]}… ({len(text):,} characters)"


def max_length(model, field: str) -> int:
    """The register's limit for a field: the model field's max_length (derived, not repeated)."""
    return model._meta.get_field(field).max_length or 0


def too_long(model, values: dict) -> list[tuple[str, int, int]]:
    """(field, length, limit) for each text value longer than its model field holds."""
    out = []
    for name, value in values.items():
        if isinstance(value, str) and value:
            try:
                limit = max_length(model, name)
            except FieldDoesNotExist:  # not a field of the model (a value kept elsewhere)
                continue
            if limit and len(value) > limit:
                out.append((name, len(value), limit))
    return out


class Refused(Exception):
    """A file that is not read: `message` says why, and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TooBig(Refused):
    """A file is over one of the limits."""


class Damaged(Refused):
    """A workbook whose sheet cannot be read to its end (its XML cut short or broken, a cell pointing at a
    shared string or style the workbook does not have): a damaged file, or one a program wrote wrongly."""


def check_size(path, file_name: str, limit: int) -> None:
    """A file read as it is (not a zip): refused when it is larger than the limit for its kind."""
    size = os.path.getsize(path)
    if size > limit:
        raise TooBig(
            f"{file_name} is {_mb(size)}, more than the {_mb(limit)} allowed for this kind of file; it was not "
            "read. Check that it is the right file."
        )


def _mb(n: int) -> str:
    return f"{n / MIB:,.0f} MB" if n >= MIB else f"{n:,} bytes"


# -- zips ----------------------------------------------------------------------------------
def check_zip(archive: zipfile.ZipFile, file_name: str, unpacked_limit: int, member_limit: int = 0) -> None:
    """Refuse a zip whose members are too many, or declare more than the limits unpacked."""
    infos = archive.infolist()
    if len(infos) > get("zip_members"):
        raise TooBig(
            f"{file_name} holds {len(infos):,} files, more than the {get('zip_members'):,} allowed; "
            "it was not read. Upload only the return's own files."
        )
    total = 0
    for info in infos:
        total += info.file_size
        if member_limit and info.file_size > member_limit:
            raise TooBig(
                f"{file_name}: {info.filename} would unpack to {_mb(info.file_size)}, more than the "
                f"{_mb(member_limit)} allowed for one part; it was not read. Check that it is the right file."
            )
    if total > unpacked_limit:
        raise TooBig(
            f"{file_name} would unpack to {_mb(total)}, more than the {_mb(unpacked_limit)} allowed; it was not "
            "read. Check that it is the right file (a zip that inflates this far is refused as a zip bomb)."
        )


# -- xlsx workbooks -----------------------------------------------------------------------------
@dataclass(frozen=True)
class XlsxLimits:
    unpacked: int
    member: int
    shared_strings: int
    rows: int
    columns: int
    cells: int
    cell_chars: int

    @classmethod
    def of(cls, prefix: str) -> "XlsxLimits":
        return cls(
            get(f"{prefix}_unpacked"),
            get(f"{prefix}_member"),
            get(f"{prefix}_shared_strings"),
            get(f"{prefix}_rows"),
            get(f"{prefix}_columns"),
            get(f"{prefix}_cells"),
            get("cell_chars"),
        )


# A shared string starts <si> (with or without a namespace prefix).
_SI = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?si[\s/>]")


def check_xlsx(source, file_name: str, limits: XlsxLimits) -> None:
    """Before openpyxl reads a workbook: its parts' declared sizes, and the number of shared
    strings (openpyxl loads them all into memory when it opens the workbook). `source` is a
    path or a binary file; a file is left at its start."""
    try:
        with zipfile.ZipFile(source) as archive:
            check_zip(archive, file_name, limits.unpacked, limits.member)
            other = get("xlsx_other_part")
            for info in archive.infolist():
                name = info.filename.lower()
                if name.endswith("sharedstrings.xml"):
                    _count_shared_strings(archive, info, file_name, limits.shared_strings)
                elif not name.startswith("xl/worksheets/") and info.file_size > other:
                    raise TooBig(
                        f"{file_name}: {info.filename} would unpack to {_mb(info.file_size)}, more than the "
                        f"{_mb(other)} allowed for a part other than a sheet; it was not read. Check that it is the "
                        "right file, or copy the sheets needed into a new workbook (without pictures or embedded "
                        "files) and upload that; nothing in the records needs correcting."
                    )
    except zipfile.BadZipFile:
        pass  # not a workbook: openpyxl says so in its own words
    finally:
        if hasattr(source, "seek"):
            source.seek(0)


def _count_shared_strings(archive: zipfile.ZipFile, info: zipfile.ZipInfo, file_name: str, limit: int) -> None:
    count = 0
    tail = b""
    with archive.open(info) as member:
        while block := member.read(MIB):
            data = tail + block
            last = data.rfind(b"<", max(0, len(data) - 64))  # a tag cut off at the end: counted next time
            cut = last if last >= 0 else len(data)
            count += len(_SI.findall(data, 0, cut))
            tail = data[cut:]
            if count > limit:
                raise TooBig(
                    f"{file_name} holds more than {limit:,} different texts (shared strings), more than "
                    "a workbook of this kind needs; it was not read. Check that it is the right file, or "
                    "save only the sheets needed in a new workbook."
                )
    count += len(_SI.findall(tail))
    if count > limit:
        raise TooBig(
            f"{file_name} holds {count:,} different texts (shared strings), more than the {limit:,} allowed; "
            "it was not read. Check that it is the right file, or save only the sheets needed in a new workbook."
        )


def open_workbook(source, data_only: bool = True):
    """openpyxl's load_workbook(read_only=True), but its sheets do not look for their declared size:
    openpyxl parses a sheet to its end to find a <dimension> the sheet does not have, a whole
    sheet read (minutes for a large one) before the first row, and xlsx_rows trusts no dimension.
    Chart sheets are left out. Call check_xlsx first."""
    from openpyxl.reader.excel import ExcelReader
    from openpyxl.worksheet._read_only import ReadOnlyWorksheet

    class UnsizedSheet(ReadOnlyWorksheet):
        def _get_size(self) -> None:
            return None

    class Reader(ExcelReader):
        def read_worksheets(self) -> None:
            for sheet, rel in self.parser.find_sheets():
                if rel.target in self.valid_files and "chartsheet" not in rel.Type:
                    ws = UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                    ws.sheet_state = sheet.state
                    self.wb._sheets.append(ws)

    reader = Reader(source, read_only=True, data_only=data_only, keep_links=False)
    reader.read()
    return reader.wb


def xlsx_rows(sheet, file_name: str, limits: XlsxLimits):
    """(row number, cell values) of a read-only openpyxl worksheet, within the limits. Unlike
    openpyxl's iter_rows it trusts no declared dimension (a bogus A1:XFD1048576 would make it
    pad every row to 16,384 cells), yields no padding rows, and refuses a row number, a column
    or a cell's text beyond the limits before building the row."""
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet._reader import WorkSheetParser

    book = sheet.parent
    where = f"{file_name}, sheet {sheet.title}"
    count = 0
    with sheet._get_source() as src:
        parser = WorkSheetParser(
            _RowGuard(src, where, limits.columns, limits.cells),
            sheet._shared_strings,
            data_only=book.data_only,
            epoch=book.epoch,
            date_formats=book._date_formats,
            timedelta_formats=book._timedelta_formats,
        )
        for number, cells in _parsed(parser, where):
            count += 1
            if number > limits.rows or count > limits.rows:
                raise TooBig(
                    f"{where} has a row {number:,}: more than the {limits.rows:,} rows allowed; it was not read. "
                    "Delete the empty or unneeded rows below the data and upload it again."
                )
            width = 0
            for cell in cells:
                column = cell["column"]
                if column > limits.columns:
                    raise TooBig(
                        f"{where} row {number:,} has a cell in column {get_column_letter(min(column, 16384))}: "
                        f"more than the {limits.columns:,} columns allowed; it was not read. Delete the "
                        "unneeded columns and upload it again."
                    )
                value = cell["value"]
                if isinstance(value, str) and len(value) > limits.cell_chars:
                    raise TooBig(
                        f"{where} row {number:,} column {get_column_letter(column)} holds {len(value):,} "
                        f"characters, more than a cell can ({limits.cell_chars:,}); it was not read. Correct the "
                        "cell in the workbook (or the text in the case management system, if it came from there) "
                        "and upload it again."
                    )
                width = max(width, column)
            values: list[Any] = [None] * width
            for cell in cells:
                values[cell["column"] - 1] = cell["value"]
            yield number, tuple(values)


# What openpyxl's sheet parser raises on a damaged sheet (seen by mutating real workbooks, 7 Dec 2026): the XML
# not well-formed, a cell's style, shared string or reference not a number or not in the workbook, a zip member
# whose data is corrupt.
DAMAGE = (ElementTree.ParseError, ValueError, IndexError, KeyError, TypeError, zipfile.BadZipFile, zlib.error, EOFError)


def _parsed(parser, where: str):
    """The parser's rows; a sheet it cannot read to its end is Damaged, named with the last row read."""
    rows = parser.parse()
    last = 0
    while True:
        try:
            number, cells = next(rows)
        except StopIteration:
            return
        except DAMAGE as exc:
            after = f" after row {last:,}" if last else ""
            raise Damaged(
                f"{where} is damaged{after} and could not be read ({error_for_people(exc)}); nothing was taken from "
                "the file. Open the workbook in Excel and save it again (Excel repairs what it can), or export it "
                "again, then upload it again; nothing in the records needs correcting."
            ) from None
        last = number
        yield number, cells


# The start of a row or of a cell in a sheet's XML (with or without a namespace prefix).
_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row[\s/>]")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


class _RowGuard:
    """The sheet's XML as the parser reads it, counting the cells of each row, and of the sheet,
    on the bytes: the parser builds a whole row before handing it on, so a row of millions of
    cells is refused here, before it is built, and a sheet of too many before they are read."""

    def __init__(self, src, where: str, limit: int, most: int) -> None:
        self.src, self.where, self.limit, self.most = src, where, limit, most
        self.tail = b""
        self.cells = 0
        self.total = 0

    def read(self, n: int = -1) -> bytes:
        data = self.src.read(n if n and n > 0 else MIB)
        buf = self.tail + data
        cut = len(buf)
        if data:  # keep a tag that may be cut off at the end for the next block
            last = buf.rfind(b"<", max(0, len(buf) - 64))
            cut = last if last >= 0 else cut
        pieces = _ROW.split(buf[:cut])
        self.tail = buf[cut:]
        for i, piece in enumerate(pieces):
            found = len(_CELL.findall(piece))
            self.cells = found if i else self.cells + found
            self.total += found
            if self.total > self.most:
                raise TooBig(
                    f"{self.where} has more than {self.most:,} cells, more than a file of this kind needs; it "
                    "was not read. Delete the unneeded rows and columns (or sheets' copies) and upload it again."
                )
            if self.cells > self.limit:
                raise TooBig(
                    f"{self.where} has a row of more than {self.limit:,} cells, more than the columns allowed; "
                    "it was not read. Delete the unneeded columns and upload it again."
                )
        return data


# -- CSV lines ----------------------------------------------------------------------------------
def bounded_lines(raw, file_name: str):
    """The lines of a binary file, each at most `csv_line_chars` bytes: a file with no line
    breaks is refused after that much, instead of being read whole into memory."""
    limit = get("csv_line_chars")
    number = 0
    while line := raw.readline(limit + 1):
        number += 1
        if len(line) > limit and not line.endswith(b"\n"):
            raise TooBig(
                f"{file_name} line {number:,} is longer than {limit:,} characters; it was not read. "
                "Check that it is a CSV file with one record a line."
            )
        yield line


def quoted(value: Any) -> str:
    """repr() of a value for a message, a long text cut to `shown_chars` characters."""
    n = get("shown_chars")
    if isinstance(value, str) and len(value) > n:
        return f"{value[:n]!r}… ({len(value):,} characters)"
    return repr(value)
