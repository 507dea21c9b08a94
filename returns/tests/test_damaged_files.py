"""Damaged files never crash a check (issue 13 point 5): each return's test files, and the workbooks and lists an
administrator installs, are damaged in ways real files are (a line or cell cut, doubled or deleted, a stray byte,
the file cut short) by a seeded mutator, and each must end in a message, never an exception. On 7 December 2026
this found a damaged Annex A sheet, plan workbook or Ofsted list raising openpyxl's ParseError, ValueError or
IndexError, and a postcode directory line cut short raising IndexError; test_annex_a_bad_input.py and the others
pin each case by hand. The seeds are fixed, so a run is repeatable; a new seed is a new set of files."""

import io
import random
import zipfile
from pathlib import Path

import pytest

from children.models import Child
from plans.importer import SheetError, read_sheet
from returns import services
from returns.cin import schemas
from returns.models import Status
from returns.rules.check import check_return
from returns.ssda903 import ofsted, postcodes
from returns.tests.conftest import DATA

# What a damaged file holds in place of what was there: blanks, other spellings of nothing, dates in other forms,
# very long text, bytes that are not UTF-8, the CSV's and XML's own characters.
STRAY = [b"", b" ", b"NULL", b"N/A", b"2025-04-01", b"45000", b"x" * 300, "\u00e9".encode(), b"\xff\xfe", b'"', b","]
STRAY += [b"\r", b"\n", b"-1", b"99999999999999999999", b"31/02/2025", b"\x00", b"&amp;", b"<", b"]]>", b"\t", b"inf"]


def damaged(data: bytes, rng: random.Random) -> bytes:
    """`data` with one to four faults: a run of bytes deleted, replaced or added to, a line doubled or deleted, the
    file cut short, a byte changed."""
    for _ in range(rng.randint(1, 4)):
        if not data:
            break
        at = rng.randrange(len(data))
        to = min(len(data), at + rng.randint(1, 40))
        fault = rng.randrange(7)
        if fault == 0:
            data = data[:at] + data[to:]
        elif fault == 1:
            data = data[:at] + rng.choice(STRAY) + data[at:]
        elif fault == 2:
            data = data[:at] + rng.choice(STRAY) + data[to:]
        elif fault in (3, 4):
            lines = data.split(b"\n")
            line = rng.randrange(len(lines))
            if fault == 3:
                lines.insert(rng.randrange(len(lines)), lines[line])
            else:
                del lines[line]
            data = b"\n".join(lines)
        elif fault == 5:
            data = data[:at]
        else:
            data = data[:at] + bytes([rng.randrange(256)]) + data[at + 1 :]
    return data


def damaged_zip(source: bytes, rng: random.Random, parts=lambda name: True) -> bytes:
    """A zip (a workbook, or a return's tables) with one of its parts damaged."""
    with zipfile.ZipFile(io.BytesIO(source)) as archive:
        held = {name: archive.read(name) for name in archive.namelist()}
    target = rng.choice([name for name in held if parts(name)])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in held.items():
            archive.writestr(name, damaged(data, rng) if name == target else data)
    return out.getvalue()


def tables_zip(folder: Path) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for path in sorted(folder.glob("*.csv")):
            archive.writestr(path.name, path.read_bytes())
    return out.getvalue()


def sheets(name: str) -> bool:
    """A workbook's parts that hold its rows."""
    return name.startswith("xl/worksheets/") or name == "xl/sharedStrings.xml"


RETURNS = {
    "cin": lambda rng: ("census.xml", damaged((DATA / "cin_full_2025.xml").read_bytes(), rng)),
    "ssda903": lambda rng: ("return.zip", damaged_zip(tables_zip(DATA / "ssda903" / "return_2025"), rng)),
    "ssd": lambda rng: ("extract.zip", damaged_zip(tables_zip(DATA / "ssd" / "full"), rng)),
    "annex_a": lambda rng: (
        "annex_a.xlsx",
        damaged_zip((DATA / "realworld" / "Annex_A_messy.xlsx").read_bytes(), rng, sheets),
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(RETURNS))
def test_a_damaged_return_is_checked_to_a_message_never_a_crash(tmp_path, kind):
    rng = random.Random(f"{kind}-2026-12-07")
    messages = []
    for n in range(12):
        name, data = RETURNS[kind](rng)
        path = tmp_path / f"{n}-{name}"
        path.write_bytes(data)
        checked = check_return([path], kind)  # raises nothing
        messages += [checked.unreadable] + [f.message for f in checked.findings]
        assert checked.unreadable or checked.findings or not checked.has_error
    # the damage reached the readers: some files were refused
    assert any(messages)
    if kind == "annex_a":  # the case that crashed before
        assert any("is damaged" in m for m in messages)


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(RETURNS))
def test_a_damaged_return_imported_is_refused_or_committed_with_no_internal_error(tmp_path, kind):
    rng = random.Random(f"import-{kind}-2026-12-07")
    for n in range(4):
        name, data = RETURNS[kind](rng)
        path = tmp_path / f"{n}-{name}"
        path.write_bytes(data)
        before = Child.objects.count()
        run = services.check_and_commit(services.create_run_from_path(path, kind))
        assert not run.problems.filter(rule="internal").exists(), run.problems.get(rule="internal").message
        assert run.status in (Status.COMMITTED, Status.REJECTED)
        if run.status == Status.REJECTED:
            assert Child.objects.count() == before


def test_damaged_workbooks_and_lists_an_administrator_installs_are_refused_with_their_own_errors(tmp_path):
    rng = random.Random("installed-2026-12-07")
    homes = (DATA / "ofsted_childrens_homes.xlsx").read_bytes()
    directory = (DATA / "onspd_subset.csv").read_bytes()
    xsd = (schemas.SCHEMA_DIR / "CIN_schema_2025.xsd").read_bytes()
    refused = 0
    for n in range(20):
        book = tmp_path / f"{n}.xlsx"
        book.write_bytes(damaged_zip(homes, rng))
        lines = tmp_path / f"{n}.csv"
        lines.write_bytes(damaged(directory, rng))
        refused += refuses(lambda path: list(ofsted.read(path)), book, ofsted.RegisterError)
        refused += refuses(read_sheet, damaged_zip(homes, rng), SheetError)
        refused += refuses(lambda path: list(postcodes.read(path)), lines, postcodes.DirectoryError)
        schemas.problems_with(damaged(xsd, rng))  # a list of problems, never an exception
    assert refused


def refuses(read, source, error) -> bool:
    """Whether `read(source)` raised its own `error` (anything else raised fails the test)."""
    try:
        read(source)
    except error:
        return True
    return False
