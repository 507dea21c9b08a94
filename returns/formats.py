"""The returns Line of Sight can import, and how each is read and written into the register.

Each format registers a reader (iterates the stored file, reporting problems to a
ProblemLog; after iteration has `header`, `collection_year` and `count`) and an
importer (`consume(reader)` writes or, with dry_run, only counts; `summary()`
gives new / changed / unchanged by table). The run machinery in services.py
(preview, claim, commit in one transaction, progress, problems) is shared by all.
"""

import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from returns.limits import quoted
from returns.models import Kind


@dataclass(frozen=True)
class Format:
    kind: str
    # (run, problems, progress, year=None, for_rules=None) -> reader. `year`: the collection the file is
    # checked as (validate_return --year; by default the file's own); `for_rules`: the CIN reader writes
    # the DfE rules' tables as it reads (None: as the database suits). Formats without either ignore them.
    reader: Callable[..., Any]
    importer: Callable[..., Any]  # (problems, run=..., dry_run=...) -> importer
    suffixes: tuple[str, ...] = ()  # file-name endings that identify this kind


_FORMATS: dict[str, Format] = {}


def register(fmt: Format) -> None:
    _FORMATS[fmt.kind] = fmt


def format_for(kind: str) -> Format:
    _load(f"returns.{kind}.format")  # that format's only: a check of one kind need not import the others
    try:
        return _FORMATS[kind]
    except KeyError:
        raise LookupError(f"Importing '{kind}' returns is not available yet.") from None


def available_kinds() -> list[str]:
    _load_all()
    return [kind for kind in Kind.values if kind in _FORMATS]


def guess_kind_from_name(name: str) -> str | None:
    """The kind whose suffix the file name ends with (the most specific suffix wins)."""
    _load_all()
    lowered = name.lower()
    best: tuple[int, str] | None = None
    for fmt in _FORMATS.values():
        for suffix in fmt.suffixes:
            if lowered.endswith(suffix) and (best is None or len(suffix) > best[0]):
                best = (len(suffix), fmt.kind)
    return best[1] if best else None


# The modules that register each format on import (each format lives in its own package).
_PLUGINS = ("returns.cin.format", "returns.ssda903.format", "returns.annex_a.format", "returns.ssd.format")


def _load_all() -> None:
    for name in _PLUGINS:
        _load(name)


def _load(name: str) -> None:
    import importlib

    if name not in _PLUGINS:
        return
    try:
        importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name != name:
            raise


# -- which kind a file looks like (issue 13 point 5f) --------------------------------
_XML_ROOT = re.compile(rb"<([A-Za-z_][\w.:-]*)")
_XML_ROOTS = {b"Message": Kind.CIN, b"EXPSSDA903": Kind.SSDA903}


def _csv_kind(name: str, first_line: str) -> str | None:
    from returns.ssd.reader import ALL_TABLES
    from returns.ssda903.reader import table_for_columns, table_for_name

    stem = name.replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".csv")
    if stem in ALL_TABLES:
        return Kind.SSD
    columns = [c.strip().strip('"').lstrip("\ufeff") for c in first_line.split(",")]
    if table_for_name(name) or table_for_columns(columns):
        return Kind.SSDA903
    return None


def sniff_kind(path: str | Path) -> str | None:
    """The kind a stored file looks like from its first bytes (an xlsx workbook is an Annex A,
    XML by its root element, CSV tables by their names or header rows); None when it cannot tell.
    Only a guess for a better message: the reader of the chosen kind still decides."""
    with open(path, "rb") as handle:
        head = handle.read(4096)
    if head.startswith(b"PK\x03\x04"):
        try:
            with zipfile.ZipFile(path) as archive:
                names = [i.filename for i in archive.infolist() if not i.is_dir()][:200]
                if any(n.startswith("xl/") for n in names):
                    tables = _tables_kind(_sheet_names(archive))
                    return tables[0] if tables else Kind.ANNEX_A
                for name in names:
                    if name.lower().endswith(".csv"):
                        with archive.open(name) as member:
                            first = member.readline(4096).decode("utf-8", "replace")
                        if kind := _csv_kind(name, first):
                            return kind
                    elif name.lower().endswith(".xml"):
                        with archive.open(name) as member:
                            if kind := _xml_kind(member.read(4096)):
                                return kind
        except (zipfile.BadZipFile, OSError, KeyError):
            return None
        return None
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"<"):
        return _xml_kind(stripped)
    first = stripped.split(b"\n", 1)[0].decode("utf-8", "replace")
    return _csv_kind(str(path), first) if "," in first else None


def _xml_kind(head: bytes) -> str | None:
    for match in _XML_ROOT.finditer(re.sub(rb"<\?.*?\?>|<!--.*?-->", b"", head, flags=re.S)):
        return _XML_ROOTS.get(match.group(1).split(b":")[-1])
    return None


def _sheet_names(archive: zipfile.ZipFile) -> list[str]:
    """The sheet names an xlsx workbook declares (xl/workbook.xml; no DTD or entities read)."""
    from lxml import etree

    try:
        with archive.open("xl/workbook.xml") as member:
            data = member.read(1 << 20)
        parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
        root = etree.fromstring(data, parser)
    except (KeyError, OSError, etree.XMLSyntaxError):
        return []
    return [el.get("name", "") for el in root.iter() if isinstance(el.tag, str) and el.tag.endswith("}sheet")]


def _tables_kind(names: list[str]) -> tuple[str, list[str]] | None:
    """(kind, the names that are its tables) when sheet or file names are the SSDA903's or the SSD's CSV
    tables (episodes, header, ssd_person), as when each table was saved as Excel; None otherwise."""
    from returns.ssd.reader import ALL_TABLES
    from returns.ssda903.reader import table_for_name

    stems = [n.replace("\\", "/").rsplit("/", 1)[-1].rsplit(".", 1)[0] for n in names]
    if any(re.match(r"(?i)list\s*\d", n.strip()) for n in stems):  # Annex A's sheets are List 1 to List 11
        return None
    ssd = [n for n in stems if n.strip().lower() in ALL_TABLES]
    if ssd:
        return Kind.SSD, ssd
    found = [n for n in stems if table_for_name(n.strip() + ".csv")]
    return (Kind.SSDA903, found) if found else None


_EXAMPLES: dict[str, str] = {Kind.SSDA903: "episodes.csv, header.csv", Kind.SSD: "ssd_person.csv, ssd_cin_episodes.csv"}


def tables_as_workbooks(path: str | Path, expected: str) -> str | None:
    """A message when the 903's or the SSD's tables came as Excel (a workbook with a sheet a table, or a zip
    of one workbook a table) rather than CSV files: what the file is, and how to save it so it is read."""
    try:
        with zipfile.ZipFile(path) as archive:
            names = [i.filename for i in archive.infolist() if not i.is_dir()][:200]
            if any(n.startswith("xl/") for n in names):
                form, given = "an Excel workbook with the {label}'s tables as sheets", _sheet_names(archive)
                where = "each sheet"
            elif any(n.lower().endswith(".csv") for n in names):
                return None  # CSV tables (a workbook beside them is not read, and not a 903 table)
            else:
                given = [n for n in names if n.lower().endswith((".xlsx", ".xls", ".xlsm"))]
                form, where = "a zip of the {label}'s tables as Excel workbooks", "each workbook"
    except (zipfile.BadZipFile, OSError):
        return None
    found = _tables_kind(given)
    if found is None:
        return None
    kind, tables = found
    label = Kind(kind).label
    shown = ", ".join(tables[:5]) + (", ..." if len(tables) > 5 else "")
    lead = "This file" if kind == expected else f"This file is not {Kind(expected).label}: it"
    return (
        f"{lead} is {form.format(label=label)} ({shown}), but the tables are read from CSV files. Save {where} "
        f"as 'CSV UTF-8 (comma delimited)' under its table's name ({_EXAMPLES[kind]}, ...), and upload "
        f"the CSV files together in a zip as {label}. Nothing in the data needs correcting for that."
    )


def wrong_kind(path: str | Path, expected: str) -> str | None:
    """A message for the analyst when the file looks like another kind of return than `expected`, or holds
    the 903's or the SSD's tables as Excel."""
    try:
        if said := tables_as_workbooks(path, expected):
            return said
        found = sniff_kind(path)
    except OSError:
        return None
    if found is None or found == expected:
        return None
    return (
        f"This file looks like {Kind(found).label}, not {Kind(expected).label}. Nothing in it needs "
        f"correcting for that: upload it again as {Kind(found).label}."
    )


# -- header rows of CSV tables (the 903 and SSD readers) ------------------------------------------------------
_SEPARATORS = {";": "semicolons", "\t": "tabs", "|": "vertical bars"}


def other_separator(header: list[str]) -> str | None:
    """What separates the columns of a table whose header row read as one cell holding semicolons, tabs or
    bars ("semicolons"); None for a comma-separated header."""
    if len(header) != 1:
        return None
    return next((said for sep, said in _SEPARATORS.items() if sep in header[0]), None)


def unnamed_columns(names: list[str]) -> str | None:
    """The header row's columns with no name, said ("2 columns with no name (columns 8, 9 of the header row)"),
    or None when every column has one."""
    blank = [i + 1 for i, name in enumerate(names) if not name]
    if not blank:
        return None
    plural = "s" if len(blank) > 1 else ""
    listed = ", ".join(map(str, blank[:8])) + (", ..." if len(blank) > 8 else "")
    return f"{len(blank)} column{plural} with no name (column{plural} {listed} of the header row)"


def namespace_advice(namespace: str, root: str, what: str) -> str:
    """Why a DfE XML return was not recognised when its elements are in an XML namespace (the DfE's have none), and
    what to do; `what` is the return as the sentence names it ("census", "903")."""
    return (
        f"The file's elements are in the XML namespace {quoted(namespace)} (xmlns on <{root}>), and the DfE's "
        f"{what} has none: remove the xmlns attribute, or ask the case management system's supplier to export the "
        f"{what} without it"
    )


# A cell that reads as a date (dd/mm/yyyy, d/m/yy, yyyy-mm-dd): never a column's name.
_DATE_CELL = re.compile(r"\s*(?:\d{1,2}/\d{1,2}/\d{2,4}|\d{4}-\d{2}-\d{2})(?:[ T].*)?\s*")


def not_a_header_advice(cells: list[str]) -> str:
    """What to do about a table whose first line names none of its columns: a blank line (or an empty file), a row of
    data (a date in it: the header row was left out of the export), or else a title line above the header."""
    if not any(c.strip() for c in cells):
        return (
            "The first line is blank: remove the blank lines above the header row, or, if the file is empty, export "
            "the table again."
        )
    if any(_DATE_CELL.fullmatch(c) for c in cells):
        return (
            "It looks like a row of data: the header row (the columns' names) is missing. Export the table again "
            "with its header row; nothing in the records needs correcting."
        )
    return "The first line must be the header row: remove any title lines above it, or export the table again."


def encoding_advice(exc: UnicodeDecodeError) -> str:
    """What to do about a CSV table that is not UTF-8: a table saved as UTF-16 begins with its byte order mark
    (Excel's "Unicode Text", some tools' "Unicode"); otherwise a spreadsheet most often saved it as
    Windows-1252 ("ANSI"), where a character such as é is one byte UTF-8 does not allow."""
    data = exc.object if isinstance(exc.object, bytes) else b""
    if exc.start <= 1 and data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return (
            "It was saved as UTF-16 ('Unicode'); save it again as 'CSV UTF-8'. Nothing else needs correcting for that."
        )
    return (
        "It was probably saved as Windows-1252 ('ANSI'); save it again as 'CSV UTF-8' (or correct the character in "
        "the case management system, if it is there)."
    )


# What lxml's message means for a file that is not well-formed XML, in the analyst's terms (the first that fits).
_XML_FAULTS = (
    (
        "XML declaration allowed only at the start",
        "an XML declaration <?xml ...?> comes after the file's start, where none may be: delete the blank lines "
        "or spaces before it, or, if it begins a second file joined to the first, keep one of them",
    ),
    ("Premature end of data", "the file stops part-way (cut short when it was copied or exported)"),
    ("EndTag: '</' not found", "the file stops part-way (cut short when it was copied or exported)"),
    (
        "Extra content at the end of the document",
        "something follows the end of the file's root element (two files joined into one?)",
    ),
    ("not proper UTF-8", "it is not in the encoding it declares (saved again in another one, such as Windows-1252?)"),
    ("Opening and ending tag mismatch", "a start tag and its end tag do not match (edited by hand?)"),
)


def xml_syntax(message: str) -> str:
    """Why a file is not well-formed XML, from lxml's message: the likely cause, then lxml's own words."""
    cause = next(
        (said for known, said in _XML_FAULTS if known in message),
        "it is cut short, or not in the encoding it declares",
    )
    return f"The file is not well-formed XML: {cause} ({message.rstrip('.')})."
